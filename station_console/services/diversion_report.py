"""The per-department diversion report (非警务分流部门报表) as an A4 PDF in Chinese.

Drawn like the daily briefing (ReportLab, the bundled Droid Sans Fallback font, Latin runs in
Helvetica, written beside the target and moved into place when complete), so it renders on any
machine without Qt: the command line writes it unattended.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from station_console.services.briefing import (
    _para,
    _table,
    build_report_pdf,
    report_styles,
)
from station_console.services.diversion import DepartmentFigures, DiversionRate

TITLE = "非警务分流部门报表"
HEADER = ["部门", "移交", "已接收", "已反馈", "已办结", "回访闭环", "退回", "未结", "超时", "满意/回访"]
WIDTHS = [46, 13, 14, 14, 14, 16, 12, 12, 12, 21]


def _share(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "—"


def department_rows(lines: Sequence[DepartmentFigures]) -> list[list[str]]:
    """The table's rows, one per department, and a total line."""
    rows = [[f.department, str(f.handed_over), str(f.accepted), str(f.fed_back), str(f.done), str(f.closed),
             str(f.declined), str(f.open), str(f.overdue), f"{f.satisfied}/{f.revisited}"] for f in lines]
    if lines:
        total = [sum(getattr(f, name) for f in lines) for name in (
            "handed_over", "accepted", "fed_back", "done", "closed", "declined", "open", "overdue",
            "satisfied", "revisited")]
        rows.append(["合计", *(str(v) for v in total[:8]), f"{total[8]}/{total[9]}"])
    return rows


def write_department_pdf(path: Path, lines: Sequence[DepartmentFigures], start: datetime, end: datetime,
                         rate: DiversionRate, now: datetime, station: str = "",
                         produced_by: str = "") -> None:
    """The report of diversions handed over in ``[start, end)``: headline figures and one line per
    department (handed over, accepted, answered, done, closed after the revisit, declined, open,
    overdue, satisfied of revisited)."""
    stamp = f"生成于 {now:%Y-%m-%d %H:%M}" + (f"　制作人 {produced_by}" if produced_by else "")
    title, sub, h2, cell, body = report_styles()
    last_day = end - timedelta(microseconds=1)
    period = f"{start:%Y-%m-%d} 至 {last_day:%Y-%m-%d}"
    handed = sum(f.handed_over for f in lines)
    answered = sum(f.fed_back for f in lines)
    overdue = sum(f.overdue for f in lines)
    summary = (f"本期共接报警情 {rate.calls} 起，其中非警务类 {rate.non_police} 起"
               f"（占 {_share(rate.non_police, rate.calls)}），移交分流 {rate.diverted} 起"
               f"（分流率 {_share(rate.diverted, rate.non_police)}）。"
               f"本期移交 {handed} 件，部门已反馈 {answered} 件（{_share(answered, handed)}），"
               f"超时 {overdue} 件；回访 {rate.revisited} 件，满意 {rate.satisfied} 件"
               f"（满意率 {_share(rate.satisfied, rate.revisited)}）。")
    story: list[Any] = [
        _para(f"{station}{TITLE}" if station else TITLE, title),
        _para(f"{period}　　{stamp}", sub),
        Spacer(1, 4 * mm),
        _para(summary, body),
        Paragraph("分部门情况", h2),
        _table(department_rows(lines), HEADER, WIDTHS, cell) if lines
        else Paragraph("本期无移交分流。", body),
        Spacer(1, 3 * mm),
        _para("说明：已接收、已反馈、已办结为走到该步骤的件数；回访闭环为回访后办结；超时为任一步骤"
              "超过时限（已超时或曾超时）的件数；满意/回访为回访满意件数与已回访件数。", body),
    ]

    build_report_pdf(path, story, title=TITLE, author=station, footer=f"{TITLE} · {stamp}")

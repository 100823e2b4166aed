"""The district's weekly comparison of stations (分局各所警情对比): an A4 PDF in Chinese or an XLSX.

Both come from one ``DistrictComparison``, drawn with the briefing's fonts, tables and atomic
writes. The figures incidents carry are compared, and tasks on time from the tasks each station's
packages report; disputes and warning orders stay in each station's own database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from station_console.domain.security import neutralise_cell
from station_console.services import audit
from station_console.services.analytics import Figure, PeriodKind
from station_console.services.briefing import (
    FIGURE_NAMES,
    LATIN_FONT,
    STATUS_NAMES,
    _atomic,
    _font,
    _para,
    _table,
    build_report_pdf,
    format_change,
    format_value,
    report_styles,
)
from station_console.services.district import DISTRICT_KEYS, DistrictComparison
from station_console.store.database import Database

HEADER = ["派出所", *(FIGURE_NAMES[k] for k in DISTRICT_KEYS)]
CHANGE_HEADER = ["派出所", *(f"{FIGURE_NAMES[k]}较上期" for k in DISTRICT_KEYS)]
NOTABLE_HEADER = ["派出所", "警情编号", "接警", "类别", "等级", "状态", "地址", "简要情况"]
TOTAL = "全局合计"
NOT_COMPARED = ("说明：各所按警情的最后写入单位归属（变更包中的来源单位）。任务按时签收率、反馈率按各所"
                "最近一个变更包上报的任务（仅编号、状态和时间）于制表时判定。矛盾纠纷、预警指令台账属各所"
                "自有业务，不随变更包上报，不在本表比较。")


def period_label(c: DistrictComparison) -> str:
    """The period as the report names it: an ISO week, or the first and last day."""
    p = c.period
    last = (p.end - timedelta(microseconds=1)).date()
    span = f"{p.start:%Y-%m-%d} 至 {last:%Y-%m-%d}"
    if p.kind == PeriodKind.WEEK:
        year, week, _ = p.start.date().isocalendar()
        return f"{year}年第{week}周（{span}）"
    return span


def title(c: DistrictComparison) -> str:
    kind = "周" if c.period.kind == PeriodKind.WEEK else ""
    return f"{c.district or '分局'}各派出所警情{kind}对比"


def _produced(c: DistrictComparison) -> str:
    who = f"　制作人 {c.produced_by}" if c.produced_by else ""
    return f"生成于 {c.now:%Y-%m-%d %H:%M}{who}"


def figure_rows(c: DistrictComparison) -> list[list[str]]:
    """One line per station and the district's total: the figures' values."""
    rows = [[r.station.name, *(format_value(r.figure(k)) for k in DISTRICT_KEYS)] for r in c.rows]
    rows.append([TOTAL, *(format_value(c.total[k]) for k in DISTRICT_KEYS)])
    return rows


def change_rows(c: DistrictComparison) -> list[list[str]]:
    """The same lines against the previous period (环比): percent for counts and times, points for rates."""
    def change(f: Figure) -> str:
        return format_change(f, f.previous)
    rows = [[r.station.name, *(change(r.figure(k)) for k in DISTRICT_KEYS)] for r in c.rows]
    rows.append([TOTAL, *(change(c.total[k]) for k in DISTRICT_KEYS)])
    return rows


def notable_rows(c: DistrictComparison) -> list[list[str]]:
    """Each station's most urgent incidents, free text masked unless the reader may see it."""
    return [[r.station.name, n.incident_no, f"{n.received_at:%m-%d %H:%M}", n.category_name,
             f"{n.priority}级", STATUS_NAMES.get(n.status, n.status), n.address, n.description]
            for r in c.rows for n in r.notable]


def summary(c: DistrictComparison) -> str:
    """The opening paragraph: the district's totals and the stations at either end of the 5-minute rate."""
    calls, rate, diverted = c.total["calls"], c.total["arrival_rate"], c.total["diversion_rate"]
    text = (f"{period_label(c)}，全局 {len(c.rows)} 个派出所共接报警情 {format_value(calls)} 起，"
            f"环比{format_change(calls, calls.previous)}；5分钟到场率 {format_value(rate)}"
            f"（目标 {(rate.target or 0) * 100:.0f}%），非警务分流率 {format_value(diverted)}，"
            f"任务按时反馈率 {format_value(c.total['task_feedback_rate'])}。")
    rated = [(r.figure("arrival_rate").value, r.station.name) for r in c.rows
             if r.figure("arrival_rate").value is not None]
    if len(rated) > 1:
        best, worst = max(rated), min(rated)
        text += (f"5分钟到场率最高的是{best[1]}（{best[0] * 100:.1f}%），"
                 f"最低的是{worst[1]}（{worst[0] * 100:.1f}%）。")
    return text


def _calls_chart(c: DistrictComparison, font: str) -> Drawing:
    drawing = Drawing(170 * mm, 60 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, 150 * mm, 38 * mm
    now = [r.figure("calls").value or 0 for r in c.rows]
    before = [r.figure("calls").previous or 0 for r in c.rows]
    chart.data = [now, before]
    chart.bars[0].fillColor = colors.HexColor("#1f5fa8")
    chart.bars[1].fillColor = colors.HexColor("#c5cfdb")
    chart.categoryAxis.categoryNames = [r.station.name for r in c.rows]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = font, 7
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = LATIN_FONT, 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(5, *now, *before)
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 120 * mm, 56 * mm
    legend.fontName, legend.fontSize = font, 7
    legend.colorNamePairs = [(colors.HexColor("#1f5fa8"), "本期"), (colors.HexColor("#c5cfdb"), "上期")]
    legend.columnMaximum = 1
    drawing.add(legend)
    return drawing


def write_pdf(c: DistrictComparison, path: Path) -> None:
    """The comparison as an A4 PDF in Chinese."""
    font = _font()
    head, sub, h2, cell, body = report_styles()
    # Nine figures across A4: narrow margins, Chinese wrapped anywhere, the changes a little smaller.
    body = ParagraphStyle("district-body", parent=body, wordWrap="CJK")
    small = ParagraphStyle("district-change", parent=cell, fontSize=7.5, leading=9.5)
    widths = [20, *([18] * len(DISTRICT_KEYS))]
    story: list[Any] = [
        _para(title(c), head),
        _para(f"{period_label(c)}　　{_produced(c)}", sub),
        Spacer(1, 4 * mm),
        _para(summary(c), body),
        Paragraph("一、各所主要指标", h2),
        _table(figure_rows(c), HEADER, widths, cell),
        Paragraph("二、较上期变化（环比）", h2),
        _table(change_rows(c), CHANGE_HEADER, widths, small),
        KeepTogether([_para("各所警情（本期 / 上期）", body), _calls_chart(c, font)]) if c.rows
        else Spacer(1, 1),
        Paragraph("三、各所重要警情", h2),
        _table(notable_rows(c), NOTABLE_HEADER, [20, 38, 16, 16, 9, 13, 36, 34], cell)
        if any(r.notable for r in c.rows) else Paragraph("无。", body),
        Spacer(1, 3 * mm),
        _para(NOT_COMPARED, body),
    ]
    build_report_pdf(path, story, title=title(c), author=c.district, footer=f"{title(c)} · {_produced(c)}",
                     side_margin_mm=14)


def _sheet(book: Workbook, name: str, header: Sequence[str], rows: list[list[str]]) -> None:
    sheet = book.create_sheet(name)
    sheet.append(list(header))
    for c in sheet[1]:
        c.font, c.fill = Font(bold=True), PatternFill("solid", fgColor="DFE7F1")
    for row in rows:
        sheet.append([neutralise_cell(v) for v in row])
    for column in sheet.columns:
        width = max((len(str(v.value or "")) for v in column), default=4)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width * 1.6))
    sheet.freeze_panes = "B2"


def write_xlsx(c: DistrictComparison, path: Path) -> None:
    """The same tables as a workbook, one sheet each."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    info = book.create_sheet("周对比")
    for line in (title(c), period_label(c), _produced(c), summary(c), NOT_COMPARED):
        info.append([line])
    info["A1"].font = Font(bold=True, size=14)
    _sheet(book, "主要指标", HEADER, figure_rows(c))
    _sheet(book, "较上期", CHANGE_HEADER, change_rows(c))
    _sheet(book, "重要警情", NOTABLE_HEADER, notable_rows(c))
    with _atomic(path) as part:
        book.save(part)


def write_district_report(c: DistrictComparison, path: Path, *, db: Database | None = None) -> None:
    """Write the comparison as PDF or XLSX, chosen by the file's suffix (recorded in ``db``'s
    audit trail when given)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        write_pdf(c, path)
    elif suffix == ".xlsx":
        write_xlsx(c, path)
    else:
        raise ValueError(f"{path}: the district report is written as .pdf or .xlsx, "
                         f"not {suffix or 'no suffix'}")
    if db is not None:
        audit.log(db, audit.Action.EXPORT, object_type="file", object_id=path.name,
                  detail={"what": "district comparison", "from": c.period.start.isoformat(),
                          "to": c.period.end.isoformat(), "stations": len(c.rows),
                          "personal_data": "clear" if c.clear_personal else "masked"})

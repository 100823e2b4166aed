"""The patrol plan (巡逻防控计划): the hotspots as must-visit points with their time bands, each
given to the nearest police post (or to one chosen unit), as XLSX and as an A4 PDF in Chinese.

Built from the coverage report, so each point also says how much patrol presence it got and
whether it is a coverage gap. Drawn like the daily briefing (ReportLab with the bundled CJK
font, written beside the target and moved into place), carrying who produced it and when;
writing it needs the export permission and is recorded in the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer
from sqlalchemy import Table, select

from station_console.domain import geo
from station_console.domain.security import Perm, neutralise_cell
from station_console.services import audit
from station_console.services.briefing import (
    _atomic,
    _para,
    _table,
    build_report_pdf,
    report_styles,
)
from station_console.services.hotspots import DEFAULT_CELL_M
from station_console.services.importer import Locator
from station_console.services.map_data import load_jurisdiction
from station_console.services.patrol_coverage import (
    DEFAULT_DAYS,
    DEFAULT_THRESHOLD_MIN,
    CoverageReport,
    coverage_report,
)
from station_console.store.database import Database
from station_console.store.models import Community, Grid, IncidentCategory, PatrolUnit

UNIT: Table = PatrolUnit.__table__  # type: ignore[attr-defined]
CATEGORY: Table = IncidentCategory.__table__  # type: ignore[attr-defined]
COMMUNITY: Table = Community.__table__  # type: ignore[attr-defined]
GRID: Table = Grid.__table__  # type: ignore[attr-defined]

TITLE = "巡逻防控计划"
HEADER = ["责任警务站", "巡逻组", "热点", "必到点（纬度, 经度）", "所在社区/网格", "巡逻时段", "警情",
          "主要类别", "日均巡逻(分钟)", "距警务站(米)", "提示"]
PDF_COLUMNS = [0, 2, 3, 4, 5, 6, 7, 8, 10]
PDF_WIDTHS = [24, 9, 30, 27, 21, 9, 29, 15, 16]
GAP_NOTE = "覆盖不足"


@dataclass(frozen=True)
class PlanStop:
    """One must-visit point: where, when, who, and how much patrol it has had."""

    post: str
    units: str
    rank: int
    lat: float
    lon: float
    place: str
    band: tuple[int, int]
    incidents: int
    leading: str
    per_day: float
    gap: bool
    distance_m: float

    def row(self) -> list[str]:
        """The stop as the table prints it (``HEADER`` order)."""
        return [self.post, self.units, f"#{self.rank}", f"{self.lat:.6f}, {self.lon:.6f}", self.place,
                band_label(self.band), str(self.incidents), self.leading, f"{self.per_day:.1f}",
                f"{self.distance_m:.0f}", GAP_NOTE if self.gap else ""]


@dataclass(frozen=True)
class PatrolPlan:
    """The plan of one period, with its stamp (who produced it, when)."""

    station: str
    start: datetime
    end: datetime
    now: datetime
    produced_by: str
    threshold: float
    tracked_days: int
    stops: list[PlanStop]
    unit: str = ""

    @property
    def title(self) -> str:
        return f"{self.station}{TITLE}" if self.station else TITLE

    @property
    def stamp(self) -> str:
        who = f"　制作人 {self.produced_by}" if self.produced_by else ""
        return f"生成于 {self.now:%Y-%m-%d %H:%M}{who}"

    @property
    def period(self) -> str:
        last = self.end - timedelta(microseconds=1)
        return f"{self.start:%Y-%m-%d} 至 {last:%Y-%m-%d}"

    def rows(self) -> list[list[str]]:
        return [s.row() for s in self.stops]


def band_label(band: tuple[int, int]) -> str:
    return f"{band[0]:02d}:00-{band[1] or 24:02d}:00"


def build_plan(db: Database, *, days: int = DEFAULT_DAYS, now: datetime, categories: Iterable[str] = (),
               unit: str = "", threshold: float = DEFAULT_THRESHOLD_MIN,
               cell_m: float = DEFAULT_CELL_M, report: CoverageReport | None = None) -> PatrolPlan:
    """The plan of the last ``days`` days: every hotspot as a stop of its nearest post, or of
    ``unit`` (a unit's name, code or call sign) when given. Raises ValueError for an unknown
    category or unit."""
    report = report or coverage_report(db, days=days, now=now, categories=categories, threshold=threshold,
                                       cell_m=cell_m)
    jurisdiction = load_jurisdiction(db)
    with db.read() as conn:
        units = conn.execute(select(UNIT.c.name, UNIT.c.code, UNIT.c.call_sign, UNIT.c.post_id)
                             .order_by(UNIT.c.code)).all()
        names = {r.code: r.name for r in conn.execute(select(CATEGORY.c.code, CATEGORY.c.name))}
        locator = Locator(conn)
        community_names = {r.id: r.name for r in conn.execute(select(COMMUNITY.c.id, COMMUNITY.c.name))}
        grid_names = {r.id: r.name for r in conn.execute(select(GRID.c.id, GRID.c.name))}
    chosen = None
    if unit:
        chosen = next((u for u in units if unit in (u.name, u.code, u.call_sign)), None)
        if chosen is None:
            known = ", ".join(u.name for u in units) or "none"
            raise ValueError(f"no patrol unit {unit!r}; the units are: {known}")
    units_of: dict[int | None, list[str]] = {}
    for u in units:
        units_of.setdefault(u.post_id, []).append(u.name)
    stops = []
    for cov in report.hotspots:
        spot = cov.hotspot
        here = (spot.lon, spot.lat)
        posts = sorted(jurisdiction.posts, key=lambda p: geo.haversine_m(here, (p.lon, p.lat)))
        post = posts[0] if posts else None
        if chosen is not None:
            post = next((p for p in jurisdiction.posts if p.id == chosen.post_id), post)
        community_id, grid_id, _inside = locator.locate(spot.lat, spot.lon, "")
        place = "/".join(n for n in (community_names.get(community_id or 0, ""),
                                     grid_names.get(grid_id or 0, "")) if n)
        crew = [chosen.name] if chosen is not None else units_of.get(post.id if post else None, [])
        stops.append(PlanStop(
            post=post.name if post else "",
            units="、".join(crew),
            rank=spot.rank, lat=spot.lat, lon=spot.lon, place=place or "辖区外",
            band=spot.peak_hours, incidents=spot.count,
            leading="、".join(names.get(code, code) for code, _n in spot.leading),
            per_day=cov.per_day, gap=cov.gap,
            distance_m=geo.haversine_m(here, (post.lon, post.lat)) if post else 0.0))
    stops.sort(key=lambda s: (s.post, s.band, s.rank))
    who = db.identity
    return PatrolPlan(jurisdiction.station_name, report.start, report.end, now,
                      who.display_name or who.username, report.threshold, report.tracked_days, stops,
                      chosen.name if chosen is not None else "")


def _summary(plan: PatrolPlan) -> str:
    gaps = sum(s.gap for s in plan.stops)
    posts = len({s.post for s in plan.stops})
    who = f"由{plan.unit}负责全部必到点。" if plan.unit else f"按就近原则分配到 {posts} 个警务站。"
    return (f"依据 {plan.period} 的警情热点（Getis-Ord Gi* 显著）制定，共 {len(plan.stops)} 个必到点，{who}"
            f"各点须在所列高发时段内到达巡逻；轨迹覆盖按有轨迹的 {plan.tracked_days} 天计算，"
            f"日均巡逻不足 {plan.threshold:g} 分钟的 {gaps} 个点标为“{GAP_NOTE}”，应优先安排。")


def write_plan_pdf(plan: PatrolPlan, path: Path) -> None:
    """The plan as an A4 PDF in Chinese."""
    title, sub, h2, cell, body = report_styles()
    story: list[Any] = [
        _para(plan.title, title),
        _para(f"{plan.period}　　{plan.stamp}", sub),
        Spacer(1, 4 * mm),
        _para(_summary(plan), body),
        Paragraph("必到点与巡逻时段", h2),
    ]
    if plan.stops:
        rows = [[row[i] for i in PDF_COLUMNS] for row in plan.rows()]
        story.append(_table(rows, [HEADER[i] for i in PDF_COLUMNS], PDF_WIDTHS, cell))
    else:
        story.append(_para("本期无显著热点，无必到点。", body))

    build_report_pdf(path, story, title=plan.title, author=plan.station,
                     footer=f"{TITLE} · {plan.stamp}", side_margin_mm=14)


def write_plan_xlsx(plan: PatrolPlan, path: Path) -> None:
    """The plan as a workbook: the title, period and stamp above one table of stops."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = TITLE
    sheet.append([plan.title])
    sheet.append([plan.period])
    sheet.append([plan.stamp])
    sheet.append([_summary(plan)])
    sheet.append([])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEADER)
    header_row = sheet.max_row
    for c in sheet[header_row]:
        c.font, c.fill = Font(bold=True), PatternFill("solid", fgColor="DFE7F1")
    for row in plan.rows():
        sheet.append([neutralise_cell(v) for v in row])
    for index, width in enumerate((16, 20, 7, 24, 22, 13, 7, 26, 14, 13, 10)):
        sheet.column_dimensions[sheet.cell(row=header_row, column=index + 1).column_letter].width = width
    for line in sheet.iter_rows(min_row=header_row + 1):
        for c in line:
            c.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    with _atomic(path) as part:
        book.save(part)


def write_plan(db: Database, plan: PatrolPlan, path: Path) -> None:
    """Write the plan as PDF or XLSX (by the file's suffix) and record the export."""
    db.identity.require(Perm.EXPORT)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        write_plan_pdf(plan, path)
    elif suffix == ".xlsx":
        write_plan_xlsx(plan, path)
    else:
        raise ValueError(f"{path}: the patrol plan is written as .pdf or .xlsx, not {suffix or 'no suffix'}")
    audit.log(db, audit.Action.EXPORT, object_type="file", object_id=path.name,
              detail={"what": "patrol plan", "stops": len(plan.stops), "gaps": sum(s.gap for s in plan.stops),
                      "period": plan.period, "unit": plan.unit})

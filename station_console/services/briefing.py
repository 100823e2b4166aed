"""The morning briefing (日报): one day's figures as an A4 PDF in Chinese and an XLSX.

Both files come from the same ``Briefing`` (the dashboard's figures plus the lists the chief
acts on), so the PDF, the workbook and the dashboard always agree. The PDF is drawn with
ReportLab and the bundled Droid Sans Fallback font: no Qt, so the unattended ``report daily``
command renders Chinese on any machine. Files are written beside the target and moved into
place when complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from station_console.config import resource_path
from station_console.domain.security import Perm, mask_free_text
from station_console.domain.shifts import TimePreset
from station_console.domain.workflow import DEFAULT_POLICY, ClockPolicy
from station_console.services import audit
from station_console.services.analytics import (
    DEFAULT_WEIGHTS,
    AnalyticsService,
    Dashboard,
    Figure,
    PeriodKind,
    Unit,
    period_for,
)
from station_console.services.hotspots import Hotspot, TimeWindow, find_hotspots, grid_for
from station_console.services.incidents import Flag, IncidentFilter, IncidentRow, IncidentService, Sort
from station_console.services.map_data import load_incident_arrays, load_jurisdiction
from station_console.services.tasks import TaskCounts, TaskFilter, TaskRow, TaskService
from station_console.store.database import Database

FONT_NAME = "DroidSansFallback"
LATIN_FONT = "Helvetica"
#: Hotspots over this many days before the briefing's day.
HOTSPOT_DAYS = 28
HOTSPOT_LIMIT = 5
LIST_LIMIT = 15

#: Chinese names of the tiles, in the briefing's order.
FIGURE_NAMES: Mapping[str, str] = {
    "calls": "警情总数",
    "criminal": "刑事警情",
    "property": "侵财警情",
    "arrival_rate": "5分钟到场率",
    "median_dispatch": "派警用时中位数",
    "median_arrival": "到场用时中位数",
    "non_police_share": "非警务警情占比",
    "diversion_rate": "非警务分流率",
    "repeat_rate": "重复报警率",
    "overdue_now": "当前超时未处置",
    "disputes_opened": "新登记矛盾纠纷",
    "disputes_resolved": "化解矛盾纠纷",
    "warning_on_time_rate": "预警按时反馈率",
    "task_signoff_rate": "任务按时签收率",
    "task_feedback_rate": "任务按时反馈率",
}
#: On-time rates of the closed loops: their note says how many of how many.
ON_TIME_KEYS = ("warning_on_time_rate", "task_signoff_rate", "task_feedback_rate")
STATUS_NAMES = {"new": "待派警", "dispatched": "已派警", "arrived": "已到场", "resolved": "处置完毕",
                "closed": "已办结"}
WEEKDAYS = "一二三四五六日"
COMMUNITY_HEADER = ["社区", "警情", "上期", "刑事", "侵财", "重复报警", "非警务", "5分钟到场率"]


@dataclass(frozen=True)
class Briefing:
    """What the briefing shows for one day."""

    day: date
    dashboard: Dashboard
    overdue_incidents: list[IncidentRow]
    overdue_tasks: list[TaskRow]
    task_counts: TaskCounts
    hotspots: list[Hotspot]
    category_names: Mapping[str, str] = field(default_factory=dict)
    #: Who produced it (printed on it) and whether they may see personal data in clear.
    produced_by: str = ""
    clear_personal: bool = True

    @property
    def title(self) -> str:
        return f"{self.dashboard.station or '派出所'}综合指挥室日报"


def collect_briefing(db: Database, day: date, *, now: Callable[[], datetime] = datetime.now,
                     weights: Mapping[str, float] | None = None,
                     policy: ClockPolicy = DEFAULT_POLICY) -> Briefing:
    """Gather one day's briefing (the day's figures, what is overdue now, recent hotspots)."""
    dashboard = AnalyticsService(db, now=now, policy=policy).dashboard(
        period_for(PeriodKind.DAY, day), weights=weights or DEFAULT_WEIGHTS, notable=True)
    incidents = IncidentService(db, policy=policy, now=now)
    overdue = incidents.page(IncidentFilter(flags=frozenset({Flag.OVERDUE})), Sort(descending=False),
                             limit=LIST_LIMIT)
    tasks = TaskService(db, now=now)
    overdue_tasks = tasks.list_tasks(TaskFilter(overdue_only=True), limit=LIST_LIMIT)
    until = dashboard.comparison.current.end
    hotspots = recent_hotspots(db, until)
    names = {c.code: c.name for c in incidents.lookups().categories}
    who = db.identity
    return Briefing(day, dashboard, overdue, overdue_tasks, tasks.counts(), hotspots, names,
                    produced_by=who.display_name or who.username,
                    clear_personal=who.can(Perm.VIEW_PERSONAL))


def recent_hotspots(db: Database, until: datetime) -> list[Hotspot]:
    """The hotspots of the ``HOTSPOT_DAYS`` days before ``until`` (the map's own method), loading
    only that window and the one before it (for the change) instead of the whole history."""
    start = until - timedelta(days=2 * HOTSPOT_DAYS)
    arrays = load_incident_arrays(db, IncidentFilter(preset=TimePreset.CUSTOM, start=start, end=until),
                                  now=until)
    if not len(arrays):
        return []
    grid = grid_for(arrays, load_jurisdiction(db).bounds())
    return find_hotspots(arrays, TimeWindow.last_days(HOTSPOT_DAYS, until), grid, limit=HOTSPOT_LIMIT)


# formatting ------------------------------------------------------------------------------


def format_value(fig: Figure, *, minute: str = "分", second: str = "秒") -> str:
    """A figure's value as the briefing prints it ("—" when there is nothing to measure); the
    screens mark minutes and seconds with ′ and ″."""
    if fig.value is None:
        return "—"
    if fig.unit == Unit.RATE:
        return f"{fig.value * 100:.1f}%"
    if fig.unit == Unit.SECONDS:
        secs = round(fig.value)
        return f"{secs // 60}{minute}{secs % 60:02d}{second}"
    return f"{fig.value:,.0f}"


def format_change(fig: Figure, other: float | None) -> str:
    """Change against a comparison value: percent for counts and times, points for rates."""
    change = fig.change(other)
    if change is None:
        return "—"
    if change == 0:
        return "持平"
    arrow = "上升" if change > 0 else "下降"
    if fig.unit == Unit.RATE:
        return f"{arrow}{abs(change) * 100:.1f}个百分点"
    return f"{arrow}{abs(change) * 100:.1f}%"


def headline_rows(b: Briefing) -> list[list[str]]:
    """The headline table: figure, value, 环比, 同比, note (shared by the PDF and the XLSX)."""
    rows = []
    for key, name in FIGURE_NAMES.items():
        fig = b.dashboard.tile(key)
        note = f"目标 {fig.target * 100:.0f}%" if fig.target is not None else ""
        if key == "arrival_rate" and fig.base:
            note += f"（{fig.base} 起中超时 {fig.count} 起）"
        if key in ON_TIME_KEYS and fig.base:
            note = f"{fig.base} 件中按时 {fig.count} 件"
        if key == "overdue_now":
            rows.append([name, format_value(fig), "", "", "截至生成时"])
            continue
        rows.append([name, format_value(fig), format_change(fig, fig.previous),
                     format_change(fig, fig.last_year), note])
    for fig in b.dashboard.groups:
        rows.append([f"　{fig.label}类", format_value(fig), format_change(fig, fig.previous),
                     format_change(fig, fig.last_year), ""])
    return rows


def _clock(t: datetime | None) -> str:
    return "" if t is None else f"{t:%m-%d %H:%M}"


def overdue_incident_rows(b: Briefing) -> list[list[str]]:
    now = b.dashboard.now
    return [[r.incident_no, _clock(r.received_at), r.category_name, STATUS_NAMES.get(r.status, r.status),
             _minutes(now - (r.reopened_at or r.received_at)), r.address] for r in b.overdue_incidents]


def overdue_task_rows(b: Briefing) -> list[list[str]]:
    return [[r.task_no, r.title, r.assignee_name, r.community_name, _clock(r.signoff_due),
             _clock(r.feedback_due)] for r in b.overdue_tasks]


def notable_rows(b: Briefing) -> list[list[str]]:
    return [[r.incident_no, _clock(r.received_at), r.category_name, f"{r.priority}级",
             STATUS_NAMES.get(r.status, r.status), r.address,
             r.description if b.clear_personal else mask_free_text(r.description)]
            for r in b.dashboard.notable]


def hotspot_rows(b: Briefing) -> list[list[str]]:
    return [[str(h.rank), f"{h.lat:.5f}, {h.lon:.5f}", str(h.count),
             "、".join(f"{b.category_names.get(c, c)}{n}" for c, n in h.leading[:3]),
             f"{h.peak_hours[0]:02d}-{h.peak_hours[1]:02d}时",
             "—" if h.change_pct is None else f"{h.change_pct:+.0f}%"] for h in b.hotspots]


def community_rows(b: Briefing) -> list[list[str]]:
    return [[r.name, str(r.calls), str(r.previous_calls), str(r.criminal), str(r.property), str(r.repeat),
             str(r.non_police), "—" if r.arrival_rate is None else f"{r.arrival_rate * 100:.1f}%"]
            for r in b.dashboard.communities]


def _minutes(delta: timedelta) -> str:
    return f"{int(delta.total_seconds() // 60)}分钟"


def day_label(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


# files ------------------------------------------------------------------------------------


@contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    """Write to ``path.part`` and move it into place only when complete."""
    part = path.with_name(path.name + ".part")
    try:
        yield part
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)


def _font() -> str:
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(resource_path("fonts", "DroidSansFallbackFull.ttf"))))
    return FONT_NAME


def _runs(text: str) -> list[tuple[str, str]]:
    """Split text into (font, run) pieces: the bundled CJK font has no Latin letters or digits,
    so those are set in Helvetica."""
    out: list[tuple[str, str]] = []
    for ch in text:
        font = LATIN_FONT if ord(ch) < 0x2100 else FONT_NAME
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + ch)
        else:
            out.append((font, ch))
    return out


def _mixed(text: str) -> str:
    """Paragraph markup of ``text`` with Latin runs in the Latin font."""
    return "".join(escape(run) if font == FONT_NAME else f'<font name="{font}">{escape(run)}</font>'
                   for font, run in _runs(text))


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_mixed(text), style)


def _draw_centred(canvas: Any, x: float, y: float, text: str, size: float) -> None:
    runs = _runs(text)
    width = sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs)
    x -= width / 2
    for font, run in runs:
        canvas.setFont(font, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, font, size)


def _table(rows: Sequence[Sequence[str]], header: Sequence[str], widths: Sequence[float],
           style: ParagraphStyle) -> Table:
    cells = [[_para(str(c), style) for c in header]]
    cells += [[_para(str(c), style) for c in row] for row in rows]
    table = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe7f1")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa9bb")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _trend_chart(b: Briefing, font: str) -> Drawing:
    points = b.dashboard.trend
    drawing = Drawing(170 * mm, 62 * mm)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 12 * mm, 150 * mm, 42 * mm
    current = [p.count for p in points]
    earlier = [p.last_year if p.last_year is not None else 0 for p in points]
    has_earlier = any(p.last_year is not None for p in points)
    chart.data = [current, earlier] if has_earlier else [current]
    chart.lines[0].strokeColor = colors.HexColor("#1f5fa8")
    chart.lines[0].strokeWidth = 1.6
    if len(chart.data) > 1:
        chart.lines[1].strokeColor = colors.HexColor("#9aa3ad")
        chart.lines[1].strokeDashArray = (3, 2)
    chart.categoryAxis.categoryNames = [f"{p.day:%m-%d}" if i % 5 == 0 or i == len(points) - 1 else ""
                                        for i, p in enumerate(points)]
    for axis in (chart.categoryAxis.labels, chart.valueAxis.labels):
        axis.fontName, axis.fontSize = LATIN_FONT, 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(5, *current, *earlier)
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 120 * mm, 60 * mm
    legend.fontName, legend.fontSize = font, 7
    legend.colorNamePairs = [(colors.HexColor("#1f5fa8"), "本期")]
    if has_earlier:
        legend.colorNamePairs.append((colors.HexColor("#9aa3ad"), "去年同期"))
    legend.columnMaximum = 1
    drawing.add(legend)
    return drawing


def _category_chart(b: Briefing, font: str) -> Drawing:
    groups = b.dashboard.groups
    drawing = Drawing(170 * mm, 58 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, 150 * mm, 36 * mm
    chart.data = [[g.value or 0 for g in groups], [g.previous or 0 for g in groups]]
    chart.bars[0].fillColor = colors.HexColor("#1f5fa8")
    chart.bars[1].fillColor = colors.HexColor("#c5cfdb")
    chart.categoryAxis.categoryNames = [g.label for g in groups]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = font, 7
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = LATIN_FONT, 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(5, *chart.data[0], *chart.data[1])
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 120 * mm, 53 * mm
    legend.fontName, legend.fontSize = font, 7
    legend.colorNamePairs = [(colors.HexColor("#1f5fa8"), "本期"), (colors.HexColor("#c5cfdb"), "上期")]
    legend.columnMaximum = 1
    drawing.add(legend)
    return drawing


class ReportStyles(NamedTuple):
    """The paragraph styles of the console's A4 reports (briefing, diversion report, patrol plan)."""

    title: ParagraphStyle
    sub: ParagraphStyle
    h2: ParagraphStyle
    cell: ParagraphStyle
    body: ParagraphStyle


def report_styles() -> ReportStyles:
    font = _font()
    return ReportStyles(
        ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=1),
        ParagraphStyle("sub", fontName=font, fontSize=10, leading=14, alignment=1,
                       textColor=colors.HexColor("#555555")),
        ParagraphStyle("h2", fontName=font, fontSize=12, leading=18, spaceBefore=6,
                       textColor=colors.HexColor("#1f3c66")),
        ParagraphStyle("cell", fontName=font, fontSize=8, leading=10),
        ParagraphStyle("body", fontName=font, fontSize=9, leading=13),
    )


def build_report_pdf(path: Path, story: list[Any], *, title: str, author: str, footer: str,
                     side_margin_mm: float = 18) -> None:
    """Write an A4 report atomically, ``footer · 第 N 页`` centred at the foot of every page."""

    def draw_footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        _draw_centred(canvas, A4[0] / 2, 10 * mm, f"{footer} · 第 {doc.page} 页", 8)
        canvas.restoreState()

    with _atomic(path) as part:
        doc = SimpleDocTemplate(str(part), pagesize=A4, leftMargin=side_margin_mm * mm,
                                rightMargin=side_margin_mm * mm, topMargin=16 * mm,
                                bottomMargin=16 * mm, title=title, author=author or "Station Console")
        doc.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)


def write_pdf(b: Briefing, path: Path) -> None:
    """The briefing as an A4 PDF in Chinese."""
    font = _font()
    title, sub, h2, cell, body = report_styles()
    d = b.dashboard
    calls, rate = d.tile("calls"), d.tile("arrival_rate")
    summary = (f"{day_label(b.day)}共接报警情 {format_value(calls)} 起，"
               f"环比{format_change(calls, calls.previous)}，同比{format_change(calls, calls.last_year)}；"
               f"5分钟到场率 {format_value(rate)}（目标 {(rate.target or 0) * 100:.0f}%）；"
               f"当前超时未处置警情 {format_value(d.tile('overdue_now'))} 起，"
               f"超时任务 {b.task_counts.overdue} 件。"
               f"新登记矛盾纠纷 {format_value(d.tile('disputes_opened'))} 起，"
               f"化解 {format_value(d.tile('disputes_resolved'))} 起；"
               f"预警按时反馈率 {format_value(d.tile('warning_on_time_rate'))}；"
               f"任务按时签收率 {format_value(d.tile('task_signoff_rate'))}，"
               f"按时反馈率 {format_value(d.tile('task_feedback_rate'))}。")
    story: list[Any] = [
        _para(b.title, title),
        _para(f"{day_label(b.day)}　　{_produced(b)}", sub),
        Spacer(1, 4 * mm),
        _para(summary, body),
        Paragraph("一、主要指标", h2),
        _table(headline_rows(b), ["指标", "本期", "环比", "同比", "说明"], [42, 26, 34, 34, 44], cell),
        Paragraph("二、走势与类别", h2),
        KeepTogether([_para(f"近{len(d.trend)}日警情走势", body), _trend_chart(b, font)]),
        KeepTogether([_para("警情类别（本期 / 上期）", body), _category_chart(b, font)])
        if d.groups else Spacer(1, 1),
        _para(f"三、治安热点（近{HOTSPOT_DAYS}日）", h2),
        _table(hotspot_rows(b), ["序号", "位置（纬度, 经度）", "警情", "主要类别", "高发时段", "较前期"],
               [12, 40, 14, 58, 26, 24], cell) if b.hotspots else Paragraph("无显著热点。", body),
        Paragraph("四、超时未处置", h2),
        _table(overdue_incident_rows(b), ["警情编号", "接警", "类别", "状态", "已用时", "地址"],
               [40, 20, 22, 18, 18, 56], cell) if b.overdue_incidents else Paragraph("无超时警情。", body),
        Spacer(1, 2 * mm),
        _table(overdue_task_rows(b), ["任务编号", "任务", "责任民警", "社区", "签收时限", "反馈时限"],
               [34, 50, 20, 24, 23, 23], cell) if b.overdue_tasks else Paragraph("无超时任务。", body),
        _para(f"任务：在办 {b.task_counts.open} 件，即将到期 {b.task_counts.expiring} 件，"
                  f"超时 {b.task_counts.overdue} 件，待审核 {b.task_counts.awaiting_review} 件。", body),
        Paragraph("五、重要警情", h2),
        _table(notable_rows(b), ["警情编号", "接警", "类别", "等级", "状态", "地址", "简要情况"],
               [41, 17, 18, 10, 15, 38, 35], cell) if d.notable else Paragraph("无。", body),
        Paragraph("六、分社区情况", h2),
        _table(community_rows(b), COMMUNITY_HEADER, [34, 18, 18, 18, 18, 22, 20, 26], cell),
    ]

    build_report_pdf(path, story, title=b.title, author=d.station, footer=f"{b.title} · {_produced(b)}")


def write_xlsx(b: Briefing, path: Path) -> None:
    """The same figures and lists as a workbook, one sheet each."""
    book = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DFE7F1")
    sheets: list[tuple[str, list[str], list[list[str]]]] = [
        ("主要指标", ["指标", "本期", "环比", "同比", "说明"], headline_rows(b)),
        ("走势", ["日期", "警情", "去年同期"],
         [[p.day.isoformat(), str(p.count), "" if p.last_year is None else str(p.last_year)]
          for p in b.dashboard.trend]),
        ("分社区", COMMUNITY_HEADER, community_rows(b)),
        ("热点", ["序号", "位置", "警情", "主要类别", "高发时段", "较前期"], hotspot_rows(b)),
        ("超时警情", ["警情编号", "接警", "类别", "状态", "已用时", "地址"], overdue_incident_rows(b)),
        ("超时任务", ["任务编号", "任务", "责任民警", "社区", "签收时限", "反馈时限"], overdue_task_rows(b)),
        ("重要警情", ["警情编号", "接警", "类别", "等级", "状态", "地址", "简要情况"], notable_rows(b)),
    ]
    first = book.active
    assert first is not None
    book.remove(first)
    info = book.create_sheet("日报")
    info.append([b.title])
    info.append([day_label(b.day)])
    info.append([_produced(b)])
    info["A1"].font = Font(bold=True, size=14)
    for name, header, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font, cell.fill = bold, fill
        for row in rows:
            sheet.append(row)
        for column in sheet.columns:
            width = max((len(str(c.value or "")) for c in column), default=4)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width * 1.6))
            for c in column:
                c.alignment = Alignment(vertical="top", wrap_text=width > 40)
        sheet.freeze_panes = "A2"
    with _atomic(path) as part:
        book.save(part)


def _produced(b: Briefing) -> str:
    who = f"　制作人 {b.produced_by}" if b.produced_by else ""
    return f"生成于 {b.dashboard.now:%Y-%m-%d %H:%M}{who}"


def write_briefing(b: Briefing, path: Path, *, db: Database | None = None) -> None:
    """Write the briefing as PDF or XLSX, chosen by the file's suffix (recorded in ``db``'s
    audit trail when given)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        write_pdf(b, path)
    elif suffix == ".xlsx":
        write_xlsx(b, path)
    else:
        raise ValueError(f"{path}: the briefing is written as .pdf or .xlsx, not {suffix or 'no suffix'}")
    if db is not None:
        audit.log(db, audit.Action.EXPORT, object_type="file", object_id=path.name,
                  detail={"what": "daily briefing", "day": b.day.isoformat(),
                          "personal_data": "clear" if b.clear_personal else "masked"})

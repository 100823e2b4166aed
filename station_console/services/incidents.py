"""Incident board use cases: filtered and sorted pages, detail, workflow, intake, live updates.

Everything returns plain dataclasses (never ORM objects), so rows can cross threads and sit in
Qt models. Filtering, sorting and paging happen in SQL on indexed columns: the board stays fast
with a million incidents because it only ever reads the page it shows. ``now`` is injectable
(``IncidentService(db, now=...)``) so time presets and clocks can be checked at a fixed moment.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    case,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.engine import Connection, Row

from station_console.domain.categories import POLICE_ARRIVAL_LIMIT_S as ARRIVAL_TARGET_S
from station_console.domain.enums import IncidentSource, IncidentStatus, Priority, UnitStatus
from station_console.domain.intake import (
    Area,
    FieldProblem,
    area_at,
    area_from_address,
    coordinate_problems,
    id_number_problem,
    normalize_phone,
    phone_problem,
)
from station_console.domain.security import Perm, PersonalField, masker_for, neutralise_cell
from station_console.domain.shifts import TimePreset, time_window
from station_console.domain.workflow import (
    DEFAULT_POLICY,
    MERGED_OUTCOME,
    Action,
    Clock,
    ClockPolicy,
    IncidentState,
    Refusal,
    WorkflowError,
    allowed_actions,
    check_close,
    check_dispatch,
    check_duty_change,
    check_merge,
    check_note,
    check_reopen,
    check_resolve,
    check_transition,
    incident_clock,
)
from station_console.services import audit
from station_console.store.database import Database
from station_console.store.dialect import epoch_seconds, hour_of_day, text_search, weekday_of
from station_console.store.models import (
    CategoryGroupRow,
    Community,
    Grid,
    Incident,
    IncidentCategory,
    IncidentEvent,
    Officer,
    PatrolUnit,
    Station,
    UnitDutyChange,
)

INCIDENT: Table = Incident.__table__  # type: ignore[attr-defined]
STATION: Table = Station.__table__  # type: ignore[attr-defined]
CATEGORY: Table = IncidentCategory.__table__  # type: ignore[attr-defined]
GROUP: Table = CategoryGroupRow.__table__  # type: ignore[attr-defined]
COMMUNITY: Table = Community.__table__  # type: ignore[attr-defined]
GRID: Table = Grid.__table__  # type: ignore[attr-defined]
UNIT: Table = PatrolUnit.__table__  # type: ignore[attr-defined]
DUTY: Table = UnitDutyChange.__table__  # type: ignore[attr-defined]
OFFICER: Table = Officer.__table__  # type: ignore[attr-defined]
EVENT: Table = IncidentEvent.__table__  # type: ignore[attr-defined]

#: Related calls shown in the detail pane, per kind.
RELATED_LIMIT = 20
#: New incidents reported per live poll (the alert only needs the newest few).
NEW_ROWS_LIMIT = 50
#: Incidents one XLSX sheet can hold (Excel's row limit, less the header).
XLSX_MAX_ROWS = 1_048_575


class Flag(StrEnum):
    """Flags of the board's filter and flag column. Several chosen flags must all hold."""

    REPEAT = "repeat"      # 重复报警
    OVERDUE = "overdue"    # 超时
    DIVERTED = "diverted"  # 已分流
    MERGED = "merged"      # merged into another incident, or has calls merged into it


class Response(StrEnum):
    """A condition on the recorded response times (the dashboard drills down with it)."""

    ANY = ""
    DISPATCHED = "dispatched"  # a dispatch time is recorded
    ARRIVED = "arrived"        # an arrival time is recorded
    ON_TIME = "on_time"        # arrived within the 5-minute target of receipt
    LATE = "late"              # arrived later than that


class SortKey(StrEnum):
    """Columns the board can sort on (each backed by an index)."""

    RECEIVED = "received"
    NUMBER = "number"
    CATEGORY = "category"
    PRIORITY = "priority"
    STATUS = "status"
    COMMUNITY = "community"


@dataclass(frozen=True)
class Sort:
    """A sort order; ties are broken by receipt time then id in the same direction."""

    key: SortKey = SortKey.RECEIVED
    descending: bool = True


_SORT_COLUMNS: Mapping[SortKey, tuple[str, ...]] = {
    SortKey.RECEIVED: ("received_at", "id"),
    SortKey.NUMBER: ("incident_no",),
    SortKey.CATEGORY: ("category_code", "received_at", "id"),
    SortKey.PRIORITY: ("priority", "received_at", "id"),
    SortKey.STATUS: ("status", "received_at", "id"),
    SortKey.COMMUNITY: ("community_id", "received_at", "id"),
}


@dataclass(frozen=True)
class IncidentFilter:
    """What the board shows. Empty sets mean "any"; the parts combine with AND."""

    preset: TimePreset = TimePreset.ALL
    start: datetime | None = None
    end: datetime | None = None
    categories: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    priorities: frozenset[int] = frozenset()
    community_id: int | None = None
    grid_id: int | None = None
    flags: frozenset[Flag] = frozenset()
    text: str = ""
    #: Hours of the day (0-23) and weekdays (Monday 0) of receipt; the dashboard's matrix cells.
    hours: frozenset[int] = frozenset()
    weekdays: frozenset[int] = frozenset()
    response: Response = Response.ANY
    #: A polygon drawn on the map, as (lat, lon) corners: incidents located inside it.
    area: tuple[tuple[float, float], ...] = ()

    def to_json(self) -> str:
        """The filter as JSON (kept in the settings between runs)."""
        doc: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, frozenset):
                value = sorted(value)
            elif isinstance(value, datetime):
                value = value.isoformat()
            doc[f.name] = value
        return json.dumps(doc, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> IncidentFilter:
        """Read a saved filter; anything unreadable or unknown falls back to the default."""
        try:
            doc = json.loads(raw)
            return cls(
                preset=TimePreset(doc.get("preset", TimePreset.ALL)),
                start=_opt_datetime(doc.get("start")),
                end=_opt_datetime(doc.get("end")),
                categories=frozenset(str(c) for c in doc.get("categories", [])),
                statuses=frozenset(IncidentStatus(s).value for s in doc.get("statuses", [])),
                sources=frozenset(str(s) for s in doc.get("sources", [])),
                priorities=frozenset(int(p) for p in doc.get("priorities", [])),
                community_id=_opt_int(doc.get("community_id")),
                grid_id=_opt_int(doc.get("grid_id")),
                flags=frozenset(Flag(f) for f in doc.get("flags", [])),
                text=str(doc.get("text", "")),
                hours=frozenset(int(h) for h in doc.get("hours", [])),
                weekdays=frozenset(int(d) for d in doc.get("weekdays", [])),
                response=Response(doc.get("response", "")),
                area=tuple((float(lat), float(lon)) for lat, lon in doc.get("area", [])),
            )
        except (ValueError, TypeError, AttributeError):
            return cls()


def area_clause(lat: Any, lon: Any, ring: Sequence[tuple[float, float]]) -> ColumnElement[bool]:
    """Points inside the polygon ``ring`` ((lat, lon) corners), in plain SQL: the bounding box
    (cheap, checked first), then even-odd ray casting, one term per edge that crosses the point's
    latitude. A ring of fewer than three corners holds nothing."""
    if len(ring) < 3:
        return false()
    lats = [p[0] for p in ring]
    lons = [p[1] for p in ring]
    crossings = []
    for (lat1, lon1), (lat2, lon2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        if lat1 == lat2:
            continue  # a horizontal edge is never crossed by the eastward ray
        low, high = min(lat1, lat2), max(lat1, lat2)
        slope = (lon2 - lon1) / (lat2 - lat1)
        crossings.append(case((and_(lat >= low, lat < high, lon < lon1 + (lat - lat1) * slope), 1), else_=0))
    if not crossings:
        return false()
    return and_(lat.is_not(None), lon.is_not(None), lat.between(min(lats), max(lats)),
                lon.between(min(lons), max(lons)), sum(crossings[1:], crossings[0]) % 2 == 1)


def _opt_datetime(value: Any) -> datetime | None:
    return None if value in (None, "") else datetime.fromisoformat(str(value))


def _opt_int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """One line of the board, with what its clock needs."""

    id: int
    incident_no: str
    received_at: datetime
    status: str
    priority: int
    source: str
    category_code: str
    category_name: str
    address: str
    community_name: str
    grid_name: str
    unit_name: str
    officer_name: str
    caller_name: str
    caller_phone: str
    dispatched_at: datetime | None
    arrived_at: datetime | None
    reopened_at: datetime | None
    dispatch_limit_s: int
    arrival_limit_s: int
    is_repeat: bool
    is_diverted: bool
    merged_into_id: int | None
    merged_count: int
    updated_at: datetime

    def clock(self, now: datetime) -> Clock | None:
        """The running clock at ``now`` (None once resolved, closed or merged)."""
        return incident_clock(
            self.status, self.received_at, now=now, dispatch_limit_s=self.dispatch_limit_s,
            arrival_limit_s=self.arrival_limit_s, reopened_at=self.reopened_at,
            merged=self.merged_into_id is not None,
        )

    def flags(self, now: datetime) -> frozenset[Flag]:
        """Which flags the row carries at ``now``."""
        clock = self.clock(now)
        out = set()
        if self.is_repeat:
            out.add(Flag.REPEAT)
        if clock is not None and clock.overdue:
            out.add(Flag.OVERDUE)
        if self.is_diverted:
            out.add(Flag.DIVERTED)
        if self.merged_into_id is not None or self.merged_count:
            out.add(Flag.MERGED)
        return frozenset(out)

    @property
    def state(self) -> IncidentState:
        return IncidentState(self.id, IncidentStatus(self.status), None, self.merged_into_id)

    @property
    def version(self) -> datetime:
        """The version of the incident this row shows: every write of an incident sets a new
        ``updated_at``. A workflow action given it is refused if the incident changed since."""
        return self.updated_at


@dataclass(frozen=True)
class EventRow:
    """One entry of an incident's timeline."""

    at: datetime
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class RelatedCall:
    """Another incident linked to the one shown (same caller, same place, merged call)."""

    id: int
    incident_no: str
    received_at: datetime
    status: str
    category_name: str
    address: str
    caller_phone: str


@dataclass(frozen=True)
class IncidentDetail:
    """Every field of an incident, its timeline and related calls."""

    row: IncidentRow
    caller_id_no: str
    description: str
    lat: float | None
    lon: float | None
    resolved_at: datetime | None
    closed_at: datetime | None
    outcome_code: str
    feedback: str
    in_jurisdiction: bool
    merged_into_no: str
    events: list[EventRow]
    same_phone: list[RelatedCall]
    same_address: list[RelatedCall]
    merged_calls: list[RelatedCall]

    def allowed(self) -> frozenset[Action]:
        """Actions the status rules allow now (buttons to enable)."""
        return allowed_actions(self.row.state)


@dataclass(frozen=True)
class CategoryChoice:
    code: str
    name: str
    name_en: str
    group_name: str
    default_priority: int
    active: bool


@dataclass(frozen=True)
class AreaChoice:
    id: int
    name: str
    parent_id: int | None = None


@dataclass(frozen=True)
class UnitRow:
    """A patrol unit on the unit status board."""

    id: int
    code: str
    name: str
    call_sign: str
    status: str
    incident_no: str
    duty_changed_at: datetime | None = None
    duty_changed_by: str = ""


@dataclass(frozen=True)
class OfficerChoice:
    id: int
    name: str
    badge_no: str
    team: str


@dataclass(frozen=True)
class Lookups:
    """The small code tables the filter bar and the forms choose from."""

    categories: list[CategoryChoice]
    communities: list[AreaChoice]
    grids: list[AreaChoice]
    officers: list[OfficerChoice]


@dataclass(frozen=True)
class Watermark:
    """Newest id and newest change time of the incident table: moves when anything is written."""

    max_id: int
    max_updated_at: datetime | None


@dataclass
class IntakeForm:
    """A manual intake (接警登记) as typed by the operator."""

    source: str
    category_code: str
    address: str
    description: str
    caller_name: str = ""
    caller_phone: str = ""
    caller_id_no: str = ""
    priority: int | None = None
    community_id: int | None = None
    grid_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    received_at: datetime | None = None


@dataclass(frozen=True)
class IntakeResult:
    """The new incident, or what is wrong with which field (nothing was saved then)."""

    incident_id: int | None = None
    incident_no: str = ""
    community_id: int | None = None
    errors: Mapping[str, FieldProblem] = field(default_factory=dict)
    in_jurisdiction: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class ExportCancelled(Exception):
    """The user cancelled an export; the partial file was removed."""


class ExportTooLarge(Exception):
    """More rows than one XLSX sheet holds."""

    def __init__(self, rows: int) -> None:
        super().__init__(f"{rows} incidents do not fit in one XLSX sheet ({XLSX_MAX_ROWS} rows); "
                         "narrow the filter or export CSV")
        self.rows = rows


#: Columns of an export, in order.
EXPORT_COLUMNS = (
    "incident_no", "received_at", "category", "priority", "status", "source", "address",
    "community", "grid", "caller_name", "caller_phone", "unit", "officer", "dispatched_at",
    "arrived_at", "resolved_at", "closed_at", "outcome_code", "flags", "description", "feedback",
)


@dataclass(frozen=True)
class ExportLabels:
    """Translated headers and code labels for an export (codes are written where none given)."""

    headers: Mapping[str, str] = field(default_factory=dict)
    statuses: Mapping[str, str] = field(default_factory=dict)
    priorities: Mapping[int, str] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    flags: Mapping[str, str] = field(default_factory=dict)
    outcomes: Mapping[str, str] = field(default_factory=dict)


ProgressFn = Callable[[int, int], bool]


# the query ------------------------------------------------------------------------------


def arrival_seconds(conn: Connection) -> ColumnElement[int]:
    """Whole seconds from receipt to arrival (NULL while nobody arrived)."""
    return epoch_seconds(conn, INCIDENT.c.arrived_at) - epoch_seconds(conn, INCIDENT.c.received_at)


def response_clause(conn: Connection, response: Response) -> ColumnElement[bool]:
    """Incidents meeting a response-time condition; "within 5 minutes" is at most 300 whole seconds."""
    if response == Response.DISPATCHED:
        return INCIDENT.c.dispatched_at.is_not(None)
    if response == Response.ARRIVED:
        return INCIDENT.c.arrived_at.is_not(None)
    if response == Response.ON_TIME:
        return and_(INCIDENT.c.arrived_at.is_not(None), arrival_seconds(conn) <= ARRIVAL_TARGET_S)
    if response == Response.LATE:
        return and_(INCIDENT.c.arrived_at.is_not(None), arrival_seconds(conn) > ARRIVAL_TARGET_S)
    return true()



def _merged_count_expr() -> ColumnElement[int]:
    child = INCIDENT.alias("child")
    return (
        select(func.count()).select_from(child).where(child.c.merged_into_id == INCIDENT.c.id)
        .scalar_subquery()
    )


class IncidentService:
    """The incident board's use cases over one database."""

    def __init__(self, db: Database, *, policy: ClockPolicy = DEFAULT_POLICY,
                 now: Callable[[], datetime] = datetime.now) -> None:
        self.db = db
        self.policy = policy
        self.now = now

    # filtering --------------------------------------------------------------------------

    def _dispatch_limit_sql(self) -> ColumnElement[int]:
        """The effective dispatch limit of ``incident`` (category, tightened by priority)."""
        cat = CATEGORY.alias("dispatch_cat")
        cat_limit = (
            select(cat.c.dispatch_limit_s).where(cat.c.code == INCIDENT.c.category_code).scalar_subquery()
        )
        if not self.policy.priority_dispatch_s:
            return cat_limit
        by_priority = case(
            {int(p): int(s) for p, s in self.policy.priority_dispatch_s.items()},
            value=INCIDENT.c.priority,
        )
        return case((by_priority.is_(None), cat_limit), (by_priority < cat_limit, by_priority),
                    else_=cat_limit)

    def _overdue_sql(self, conn: Connection, now: datetime) -> ColumnElement[bool]:
        """Open, unmerged incidents whose clock has passed its limit at ``now``.

        A clock of L seconds is overdue once a whole L+1 seconds have passed (as in the
        domain's ``Clock.overdue``). Limits are few distinct values, so the test is written
        as plain timestamp comparisons per limit: exact and portable, no date arithmetic.
        """
        start = func.coalesce(INCIDENT.c.reopened_at, INCIDENT.c.received_at)
        cat = CATEGORY.alias("arrival_cat")
        arrival_limit = (
            select(cat.c.arrival_limit_s).where(cat.c.code == INCIDENT.c.category_code).scalar_subquery()
        )
        dispatch_values = set(conn.execute(select(CATEGORY.c.dispatch_limit_s).distinct()).scalars())
        dispatch_values |= set(self.policy.priority_dispatch_s.values())
        arrival_values = set(conn.execute(select(CATEGORY.c.arrival_limit_s).distinct()).scalars())
        dispatch_limit = self._dispatch_limit_sql()

        def late(limit: ColumnElement[int], values: set[int]) -> ColumnElement[bool]:
            return or_(false(), *(
                and_(limit == v, start <= now - timedelta(seconds=int(v) + 1)) for v in sorted(values)
            ))

        # coalesce() keeps the planner on the status index: the merged_into_id index would
        # make it walk every unmerged incident.
        return and_(
            func.coalesce(INCIDENT.c.merged_into_id, 0) == 0,
            or_(
                and_(INCIDENT.c.status == IncidentStatus.NEW.value, late(dispatch_limit, dispatch_values)),
                and_(INCIDENT.c.status == IncidentStatus.DISPATCHED.value,
                     late(arrival_limit, arrival_values)),
            ),
        )

    def _where(self, conn: Connection, flt: IncidentFilter, now: datetime) -> ColumnElement[bool]:
        return self._plan(conn, flt, now)[0]

    def _plan(self, conn: Connection, flt: IncidentFilter, now: datetime, *,
              counted: bool = False) -> tuple[ColumnElement[bool], ColumnElement[bool] | int]:
        """The WHERE clause of a filter for reading rows, and for its count either the count
        itself (the text index knows it when text is the only filter) or the clause to count.
        ``counted``: the count will be read (the text search may then count as it plans)."""
        clauses = self._field_clauses(conn, flt, now)
        needle = flt.text.strip()
        if not needle:
            where = and_(true(), *clauses)
            return where, where
        found = text_search(conn, needle, alone=counted and not clauses)
        if not clauses and found.matches is not None:
            return and_(true(), found.bound()), found.matches
        return and_(true(), *clauses, found.bound()), and_(true(), *clauses, found.bound_for_count())

    def _field_clauses(self, conn: Connection, flt: IncidentFilter,
                       now: datetime) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = []
        window = time_window(flt.preset, now, flt.start, flt.end)
        if window.start is not None:
            clauses.append(INCIDENT.c.received_at >= window.start)
        if window.end is not None:
            clauses.append(INCIDENT.c.received_at < window.end)
        if flt.categories:
            clauses.append(INCIDENT.c.category_code.in_(sorted(flt.categories)))
        if flt.statuses:
            clauses.append(INCIDENT.c.status.in_(sorted(flt.statuses)))
        if flt.sources:
            clauses.append(INCIDENT.c.source.in_(sorted(flt.sources)))
        if flt.priorities:
            clauses.append(INCIDENT.c.priority.in_(sorted(flt.priorities)))
        if flt.community_id is not None:
            clauses.append(INCIDENT.c.community_id == flt.community_id)
        if flt.grid_id is not None:
            clauses.append(INCIDENT.c.grid_id == flt.grid_id)
        if Flag.REPEAT in flt.flags:
            clauses.append(INCIDENT.c.is_repeat.is_(True))
        if Flag.DIVERTED in flt.flags:
            clauses.append(INCIDENT.c.is_diverted.is_(True))
        if Flag.MERGED in flt.flags:
            child = INCIDENT.alias("merged_child")
            clauses.append(or_(
                INCIDENT.c.merged_into_id.is_not(None),
                select(child.c.id).where(child.c.merged_into_id == INCIDENT.c.id).exists(),
            ))
        if Flag.OVERDUE in flt.flags:
            clauses.append(INCIDENT.c.status.in_([IncidentStatus.NEW.value,
                                                  IncidentStatus.DISPATCHED.value]))
            clauses.append(self._overdue_sql(conn, now))
        if flt.hours:
            clauses.append(hour_of_day(conn, INCIDENT.c.received_at).in_(sorted(flt.hours)))
        if flt.weekdays:
            clauses.append(weekday_of(conn, INCIDENT.c.received_at).in_(sorted(flt.weekdays)))
        if flt.response != Response.ANY:
            clauses.append(response_clause(conn, flt.response))
        if flt.area:
            clauses.append(area_clause(INCIDENT.c.lat, INCIDENT.c.lon, flt.area))
        return clauses

    def _rows_select(self) -> Select[Any]:
        return (
            select(
                INCIDENT.c.id, INCIDENT.c.incident_no, INCIDENT.c.received_at, INCIDENT.c.status,
                INCIDENT.c.priority, INCIDENT.c.source, INCIDENT.c.category_code,
                func.coalesce(CATEGORY.c.name, INCIDENT.c.category_code).label("category_name"),
                INCIDENT.c.address,
                func.coalesce(COMMUNITY.c.name, "").label("community_name"),
                func.coalesce(GRID.c.name, "").label("grid_name"),
                func.coalesce(UNIT.c.name, "").label("unit_name"),
                func.coalesce(OFFICER.c.name, "").label("officer_name"),
                INCIDENT.c.caller_name, INCIDENT.c.caller_phone, INCIDENT.c.dispatched_at,
                INCIDENT.c.arrived_at, INCIDENT.c.reopened_at,
                func.coalesce(CATEGORY.c.dispatch_limit_s, 0).label("cat_dispatch_s"),
                func.coalesce(CATEGORY.c.arrival_limit_s, 0).label("cat_arrival_s"),
                INCIDENT.c.is_repeat, INCIDENT.c.is_diverted, INCIDENT.c.merged_into_id,
                _merged_count_expr().label("merged_count"), INCIDENT.c.updated_at,
            )
            .select_from(
                INCIDENT.outerjoin(CATEGORY, CATEGORY.c.code == INCIDENT.c.category_code)
                .outerjoin(COMMUNITY, COMMUNITY.c.id == INCIDENT.c.community_id)
                .outerjoin(GRID, GRID.c.id == INCIDENT.c.grid_id)
                .outerjoin(UNIT, UNIT.c.id == INCIDENT.c.unit_id)
                .outerjoin(OFFICER, OFFICER.c.id == INCIDENT.c.officer_id)
            )
        )

    def _to_row(self, r: Row[Any]) -> IncidentRow:
        mask = masker_for(self.db.identity)
        return IncidentRow(
            id=r.id, incident_no=r.incident_no, received_at=r.received_at, status=r.status,
            priority=int(r.priority), source=r.source, category_code=r.category_code,
            category_name=r.category_name, address=r.address, community_name=r.community_name,
            grid_name=r.grid_name, unit_name=r.unit_name, officer_name=r.officer_name,
            caller_name=mask(PersonalField.NAME, r.caller_name),
            caller_phone=mask(PersonalField.PHONE, r.caller_phone), dispatched_at=r.dispatched_at,
            arrived_at=r.arrived_at, reopened_at=r.reopened_at,
            dispatch_limit_s=self.policy.dispatch_limit_s(int(r.cat_dispatch_s), int(r.priority)),
            arrival_limit_s=int(r.cat_arrival_s), is_repeat=bool(r.is_repeat),
            is_diverted=bool(r.is_diverted), merged_into_id=r.merged_into_id,
            merged_count=int(r.merged_count), updated_at=r.updated_at,
        )

    @staticmethod
    def _order_by(sort: Sort) -> list[ColumnElement[Any]]:
        # Incidents without a community come first going up and last going down, as SQLite sorts
        # NULL and ``_before`` counts; PostgreSQL's default is the other way round. SQLite's plan
        # is the same with the placement spelled out (it is its default).
        cols = [INCIDENT.c[name] for name in _SORT_COLUMNS[sort.key]]
        if sort.descending:
            return [c.desc().nulls_last() if c.nullable else c.desc() for c in cols]
        return [c.asc().nulls_first() if c.nullable else c.asc() for c in cols]

    def count(self, flt: IncidentFilter) -> int:
        """How many incidents match the filter."""
        self.db.identity.require(Perm.VIEW_INCIDENTS)
        now = self.now()
        with self.db.read() as conn:
            return self._count(conn, self._plan(conn, flt, now, counted=True)[1])

    @staticmethod
    def _count(conn: Connection, counting: ColumnElement[bool] | int) -> int:
        if isinstance(counting, int):
            return counting
        return int(conn.execute(select(func.count()).select_from(INCIDENT).where(counting)).scalar_one())

    def page(self, flt: IncidentFilter, sort: Sort = Sort(), offset: int = 0,
             limit: int = 100) -> list[IncidentRow]:
        """``limit`` matching rows from position ``offset`` of the sorted result."""
        self.db.identity.require(Perm.VIEW_INCIDENTS)
        now = self.now()
        with self.db.read() as conn:
            return self._page(conn, self._where(conn, flt, now), sort, offset, limit)

    def _page(self, conn: Connection, where: ColumnElement[bool], sort: Sort, offset: int,
              limit: int) -> list[IncidentRow]:
        # Deferred join: find the page's ids on the index alone, then read only those rows
        # (an OFFSET deep in a million rows, or a text match of 100,000 rows, would otherwise
        # join and sort every matching row).
        ids = (
            select(INCIDENT.c.id).where(where)
            .order_by(*self._order_by(sort)).offset(max(0, offset)).limit(limit)
        ).subquery("page_ids")
        query = self._rows_select().where(INCIDENT.c.id.in_(select(ids.c.id))).order_by(
            *self._order_by(sort))
        return [self._to_row(r) for r in conn.execute(query)]

    def first_page(self, flt: IncidentFilter, sort: Sort = Sort(),
                   limit: int = 100) -> tuple[int, list[IncidentRow]]:
        """The count and the first page in one read transaction (one consistent snapshot)."""
        self.db.identity.require(Perm.VIEW_INCIDENTS)
        now = self.now()
        with self.db.read() as conn:
            where, counting = self._plan(conn, flt, now, counted=True)
            return self._count(conn, counting), self._page(conn, where, sort, 0, limit)

    def row(self, incident_id: int) -> IncidentRow | None:
        """One board row by id."""
        self.db.identity.require(Perm.VIEW_INCIDENTS)
        with self.db.read() as conn:
            r = conn.execute(self._rows_select().where(INCIDENT.c.id == incident_id)).first()
            return None if r is None else self._to_row(r)

    def position(self, flt: IncidentFilter, sort: Sort, incident_id: int) -> int | None:
        """Where an incident sits in the sorted filtered list (None when it does not match)."""
        self.db.identity.require(Perm.VIEW_INCIDENTS)
        now = self.now()
        names = _SORT_COLUMNS[sort.key]
        with self.db.read() as conn:
            where = self._where(conn, flt, now)
            key = conn.execute(
                select(*(INCIDENT.c[n] for n in names))
                .where(and_(INCIDENT.c.id == incident_id, where))
            ).first()
            if key is None:
                return None
            before = _before(names, tuple(key), sort.descending)
            query = select(func.count()).select_from(INCIDENT).where(and_(where, before))
            return int(conn.execute(query).scalar_one())

    def overdue_count(self) -> int:
        """Open incidents past their clock limit now (for the status bar)."""
        flt = IncidentFilter(flags=frozenset({Flag.OVERDUE}))
        return self.count(flt)

    # live ------------------------------------------------------------------------------

    def watermark(self) -> Watermark:
        """Newest id and newest ``updated_at``: both indexed, so polling costs microseconds."""
        # Two statements: SQLite answers a lone max() from the index, two in one query scan.
        with self.db.read() as conn:
            max_id = conn.execute(select(func.max(INCIDENT.c.id))).scalar()
            max_updated = conn.execute(select(func.max(INCIDENT.c.updated_at))).scalar()
        return Watermark(int(max_id or 0), max_updated)

    def new_since(self, after_id: int, limit: int = NEW_ROWS_LIMIT) -> list[IncidentRow]:
        """Incidents added after ``after_id`` (newest first) whatever the filter."""
        self.db.identity.require(Perm.VIEW_INCIDENTS)
        with self.db.read() as conn:
            query = (self._rows_select().where(INCIDENT.c.id > after_id)
                     .order_by(INCIDENT.c.id.desc()).limit(limit))
            return [self._to_row(r) for r in conn.execute(query)]

    # lookups ---------------------------------------------------------------------------

    def lookups(self) -> Lookups:
        """Categories (with group names), communities, grids and officers."""
        with self.db.read() as conn:
            cats = [
                CategoryChoice(r.code, r.name, r.name_en, r.group_name or "", int(r.default_priority),
                               bool(r.active))
                for r in conn.execute(
                    select(CATEGORY.c.code, CATEGORY.c.name, CATEGORY.c.name_en,
                           CATEGORY.c.default_priority, CATEGORY.c.active,
                           GROUP.c.name.label("group_name"))
                    .select_from(CATEGORY.outerjoin(GROUP, GROUP.c.code == CATEGORY.c.group_code))
                    .order_by(GROUP.c.sort_order, CATEGORY.c.sort_order, CATEGORY.c.code)
                )
            ]
            communities = [AreaChoice(r.id, r.name) for r in conn.execute(
                select(COMMUNITY.c.id, COMMUNITY.c.name).order_by(COMMUNITY.c.code))]
            grids = [AreaChoice(r.id, r.name, r.community_id) for r in conn.execute(
                select(GRID.c.id, GRID.c.name, GRID.c.community_id).order_by(GRID.c.code))]
            officers = [OfficerChoice(r.id, r.name, r.badge_no, r.team) for r in conn.execute(
                select(OFFICER.c.id, OFFICER.c.name, OFFICER.c.badge_no, OFFICER.c.team)
                .where(OFFICER.c.active.is_(True)).order_by(OFFICER.c.team, OFFICER.c.badge_no))]
        return Lookups(cats, communities, grids, officers)

    def unit_board(self) -> list[UnitRow]:
        """Every patrol unit with its status and the open incident it is on, if any."""
        open_states = [IncidentStatus.DISPATCHED.value, IncidentStatus.ARRIVED.value]
        with self.db.read() as conn:
            current = dict(conn.execute(
                select(INCIDENT.c.unit_id, func.max(INCIDENT.c.incident_no))
                .where(INCIDENT.c.status.in_(open_states), INCIDENT.c.unit_id.is_not(None))
                .group_by(INCIDENT.c.unit_id)
            ).all())
            latest = (select(DUTY.c.unit_id, func.max(DUTY.c.id).label("id"))
                      .group_by(DUTY.c.unit_id).subquery())
            changes = {r.unit_id: (r.at, r.actor) for r in conn.execute(
                select(DUTY.c.unit_id, DUTY.c.at, DUTY.c.actor).join(latest, latest.c.id == DUTY.c.id))}
            return [
                UnitRow(r.id, r.code, r.name, r.call_sign, r.status, current.get(r.id, ""),
                        *changes.get(r.id, (None, "")))
                for r in conn.execute(select(UNIT).order_by(UNIT.c.code))
            ]

    def set_unit_duty(self, unit_id: int, on_duty: bool, *, actor: str = "") -> None:
        """Put a patrol unit on duty (available) or off duty, recording who and when."""
        self.db.identity.require(Perm.DISPATCH)
        actor = actor or self.db.identity.display_name or self.db.identity.username
        now = self.now()
        with self.db.write() as conn:
            current = conn.execute(select(UNIT.c.status).where(UNIT.c.id == unit_id)
                                   .with_for_update()).scalar()
            if current is None:
                raise WorkflowError(Refusal.NOT_FOUND, f"there is no patrol unit {unit_id}", unit_id=unit_id)
            target = check_duty_change(unit_id, UnitStatus(current), on_duty)
            conn.execute(update(UNIT).where(UNIT.c.id == unit_id).values(status=target.value))
            conn.execute(insert(DUTY).values(unit_id=unit_id, at=now, actor=actor, status=target.value))

    # detail ----------------------------------------------------------------------------

    def detail(self, incident_id: int) -> IncidentDetail | None:
        """Every field, the event log and related calls of one incident."""
        self.db.identity.require(Perm.VIEW_INCIDENTS)
        with self.db.read() as conn:
            r = conn.execute(
                self._rows_select().add_columns(
                    INCIDENT.c.caller_id_no, INCIDENT.c.description, INCIDENT.c.lat, INCIDENT.c.lon,
                    INCIDENT.c.resolved_at, INCIDENT.c.closed_at, INCIDENT.c.outcome_code,
                    INCIDENT.c.feedback, INCIDENT.c.in_jurisdiction,
                ).where(INCIDENT.c.id == incident_id)
            ).first()
            if r is None:
                return None
            row = self._to_row(r)
            events = [
                EventRow(e.at, e.actor, e.action, e.detail) for e in conn.execute(
                    select(EVENT.c.at, EVENT.c.actor, EVENT.c.action, EVENT.c.detail)
                    .where(EVENT.c.incident_id == incident_id).order_by(EVENT.c.at, EVENT.c.id))
            ]
            merged_into_no = ""
            if row.merged_into_id is not None:
                merged_into_no = conn.execute(
                    select(INCIDENT.c.incident_no).where(INCIDENT.c.id == row.merged_into_id)
                ).scalar_one_or_none() or ""
            same_phone = self._related(conn, INCIDENT.c.caller_phone == r.caller_phone,
                                       incident_id) if r.caller_phone else []
            same_address = self._related(conn, INCIDENT.c.address == row.address,
                                         incident_id) if row.address else []
            merged_calls = self._related(conn, INCIDENT.c.merged_into_id == incident_id, incident_id)
        mask = masker_for(self.db.identity)
        return IncidentDetail(
            row=row, caller_id_no=mask(PersonalField.ID_NO, r.caller_id_no),
            description=mask.text(r.description), lat=r.lat, lon=r.lon,
            resolved_at=r.resolved_at, closed_at=r.closed_at, outcome_code=r.outcome_code,
            feedback=mask.text(r.feedback), in_jurisdiction=bool(r.in_jurisdiction),
            merged_into_no=merged_into_no, events=events, same_phone=same_phone,
            same_address=same_address, merged_calls=merged_calls,
        )

    def _related(self, conn: Connection, cond: ColumnElement[bool],
                 exclude_id: int) -> list[RelatedCall]:
        mask = masker_for(self.db.identity)
        query = (
            select(INCIDENT.c.id, INCIDENT.c.incident_no, INCIDENT.c.received_at, INCIDENT.c.status,
                   func.coalesce(CATEGORY.c.name, INCIDENT.c.category_code).label("category_name"),
                   INCIDENT.c.address, INCIDENT.c.caller_phone)
            .select_from(INCIDENT.outerjoin(CATEGORY, CATEGORY.c.code == INCIDENT.c.category_code))
            .where(cond, INCIDENT.c.id != exclude_id)
            .order_by(INCIDENT.c.received_at.desc()).limit(RELATED_LIMIT)
        )
        return [RelatedCall(*r[:-1], caller_phone=mask(PersonalField.PHONE, r.caller_phone))
                for r in conn.execute(query)]

    def reveal(self, incident_id: int, field: PersonalField) -> str:
        """One personal field of an incident in clear, for an account allowed to reveal it.

        Every reveal is in the audit trail (who, which incident, which field).
        """
        self.db.identity.require(Perm.REVEAL_PERSONAL)
        column = {PersonalField.NAME: INCIDENT.c.caller_name,
                  PersonalField.PHONE: INCIDENT.c.caller_phone,
                  PersonalField.ID_NO: INCIDENT.c.caller_id_no}[PersonalField(field)]
        with self.db.write() as conn:
            value = conn.execute(select(column).where(INCIDENT.c.id == incident_id)).scalar()
            if value is None:
                raise WorkflowError(Refusal.NOT_FOUND, f"there is no incident {incident_id}",
                                    incident_id=incident_id)
            audit.record(conn, self.db, audit.Action.REVEAL, object_type="incident",
                         object_id=incident_id, detail={"field": column.name})
        return str(value)

    # workflow --------------------------------------------------------------------------

    def _load_state(self, conn: Connection, incident_id: int,
                    seen: datetime | None = None) -> IncidentState:
        """The incident's state, its row locked until the transaction ends.

        The lock (FOR UPDATE on PostgreSQL; SQLite's write transaction is the whole database's)
        makes a second workstation acting on the same incident wait for the first to commit and
        then check its rules against what the first wrote. ``seen`` is the version the operator
        acted on (``IncidentRow.version``): if the incident changed since, the action is refused.
        """
        r = conn.execute(
            select(INCIDENT.c.id, INCIDENT.c.incident_no, INCIDENT.c.status, INCIDENT.c.unit_id,
                   INCIDENT.c.merged_into_id, INCIDENT.c.updated_at)
            .where(INCIDENT.c.id == incident_id).with_for_update()
        ).first()
        if r is None:
            raise WorkflowError(Refusal.NOT_FOUND, f"there is no incident {incident_id}",
                                incident_id=incident_id)
        if seen is not None and r.updated_at != seen:
            raise self._changed_meanwhile(conn, r.id, r.incident_no)
        return IncidentState(r.id, IncidentStatus(r.status), r.unit_id, r.merged_into_id)

    @staticmethod
    def _changed_meanwhile(conn: Connection, incident_id: int, number: str) -> WorkflowError:
        """The refusal of an action on a version that is no longer current, naming the last
        change in the incident's timeline (who, what, when) when there is one."""
        last = conn.execute(
            select(EVENT.c.at, EVENT.c.actor, EVENT.c.action).where(EVENT.c.incident_id == incident_id)
            .order_by(EVENT.c.id.desc()).limit(1)).first()
        params: dict[str, object] = {"incident_no": number, "actor": "", "event": "", "at": None}
        said = f"incident {number} was changed meanwhile"
        if last is not None:
            params.update(actor=last.actor, event=last.action, at=last.at)
            said += f" (last: {last.action} by {last.actor or 'unknown'} at {last.at:%H:%M:%S})"
        return WorkflowError(Refusal.CHANGED_MEANWHILE,
                             said + "; look at its current state and act again", **params)

    @staticmethod
    def _log(conn: Connection, incident_id: int, at: datetime, actor: str, action: str,
             detail: str = "") -> None:
        conn.execute(insert(EVENT).values(incident_id=incident_id, at=at, actor=actor, action=action,
                                          detail=detail))

    @staticmethod
    def _release_unit(conn: Connection, unit_id: int | None, except_incident: int) -> None:
        """A unit with no other incident in hand becomes available again."""
        if unit_id is None:
            return
        busy_elsewhere = conn.execute(
            select(INCIDENT.c.id).where(
                INCIDENT.c.status.in_([IncidentStatus.DISPATCHED.value, IncidentStatus.ARRIVED.value]),
                INCIDENT.c.unit_id == unit_id, INCIDENT.c.id != except_incident,
            ).limit(1)
        ).first()
        if busy_elsewhere is None:
            conn.execute(update(UNIT).where(UNIT.c.id == unit_id, UNIT.c.status == UnitStatus.BUSY.value)
                         .values(status=UnitStatus.AVAILABLE.value))

    def dispatch(self, incident_id: int, *, unit_id: int | None = None, officer_id: int | None = None,
                 actor: str = "", seen: datetime | None = None) -> None:
        """Send a patrol unit and/or an officer (again from dispatched: reassign).

        Every workflow action takes ``seen``, the version the operator looked at
        (``IncidentRow.version``): an incident changed since is refused (``CHANGED_MEANWHILE``).
        Without it the action applies to the incident as it is when the action runs.
        """
        self.db.identity.require(Perm.DISPATCH)
        actor = actor or self.db.identity.display_name or self.db.identity.username
        now = self.now()
        with self.db.write() as conn:
            state = self._load_state(conn, incident_id, seen)
            unit_status = None
            unit_name = ""
            if unit_id is not None:
                unit = conn.execute(select(UNIT.c.status, UNIT.c.name).where(UNIT.c.id == unit_id)
                                    .with_for_update()).first()
                if unit is None:
                    raise WorkflowError(Refusal.NOT_FOUND, f"there is no patrol unit {unit_id}",
                                        unit_id=unit_id)
                unit_status, unit_name = UnitStatus(unit.status), unit.name
            check_dispatch(state, unit_id, unit_status, officer_id)
            officer_name = ""
            if officer_id is not None:
                officer_name = conn.execute(
                    select(OFFICER.c.name).where(OFFICER.c.id == officer_id)).scalar_one_or_none() or ""
                if not officer_name:
                    raise WorkflowError(Refusal.NOT_FOUND, f"there is no officer {officer_id}",
                                        officer_id=officer_id)
            reassign = state.status == IncidentStatus.DISPATCHED
            conn.execute(update(INCIDENT).where(INCIDENT.c.id == incident_id).values(
                status=IncidentStatus.DISPATCHED.value, dispatched_at=now, unit_id=unit_id,
                officer_id=officer_id, updated_at=now))
            if reassign and state.unit_id != unit_id:
                self._release_unit(conn, state.unit_id, incident_id)
            if unit_id is not None:
                conn.execute(update(UNIT).where(UNIT.c.id == unit_id).values(status=UnitStatus.BUSY.value))
            detail = " / ".join(x for x in (unit_name, officer_name) if x)
            self._log(conn, incident_id, now, actor, "reassigned" if reassign else "dispatched", detail)

    def arrive(self, incident_id: int, *, actor: str = "", seen: datetime | None = None) -> None:
        """Record the unit's arrival on scene."""
        self.db.identity.require(Perm.DISPATCH)
        actor = actor or self.db.identity.display_name or self.db.identity.username
        now = self.now()
        with self.db.write() as conn:
            check_transition(self._load_state(conn, incident_id, seen), Action.ARRIVE)
            conn.execute(update(INCIDENT).where(INCIDENT.c.id == incident_id).values(
                status=IncidentStatus.ARRIVED.value, arrived_at=now, updated_at=now))
            self._log(conn, incident_id, now, actor, "arrived")

    def resolve(self, incident_id: int, outcome_code: str, *, note: str = "", actor: str = "",
                seen: datetime | None = None) -> None:
        """Handled on scene, with an outcome code; the unit becomes available."""
        self.db.identity.require(Perm.DISPATCH)
        actor = actor or self.db.identity.display_name or self.db.identity.username
        now = self.now()
        with self.db.write() as conn:
            state = self._load_state(conn, incident_id, seen)
            check_resolve(state, outcome_code)
            conn.execute(update(INCIDENT).where(INCIDENT.c.id == incident_id).values(
                status=IncidentStatus.RESOLVED.value, resolved_at=now, outcome_code=outcome_code,
                updated_at=now))
            self._release_unit(conn, state.unit_id, incident_id)
            self._log(conn, incident_id, now, actor, "resolved",
                      outcome_code + (f": {note.strip()}" if note.strip() else ""))

    def close(self, incident_id: int, feedback: str, *, actor: str = "",
              seen: datetime | None = None) -> None:
        """Close the loop with the written feedback."""
        self.db.identity.require(Perm.DISPATCH)
        actor = actor or self.db.identity.display_name or self.db.identity.username
        now = self.now()
        with self.db.write() as conn:
            check_close(self._load_state(conn, incident_id, seen), feedback)
            conn.execute(update(INCIDENT).where(INCIDENT.c.id == incident_id).values(
                status=IncidentStatus.CLOSED.value, closed_at=now, feedback=feedback.strip(),
                updated_at=now))
            self._log(conn, incident_id, now, actor, "closed", feedback.strip())

    def reopen(self, incident_id: int, reason: str, *, actor: str = "",
               seen: datetime | None = None) -> None:
        """Back to new (to be dispatched again); the clocks restart now."""
        self.db.identity.require(Perm.DISPATCH)
        actor = actor or self.db.identity.display_name or self.db.identity.username
        now = self.now()
        with self.db.write() as conn:
            check_reopen(self._load_state(conn, incident_id, seen), reason)
            conn.execute(update(INCIDENT).where(INCIDENT.c.id == incident_id).values(
                status=IncidentStatus.NEW.value, reopened_at=now, resolved_at=None, closed_at=None,
                unit_id=None, officer_id=None, updated_at=now))
            self._log(conn, incident_id, now, actor, "reopened", reason.strip())

    def merge(self, main_id: int, duplicate_ids: Sequence[int], *, actor: str = "",
              seen: Mapping[int, datetime] | None = None) -> None:
        """Merge duplicate calls about one event into ``main_id``; they stay listed under it.

        ``seen`` maps incident ids (the main one and the duplicates) to the versions the operator
        looked at; any of them changed since refuses the merge.
        """
        self.db.identity.require(Perm.DISPATCH)
        actor = actor or self.db.identity.display_name or self.db.identity.username
        now = self.now()
        seen = seen or {}
        ids = list(dict.fromkeys(duplicate_ids))
        with self.db.write() as conn:
            # Lock every row in one order: two merges over the same calls then queue up instead
            # of each holding a row the other waits for.
            conn.execute(select(INCIDENT.c.id).where(INCIDENT.c.id.in_([main_id, *ids]))
                         .order_by(INCIDENT.c.id).with_for_update()).all()
            main = self._load_state(conn, main_id, seen.get(main_id))
            dups = check_merge(main, [self._load_state(conn, d, seen.get(d)) for d in ids])
            main_no = conn.execute(
                select(INCIDENT.c.incident_no).where(INCIDENT.c.id == main_id)).scalar_one()
            for dup in dups:
                dup_no = conn.execute(
                    select(INCIDENT.c.incident_no).where(INCIDENT.c.id == dup.id)).scalar_one()
                conn.execute(update(INCIDENT).where(INCIDENT.c.id == dup.id).values(
                    status=IncidentStatus.CLOSED.value, closed_at=now, merged_into_id=main_id,
                    outcome_code=MERGED_OUTCOME, updated_at=now))
                if dup.unit_id is not None and dup.unit_id != main.unit_id:
                    self._release_unit(conn, dup.unit_id, dup.id)
                self._log(conn, dup.id, now, actor, "merged_into", main_no)
                self._log(conn, main_id, now, actor, "merged", dup_no)
            conn.execute(update(INCIDENT).where(INCIDENT.c.id == main_id).values(updated_at=now))

    def add_note(self, incident_id: int, note: str, *, actor: str = "") -> None:
        """A free-text note in the incident's timeline (never refused as stale: a note only adds)."""
        self.db.identity.require(Perm.DISPATCH)
        actor = actor or self.db.identity.display_name or self.db.identity.username
        now = self.now()
        body = check_note(note)
        with self.db.write() as conn:
            self._load_state(conn, incident_id)
            self._log(conn, incident_id, now, actor, "note", body)
            conn.execute(update(INCIDENT).where(INCIDENT.c.id == incident_id).values(updated_at=now))

    # intake ----------------------------------------------------------------------------

    def register(self, form: IntakeForm, *, actor: str = "") -> IntakeResult:
        """Validate and save a manual intake in one transaction; field errors save nothing."""
        self.db.identity.require(Perm.INTAKE)
        actor = actor or self.db.identity.display_name or self.db.identity.username
        now = self.now()
        errors: dict[str, FieldProblem] = {}
        for name in ("source", "category_code", "description"):
            if not str(getattr(form, name)).strip():
                errors[name] = FieldProblem.REQUIRED
        point_problems = coordinate_problems(form.lat, form.lon)
        errors.update(point_problems)
        if not form.address.strip() and (form.lat is None or form.lon is None or point_problems):
            errors["address"] = FieldProblem.REQUIRED
        if form.source and form.source not in {s.value for s in IncidentSource}:
            errors["source"] = FieldProblem.UNKNOWN_CODE
        phone = form.caller_phone.strip()
        if phone:
            if phone_problem(phone):
                errors["caller_phone"] = FieldProblem.PHONE_FORMAT
        elif form.source in (IncidentSource.PHONE.value, IncidentSource.CALL_110.value):
            errors["caller_phone"] = FieldProblem.REQUIRED
        id_no = form.caller_id_no.strip().upper()
        if id_no and (problem := id_number_problem(id_no)):
            errors["caller_id_no"] = problem
        if form.priority is not None and form.priority not in {int(p) for p in Priority}:
            errors["priority"] = FieldProblem.UNKNOWN_CODE
        received = form.received_at or now
        if received > now + timedelta(minutes=1):
            errors["received_at"] = FieldProblem.IN_FUTURE
        if len(form.address) > 200:
            errors["address"] = FieldProblem.TOO_LONG
        if len(form.caller_name) > 50:
            errors["caller_name"] = FieldProblem.TOO_LONG
        with self.db.write() as conn:
            category = None
            if form.category_code:
                category = conn.execute(
                    select(CATEGORY.c.default_priority, CATEGORY.c.active)
                    .where(CATEGORY.c.code == form.category_code)).first()
                if category is None or not category.active:
                    errors["category_code"] = FieldProblem.UNKNOWN_CODE
            community_id, grid_id, inside = self._locate(conn, form, errors)
            if errors:
                return IntakeResult(errors=errors)
            assert category is not None
            number = self._next_number(conn, received)
            priority = form.priority if form.priority is not None else int(category.default_priority)
            incident_id = conn.execute(insert(INCIDENT).values(
                incident_no=number, source=form.source, category_code=form.category_code,
                priority=priority, status=IncidentStatus.NEW.value, received_at=received,
                caller_name=form.caller_name.strip(), caller_phone=normalize_phone(phone) if phone else "",
                caller_id_no=id_no, address=form.address.strip(), lat=form.lat, lon=form.lon,
                community_id=community_id, grid_id=grid_id, description=form.description.strip(),
                outcome_code="", feedback="", is_repeat=False, is_diverted=False,
                in_jurisdiction=inside, updated_at=now,
            )).inserted_primary_key[0]
            self._log(conn, incident_id, now, actor, "received", form.source)
        return IntakeResult(incident_id=int(incident_id), incident_no=number, community_id=community_id,
                            in_jurisdiction=inside)

    @staticmethod
    def _locate(conn: Connection, form: IntakeForm,
                errors: dict[str, FieldProblem]) -> tuple[int | None, int | None, bool]:
        """(community, grid, inside the jurisdiction): chosen, or derived from the point or the address.

        A point outside every community is kept and flagged (``inside`` False), not refused.
        """
        communities = [Area(r.id, r.name, r.geometry) for r in conn.execute(
            select(COMMUNITY.c.id, COMMUNITY.c.name, COMMUNITY.c.geometry))]
        known = {a.id for a in communities}
        community_id = form.community_id
        if community_id is not None and community_id not in known:
            errors["community_id"] = FieldProblem.UNKNOWN_CODE
            return None, None, True
        grid_id = form.grid_id
        if grid_id is not None:
            grid_parent = conn.execute(select(GRID.c.community_id).where(GRID.c.id == grid_id)).scalar()
            if grid_parent is None or (community_id is not None and grid_parent != community_id):
                errors["grid_id"] = FieldProblem.UNKNOWN_CODE
                return community_id, None, True
            community_id = grid_parent
        inside = True
        if form.lat is not None and form.lon is not None and not ({"lat", "lon"} & errors.keys()):
            point_area = area_at(form.lat, form.lon, communities)
            inside = point_area is not None
            if grid_id is None:
                grids = [Area(r.id, r.name, r.geometry, r.community_id) for r in conn.execute(
                    select(GRID.c.id, GRID.c.name, GRID.c.geometry, GRID.c.community_id)
                    .where(GRID.c.community_id == community_id if community_id is not None else true()))]
                found_grid = area_at(form.lat, form.lon, grids)
                if found_grid is not None:
                    grid_id, community_id = found_grid.id, found_grid.parent_id
            if community_id is None and point_area is not None:
                community_id = point_area.id
        if community_id is None:
            found = area_from_address(form.address, communities)
            community_id = found.id if found else None
        if community_id is None and inside:
            errors["community_id"] = FieldProblem.NO_COMMUNITY
        return community_id, grid_id, inside

    @staticmethod
    def _next_number(conn: Connection, received: datetime) -> str:
        """The station's own intake number: ``L`` + the station's code + date + a 5-digit
        sequence of that day. The code keeps two stations' numbers apart where their packages
        meet (a district): the same number means the same call."""
        code = conn.execute(select(STATION.c.code).order_by(STATION.c.id).limit(1)).scalar() or ""
        prefix = f"L{code}{received:%Y%m%d}"
        last = conn.execute(
            select(func.max(INCIDENT.c.incident_no))
            .where(INCIDENT.c.incident_no >= prefix, INCIDENT.c.incident_no < prefix + "a")
        ).scalar()
        seq = int(last[len(prefix):]) + 1 if last and last[len(prefix):].isdigit() else 1
        return f"{prefix}{seq:05d}"

    # export ----------------------------------------------------------------------------

    def export(self, flt: IncidentFilter, sort: Sort, path: Path, fmt: ExportFormat, *,
               labels: ExportLabels | None = None, progress: ProgressFn | None = None) -> int:
        """Write the filtered, sorted view to CSV or XLSX; returns the number of incidents.

        Rows are streamed from one read transaction (a consistent snapshot) into a ``.part``
        file that replaces ``path`` only when complete: a cancelled or failed export leaves
        nothing behind. ``progress(done, total)`` returning False cancels.
        """
        self.db.identity.require(Perm.EXPORT)
        labels = labels or ExportLabels()
        fmt = ExportFormat(fmt)
        now = self.now()
        part = path.with_name(path.name + ".part")
        with self.db.read() as conn:
            where = self._where(conn, flt, now)
            total = int(conn.execute(select(func.count()).select_from(INCIDENT).where(where)).scalar_one())
            if fmt == ExportFormat.XLSX and total > XLSX_MAX_ROWS:
                raise ExportTooLarge(total)
            header = [labels.headers.get(c, c) for c in EXPORT_COLUMNS]
            rows = self._export_rows(conn, where, sort, labels, now)
            try:
                if fmt == ExportFormat.CSV:
                    _write_csv(part, header, rows, total, progress)
                else:
                    _write_xlsx(part, header, rows, total, progress)
                part.replace(path)
            except BaseException:
                part.unlink(missing_ok=True)
                raise
        if progress is not None:
            progress(total, total)
        audit.log(self.db, audit.Action.EXPORT, object_type="file", object_id=path.name,
                  detail={"what": "incidents", "rows": total, "format": fmt.value,
                          "personal_data": "clear" if self.db.identity.can(Perm.VIEW_PERSONAL)
                          else "masked"})
        return total

    def _export_rows(self, conn: Connection, where: ColumnElement[bool], sort: Sort,
                     labels: ExportLabels, now: datetime) -> Iterator[list[Any]]:
        query = (
            self._rows_select().add_columns(
                INCIDENT.c.resolved_at, INCIDENT.c.closed_at, INCIDENT.c.outcome_code,
                INCIDENT.c.description, INCIDENT.c.feedback,
            ).where(where).order_by(*self._order_by(sort))
        )
        mask = masker_for(self.db.identity)
        for r in conn.execution_options(yield_per=2000).execute(query):
            row = self._to_row(r)
            flags = "、".join(labels.flags.get(f.value, f.value) for f in sorted(row.flags(now)))
            values = {
                "incident_no": row.incident_no, "received_at": row.received_at,
                "category": row.category_name,
                "priority": labels.priorities.get(row.priority, str(row.priority)),
                "status": labels.statuses.get(row.status, row.status),
                "source": labels.sources.get(row.source, row.source), "address": row.address,
                "community": row.community_name, "grid": row.grid_name, "caller_name": row.caller_name,
                "caller_phone": row.caller_phone, "unit": row.unit_name, "officer": row.officer_name,
                "dispatched_at": row.dispatched_at, "arrived_at": row.arrived_at,
                "resolved_at": r.resolved_at, "closed_at": r.closed_at,
                "outcome_code": labels.outcomes.get(r.outcome_code, r.outcome_code), "flags": flags,
                "description": mask.text(r.description), "feedback": mask.text(r.feedback),
            }
            yield [_cell(values[c]) for c in EXPORT_COLUMNS]


#: Report progress (and look for a cancel) every this many rows.
_PROGRESS_EVERY = 1000


def _cell(value: Any) -> Any:
    """Export value: whole-second times; text that a spreadsheet would run as a formula is quoted."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if isinstance(value, str):
        return neutralise_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _tick(progress: ProgressFn | None, done: int, total: int) -> None:
    if progress is not None and done % _PROGRESS_EVERY == 0 and not progress(done, total):
        raise ExportCancelled(f"export cancelled after {done} of {total} incidents")


def _write_csv(path: Path, header: list[str], rows: Iterator[list[Any]], total: int,
               progress: ProgressFn | None) -> None:
    # UTF-8 with a byte-order mark: Excel on Chinese Windows reads it without mangling.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for done, values in enumerate(rows, start=1):
            writer.writerow(["" if v is None else v.isoformat(sep=" ") if isinstance(v, datetime) else v
                             for v in values])
            _tick(progress, done, total)


def _write_xlsx(path: Path, header: list[str], rows: Iterator[list[Any]], total: int,
                progress: ProgressFn | None) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("incidents")
    sheet.freeze_panes = "B2"
    sheet.append(header)
    for done, values in enumerate(rows, start=1):
        sheet.append(values)
        _tick(progress, done, total)
    book.save(path)


def _before(names: Sequence[str], key: tuple[Any, ...], descending: bool) -> ColumnElement[bool]:
    """Rows that come before ``key`` in the order of the columns ``names`` (NULL sorts first)."""
    cols = [func.coalesce(INCIDENT.c[n], literal(-1)) if n == "community_id" else INCIDENT.c[n]
            for n in names]
    values = [(-1 if v is None else v) if n == "community_id" else v for n, v in zip(names, key, strict=True)]
    clause: ColumnElement[bool] | None = None
    for col, value in reversed(list(zip(cols, values, strict=True))):
        ahead = col > value if descending else col < value
        clause = ahead if clause is None else or_(ahead, and_(col == value, clause))
    assert clause is not None
    return clause


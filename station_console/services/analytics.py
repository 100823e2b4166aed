"""The chief's figures: one definition each, in SQL, shared by the dashboard, the briefing,
the drill-down and the command line.

Every figure is computed over a half-open period ``[start, end)`` of receipt times (naive local
station time) and carries the board filter of the incidents behind it, so that opening the
board on that filter lists exactly the items counted. The definitions are documented in the
README's "Figures" section; the short form:

* a *call* is one incident record (警情) received in the period; calls merged into another as
  duplicates still count, as the 110 statistics count every call;
* "arrived within 5 minutes": a police call with a recorded arrival at most 300 whole seconds
  after receipt; calls still on their way are not counted until they arrive (they show under
  "overdue now"), non-police calls never (they are diverted, not raced to);
* rates are ``None`` when their base is empty (an empty period shows "—", not 0%);
* a period still running is compared with the same elapsed part of the earlier periods;
* the closed loops' figures (disputes, warning orders, tasks) count the ledgers' own records by
  their own times (registered, resolved, received, issued) and drill down to those records.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, case, func, or_, select
from sqlalchemy.engine import Connection

from station_console.domain.categories import POLICE_ARRIVAL_LIMIT_S
from station_console.domain.enums import IncidentStatus
from station_console.domain.loops import WarningState
from station_console.domain.shifts import TimePreset
from station_console.domain.tasks import TaskState
from station_console.domain.workflow import DEFAULT_POLICY, ClockPolicy
from station_console.services.incidents import (
    Flag,
    IncidentFilter,
    IncidentService,
    Response,
    arrival_seconds,
)
from station_console.store.database import Database
from station_console.store.dialect import day_of, epoch_seconds, hour_of_day, weekday_of
from station_console.store.models import (
    CategoryGroupRow,
    Community,
    Dispute,
    Incident,
    IncidentCategory,
    Officer,
    OfficerCommunity,
    Station,
    StationTask,
    Task,
    WarningOrder,
)

INCIDENT: Table = Incident.__table__  # type: ignore[attr-defined]
CATEGORY: Table = IncidentCategory.__table__  # type: ignore[attr-defined]
GROUP: Table = CategoryGroupRow.__table__  # type: ignore[attr-defined]
COMMUNITY: Table = Community.__table__  # type: ignore[attr-defined]
OFFICER: Table = Officer.__table__  # type: ignore[attr-defined]
OFFICER_COMMUNITY: Table = OfficerCommunity.__table__  # type: ignore[attr-defined]
STATION: Table = Station.__table__  # type: ignore[attr-defined]
DISPUTE: Table = Dispute.__table__  # type: ignore[attr-defined]
WARNING: Table = WarningOrder.__table__  # type: ignore[attr-defined]
TASK: Table = Task.__table__  # type: ignore[attr-defined]
STATION_TASK: Table = StationTask.__table__  # type: ignore[attr-defined]

#: The 5-minute arrival target rate of the domain notes.
ARRIVAL_TARGET_RATE = 0.95
#: The group code of criminal cases (刑事).
CRIMINAL_GROUP = "criminal"
#: A day period's trend covers this many days ending on that day.
DAY_TREND_DAYS = 30
#: Incidents listed as notable in the briefing.
NOTABLE_LIMIT = 12


class PeriodKind(StrEnum):
    """The dashboard's period choices."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    """A half-open window of receipt times ``[start, end)``."""

    kind: PeriodKind
    start: datetime
    end: datetime

    @property
    def days(self) -> list[date]:
        """The calendar days the period touches, in order."""
        first, last = self.start.date(), (self.end - timedelta(microseconds=1)).date()
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def board_filter(self, **parts: Any) -> IncidentFilter:
        """The board filter of this period's incidents, narrowed by ``parts``."""
        return IncidentFilter(preset=TimePreset.CUSTOM, start=self.start, end=self.end, **parts)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def period_for(kind: PeriodKind | str, day: date, last_day: date | None = None) -> Period:
    """The day, the Monday-to-Sunday week or the month containing ``day``; for ``CUSTOM`` the
    whole days from ``day`` to ``last_day`` inclusive."""
    kind = PeriodKind(kind)
    if kind == PeriodKind.DAY:
        return Period(kind, _midnight(day), _midnight(day + timedelta(days=1)))
    if kind == PeriodKind.WEEK:
        monday = day - timedelta(days=day.weekday())
        return Period(kind, _midnight(monday), _midnight(monday + timedelta(days=7)))
    if kind == PeriodKind.MONTH:
        first = day.replace(day=1)
        following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        return Period(kind, _midnight(first), _midnight(following))
    last = last_day or day
    if last < day:
        raise ValueError(f"the period ends ({last}) before it starts ({day})")
    return Period(kind, _midnight(day), _midnight(last + timedelta(days=1)))


def _year_earlier(moment: datetime) -> datetime:
    """The same wall-clock moment a year earlier; 29 February becomes 28 February."""
    day = min(moment.day, calendar.monthrange(moment.year - 1, moment.month)[1])
    return moment.replace(year=moment.year - 1, day=day)


def previous_period(period: Period) -> Period:
    """环比: the period just before, of the same kind (the previous month is a whole month)."""
    if period.kind == PeriodKind.MONTH:
        return period_for(PeriodKind.MONTH, (period.start - timedelta(days=1)).date())
    length = period.end - period.start
    return Period(period.kind, period.start - length, period.start)


def last_year_period(period: Period) -> Period:
    """同比: the same period a year earlier. Weeks move back 52 weeks (same weekdays); days,
    months and custom ranges keep their calendar dates (29 February maps to 28 February)."""
    if period.kind == PeriodKind.WEEK:
        return Period(period.kind, period.start - timedelta(weeks=52), period.end - timedelta(weeks=52))
    if period.kind == PeriodKind.MONTH:
        return period_for(PeriodKind.MONTH, _year_earlier(period.start).date())
    start = _year_earlier(period.start)
    end = _year_earlier(period.end)
    if end <= start:
        end = start + timedelta(days=1)
    return Period(period.kind, start, end)


def _clip(period: Period, elapsed: timedelta | None) -> Period:
    return period if elapsed is None else replace(period, end=min(period.end, period.start + elapsed))


def _elapsed(period: Period, now: datetime) -> timedelta | None:
    """How much of a running period has passed, to the next whole minute; None when it is over."""
    if now >= period.end:
        return None
    ceil = now.replace(second=0, microsecond=0) + (timedelta(minutes=1) if now.second or now.microsecond
                                                   else timedelta())
    return max(ceil, period.start) - period.start


@dataclass(frozen=True)
class Comparison:
    """The periods the figures are computed and compared over (all clipped alike)."""

    current: Period
    previous: Period
    last_year: Period
    #: The full current period (before clipping to "now"), what the user chose.
    chosen: Period
    running: bool


def comparison_for(period: Period, now: datetime) -> Comparison:
    """The period and its two comparisons; a running period and its comparisons stop at the
    same elapsed time (month-to-date against the same days of the previous month)."""
    elapsed = _elapsed(period, now)
    return Comparison(
        current=_clip(period, elapsed),
        previous=_clip(previous_period(period), elapsed),
        last_year=_clip(last_year_period(period), elapsed),
        chosen=period,
        running=elapsed is not None,
    )


# results -----------------------------------------------------------------------------------


class Unit(StrEnum):
    """How a figure's value reads."""

    COUNT = "count"
    RATE = "rate"
    SECONDS = "seconds"


class ItemKind(StrEnum):
    """Lists of ledger records behind a figure (the drill-down of figures that are not calls)."""

    DISPUTES_OPENED = "disputes_opened"
    DISPUTES_RESOLVED = "disputes_resolved"
    WARNINGS_ANSWERED = "warnings_answered"
    TASKS_SIGNOFF = "tasks_signoff"
    TASKS_FEEDBACK = "tasks_feedback"
    OFFICER_CALLS = "officer_calls"


@dataclass(frozen=True)
class ItemDrill:
    """The records behind a figure: one kind over ``[start, end)`` as judged at ``now``,
    optionally for one officer (the scorecard's drill-down)."""

    kind: ItemKind
    start: datetime
    end: datetime
    now: datetime
    officer_id: int | None = None


@dataclass(frozen=True)
class DrillItem:
    """One record of a drill-down list. ``on_time`` is None where the figure does not judge it."""

    id: int
    number: str
    at: datetime
    title: str
    who: str
    state: str
    due: datetime | None
    done: datetime | None
    on_time: bool | None


@dataclass(frozen=True)
class Figure:
    """One tile: its value now, in the previous period and a year earlier, and the drill-down.

    ``count`` is the number of incidents the drill-down filter lists (for a rate, the items
    the chief acts on: late arrivals, diverted calls, repeat calls ...). Figures of the closed
    loops drill down to ledger records (``items``) instead: for a count, ``count`` records; for
    an on-time rate, ``base`` records of which ``count`` were on time.
    """

    key: str
    unit: Unit
    value: float | None
    previous: float | None
    last_year: float | None
    count: int
    base: int = 0
    drill: IncidentFilter | None = None
    #: True when a higher value is good, False when lower is good, None when neutral.
    higher_is_better: bool | None = None
    target: float | None = None
    label: str = ""
    items: ItemDrill | None = None

    def change(self, other: float | None) -> float | None:
        """Relative change against ``other`` (rates: difference in points), None when undefined."""
        if self.value is None or other is None:
            return None
        if self.unit == Unit.RATE:
            return self.value - other
        if other == 0:
            return None
        return (self.value - other) / other


@dataclass(frozen=True)
class CategoryCount:
    code: str
    name: str
    group_code: str
    group_name: str
    count: int
    last_year: int
    drill: IncidentFilter


@dataclass(frozen=True)
class TrendPoint:
    day: date
    count: int
    last_year: int | None
    drill: IncidentFilter


@dataclass(frozen=True)
class CommunityRow:
    community_id: int
    name: str
    calls: int
    previous_calls: int
    criminal: int
    property: int
    repeat: int
    non_police: int
    arrival_rate: float | None
    drill: IncidentFilter


@dataclass(frozen=True)
class Indicator:
    """A scorecard indicator and its weight (the station chooses both)."""

    key: str
    weight: float
    higher_is_better: bool = True


#: The scorecard's indicators (Fengqiao-index spirit: response, closure, prevention, tasks).
INDICATORS: Mapping[str, bool] = {
    "handled": True,            # calls the officer handled
    "arrival_rate": True,       # of those, police calls arrived within 5 minutes
    "closure_rate": True,       # of those, closed with feedback
    "community_repeat": False,  # repeat calls in the officer's home communities
    "signoff_rate": True,       # tasks signed on time
    "feedback_rate": True,      # tasks fed back on time
}
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "handled": 1.0, "arrival_rate": 2.0, "closure_rate": 1.0, "community_repeat": 1.0,
    "signoff_rate": 1.5, "feedback_rate": 1.5,
}


def parse_weights(text: str) -> dict[str, float]:
    """Weights from ``"handled=1, arrival_rate=2"``; unknown names or bad numbers raise ValueError."""
    weights = dict(DEFAULT_WEIGHTS)
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or name not in INDICATORS:
            raise ValueError(f"unknown scorecard indicator {name!r}; use {', '.join(INDICATORS)}")
        try:
            weight = float(value)
        except ValueError:
            raise ValueError(f"the weight of {name} must be a number, not {value.strip()!r}") from None
        if weight < 0:
            raise ValueError(f"the weight of {name} must not be negative")
        weights[name] = weight
    return weights


@dataclass(frozen=True)
class ScoreRow:
    """One officer's indicators (None: nothing to measure) and weighted score (0-100)."""

    officer_id: int
    name: str
    team: str
    values: Mapping[str, float | None]
    score: float | None


@dataclass(frozen=True)
class NotableIncident:
    id: int
    incident_no: str
    received_at: datetime
    category_name: str
    priority: int
    status: str
    address: str
    description: str


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard and the briefing show for one period."""

    comparison: Comparison
    now: datetime
    station: str
    tiles: list[Figure]
    groups: list[Figure]
    categories: list[CategoryCount]
    trend: list[TrendPoint]
    #: Incidents by weekday (rows, Monday 0) and hour (columns).
    matrix: list[list[int]]
    communities: list[CommunityRow]
    scorecard: list[ScoreRow]
    weights: Mapping[str, float]
    notable: list[NotableIncident] = field(default_factory=list)

    def tile(self, key: str) -> Figure:
        """The tile with this key."""
        for fig in (*self.tiles, *self.groups):
            if fig.key == key:
                return fig
        raise KeyError(key)

    def matrix_drill(self, weekday: int, hour: int) -> IncidentFilter:
        """The board filter of one matrix cell."""
        return self.comparison.current.board_filter(weekdays=frozenset({weekday}), hours=frozenset({hour}))

    def officer_drills(self, officer_id: int) -> dict[str, ItemDrill]:
        """The records behind an officer's scorecard row: the calls handled and the tasks judged
        for sign-off and for feedback (their counts are the row's figures)."""
        cur, now = self.comparison.current, self.now.replace(microsecond=0)
        return {key: ItemDrill(kind, cur.start, cur.end, now, officer_id)
                for key, kind in (("handled", ItemKind.OFFICER_CALLS),
                                  ("signoff_rate", ItemKind.TASKS_SIGNOFF),
                                  ("feedback_rate", ItemKind.TASKS_FEEDBACK))}


# the queries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cat:
    code: str
    name: str
    group_code: str
    group_name: str
    is_police: bool
    is_property: bool


@dataclass
class _Counts:
    """Per-category sums over one period (one indexed range scan)."""

    calls: dict[str, int] = field(default_factory=dict)
    repeat: dict[str, int] = field(default_factory=dict)
    diverted: dict[str, int] = field(default_factory=dict)
    dispatched: dict[str, int] = field(default_factory=dict)
    arrived: dict[str, int] = field(default_factory=dict)
    on_time: dict[str, int] = field(default_factory=dict)

    def total(self, name: str, codes: Iterable[str] | None = None) -> int:
        values: dict[str, int] = getattr(self, name)
        return sum(values.values()) if codes is None else sum(values.get(c, 0) for c in codes)


@dataclass(frozen=True)
class Origin:
    """One station's incidents in a database holding several (a district's): those whose current
    version that station wrote (``sync_origin``). ``own`` marks this database's own station, whose
    rows not yet stamped for an exchange (no origin yet) are its own too."""

    station_id: str
    own: bool = False


def of_origin(origin: Origin) -> ColumnElement[bool]:
    """The condition selecting the origin's incidents."""
    mine = INCIDENT.c.sync_origin == origin.station_id
    return or_(mine, INCIDENT.c.sync_origin.is_(None)) if origin.own else mine


def _in_period(period: Period, origin: Origin | None = None) -> ColumnElement[bool]:
    within = and_(INCIDENT.c.received_at >= period.start, INCIDENT.c.received_at < period.end)
    return within if origin is None else and_(within, of_origin(origin))


def _flag_sum(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _category_counts(conn: Connection, period: Period, origin: Origin | None = None) -> _Counts:
    on_time = and_(INCIDENT.c.arrived_at.is_not(None), arrival_seconds(conn) <= POLICE_ARRIVAL_LIMIT_S)
    query = (
        select(INCIDENT.c.category_code, func.count(),
               _flag_sum(INCIDENT.c.is_repeat.is_(True)),
               _flag_sum(INCIDENT.c.is_diverted.is_(True)),
               _flag_sum(INCIDENT.c.dispatched_at.is_not(None)),
               _flag_sum(INCIDENT.c.arrived_at.is_not(None)),
               _flag_sum(on_time))
        .where(_in_period(period, origin)).group_by(INCIDENT.c.category_code)
    )
    out = _Counts()
    for code, calls, repeat, diverted, dispatched, arrived, ontime in conn.execute(query):
        out.calls[code] = int(calls)
        out.repeat[code] = int(repeat)
        out.diverted[code] = int(diverted)
        out.dispatched[code] = int(dispatched)
        out.arrived[code] = int(arrived)
        out.on_time[code] = int(ontime)
    return out


def _median(conn: Connection, period: Period, codes: Sequence[str], column: Any, n: int,
            origin: Origin | None = None) -> float | None:
    """The median of whole seconds from receipt to ``column`` over ``n`` rows having it (SQL)."""
    if n == 0:
        return None
    secs = (epoch_seconds(conn, column) - epoch_seconds(conn, INCIDENT.c.received_at)).label("secs")
    query = (
        select(secs).where(_in_period(period, origin), INCIDENT.c.category_code.in_(codes),
                           column.is_not(None))
        .order_by(secs).offset((n - 1) // 2).limit(2 - n % 2)
    )
    values = [float(v) for v in conn.execute(query).scalars()]
    return sum(values) / len(values) if values else None


def _covered(period: Period, first: datetime | None) -> bool:
    """Whether the database holds the whole of a comparison period (it starts after the first call)."""
    return first is not None and period.start >= _midnight(first.date())


def _if(covered: bool, value: float | None) -> float | None:
    return value if covered else None


def _rate(ok: int, total: int) -> float | None:
    return ok / total if total else None


# the closed loops' figures: one definition each, shared by the tiles, the scorecard and the lists


def _within(column: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


def _warning_answered() -> ColumnElement[bool]:
    """Answered: the verification feedback is in, or the warning was closed at review without
    being dispatched (dismissed)."""
    w = WARNING.c
    return or_(w.feedback_at.is_not(None),
               and_(w.state == WarningState.CLOSED.value, w.dispatched_at.is_(None)))


def _warning_on_time() -> ColumnElement[bool]:
    """Answered by its limit: feedback by the feedback deadline, a dismissal by the response deadline."""
    w = WARNING.c
    return or_(and_(w.feedback_at.is_not(None), w.feedback_at <= w.feedback_due),
               and_(w.feedback_at.is_(None), w.state == WarningState.CLOSED.value, w.dispatched_at.is_(None),
                    w.closed_at <= w.response_due))


def _tasks_of(start: datetime, end: datetime, officer_id: int | None = None,
              t: Any = TASK.c) -> ColumnElement[bool]:
    """Tasks issued in ``[start, end)`` and not cancelled (optionally of one officer); ``t`` the
    columns of the task ledger or of the tasks peers reported (``station_task``)."""
    cond = and_(_within(t.issued_at, start, end), t.state != TaskState.CANCELLED.value)
    return cond if officer_id is None else and_(cond, t.assignee_id == officer_id)


def _signoff_judged(now: datetime, t: Any = TASK.c) -> ColumnElement[bool]:
    """A sign-off is judged once it came, or once its deadline passed without it."""
    return or_(t.signed_at.is_not(None), t.signoff_due < now)


def _signoff_on_time(t: Any = TASK.c) -> ColumnElement[bool]:
    return and_(t.signed_at.is_not(None), t.signed_at <= t.signoff_due)


def _feedback_in(t: Any = TASK.c) -> ColumnElement[bool]:
    """Feedback filed and standing (a returned task's old feedback no longer counts)."""
    return and_(t.feedback_at.is_not(None),
                t.state.not_in([TaskState.SIGNED.value, TaskState.RETURNED.value]))


def _feedback_judged(now: datetime, t: Any = TASK.c) -> ColumnElement[bool]:
    return or_(_feedback_in(t), and_(t.feedback_due.is_not(None), t.feedback_due < now))


def _feedback_on_time(t: Any = TASK.c) -> ColumnElement[bool]:
    return and_(_feedback_in(t), or_(t.feedback_due.is_(None), t.feedback_at <= t.feedback_due))


@dataclass(frozen=True)
class TaskCounts:
    """Tasks of a period: sign-offs and feedback judged, and those on time."""

    signoff: int = 0
    signoff_on_time: int = 0
    feedback: int = 0
    feedback_on_time: int = 0

    def __add__(self, other: TaskCounts) -> TaskCounts:
        return TaskCounts(self.signoff + other.signoff, self.signoff_on_time + other.signoff_on_time,
                          self.feedback + other.feedback, self.feedback_on_time + other.feedback_on_time)


@dataclass(frozen=True)
class _LoopCounts:
    opened: int
    resolved: int
    answered: int
    answered_on_time: int
    tasks: TaskCounts


def _loop_counts(conn: Connection, periods: Sequence[Period],
                 now: datetime) -> tuple[list[_LoopCounts], dict[str, datetime | None]]:
    """The ledgers' counts over each period, and each ledger's first record (one read per ledger:
    the ledgers hold hundreds to thousands of rows)."""
    d, w = DISPUTE.c, WARNING.c
    disputes = conn.execute(select(func.min(d.registered_at), *(
        _flag_sum(_within(column, p.start, p.end)) for p in periods
        for column in (d.registered_at, d.resolved_at)
    ))).one()
    answered, on_time = _warning_answered(), _warning_on_time()
    warnings = conn.execute(select(func.min(w.received_at), *(
        _flag_sum(and_(_within(w.received_at, p.start, p.end), cond)) for p in periods
        for cond in (answered, on_time)
    ))).one()
    tasks, first_task = _task_ledger(conn, periods, now)
    counts = [_LoopCounts(*(int(v) for v in disputes[1 + 2 * n:3 + 2 * n]),
                          *(int(v) for v in warnings[1 + 2 * n:3 + 2 * n]), tasks[n])
              for n in range(len(periods))]
    return counts, {"disputes": disputes[0], "warnings": warnings[0], "tasks": first_task}


def _task_ledger(conn: Connection, periods: Sequence[Period], now: datetime, t: Any = TASK.c,
                 where: ColumnElement[bool] | None = None) -> tuple[list[TaskCounts], datetime | None]:
    """The tasks' counts over each period judged at ``now``, and the first task issued (one read):
    of this station's ledger, or (``t``, ``where``) of the tasks peers reported."""
    judged = (_signoff_judged(now, t), _signoff_on_time(t), _feedback_judged(now, t), _feedback_on_time(t))
    query = select(func.min(t.issued_at), *(
        _flag_sum(and_(_tasks_of(p.start, p.end, t=t), cond)) for p in periods for cond in judged))
    row = conn.execute(query if where is None else query.where(where)).one()
    return ([TaskCounts(*(int(v) for v in row[1 + 4 * n:5 + 4 * n])) for n in range(len(periods))],
            row[0])


def _task_figures(cmp: Comparison, counts: Sequence[TaskCounts], first: datetime | None,
                  items: Callable[[ItemKind], ItemDrill | None]) -> list[Figure]:
    """The tasks' two on-time rates (current, previous and last year's ``counts``); a comparison
    is left out when the ledger (first task ``first``) does not reach back to its first day."""
    c, p, y = counts
    covered = (_covered(cmp.previous, first), _covered(cmp.last_year, first))

    def fig(key: str, kind: ItemKind, rate: Callable[[TaskCounts], float | None],
            ok: int, judged: int) -> Figure:
        return Figure(key, Unit.RATE, rate(c), _if(covered[0], rate(p)), _if(covered[1], rate(y)), ok,
                      base=judged, higher_is_better=True, items=items(kind))

    return [
        fig("task_signoff_rate", ItemKind.TASKS_SIGNOFF, lambda k: _rate(k.signoff_on_time, k.signoff),
            c.signoff_on_time, c.signoff),
        fig("task_feedback_rate", ItemKind.TASKS_FEEDBACK, lambda k: _rate(k.feedback_on_time, k.feedback),
            c.feedback_on_time, c.feedback),
    ]


def _officer_task_rates(conn: Connection, period: Period,
                        now: datetime) -> dict[int, tuple[float | None, float | None]]:
    """Per officer: tasks signed on time and fed back on time, as shares of those judged."""
    rows = conn.execute(
        select(TASK.c.assignee_id, _flag_sum(_signoff_judged(now)), _flag_sum(_signoff_on_time()),
               _flag_sum(_feedback_judged(now)), _flag_sum(_feedback_on_time()))
        .where(_tasks_of(period.start, period.end)).group_by(TASK.c.assignee_id))
    return {int(oid): (_rate(int(sok), int(sj)), _rate(int(fok), int(fj))) for oid, sj, sok, fj, fok in rows}


def _item_rows(conn: Connection, drill: ItemDrill) -> list[DrillItem]:
    """The records behind a figure, by the figure's own conditions, oldest first."""
    start, end, now, kind = drill.start, drill.end, drill.now, drill.kind
    if kind in (ItemKind.DISPUTES_OPENED, ItemKind.DISPUTES_RESOLVED):
        d = DISPUTE.c
        column = d.registered_at if kind == ItemKind.DISPUTES_OPENED else d.resolved_at
        query = (select(d.id, d.dispute_no, d.registered_at, d.title, func.coalesce(COMMUNITY.c.name, ""),
                        d.stage, d.resolved_at)
                 .select_from(DISPUTE.outerjoin(COMMUNITY, COMMUNITY.c.id == d.community_id))
                 .where(_within(column, start, end)).order_by(column, d.id))
        return [DrillItem(r[0], r[1], r[2], r[3], r[4], r[5], None, r[6], None) for r in conn.execute(query)]
    if kind == ItemKind.WARNINGS_ANSWERED:
        w = WARNING.c
        dismissed = w.feedback_at.is_(None)
        query = (select(w.id, w.order_no, w.received_at, w.content, func.coalesce(OFFICER.c.name, ""),
                        w.state,
                        case((dismissed, w.response_due), else_=w.feedback_due),
                        case((dismissed, w.closed_at), else_=w.feedback_at), _warning_on_time())
                 .select_from(WARNING.outerjoin(OFFICER, OFFICER.c.id == w.officer_id))
                 .where(_within(w.received_at, start, end), _warning_answered())
                 .order_by(w.received_at, w.id))
        return [DrillItem(*r[:8], bool(r[8])) for r in conn.execute(query)]
    if kind in (ItemKind.TASKS_SIGNOFF, ItemKind.TASKS_FEEDBACK):
        t = TASK.c
        signoff = kind == ItemKind.TASKS_SIGNOFF
        done = t.signed_at if signoff else case((_feedback_in(), t.feedback_at), else_=None)
        query = (select(t.id, t.task_no, t.issued_at, t.title, OFFICER.c.name, t.state,
                        t.signoff_due if signoff else t.feedback_due, done,
                        _signoff_on_time() if signoff else _feedback_on_time())
                 .select_from(TASK.join(OFFICER, OFFICER.c.id == t.assignee_id))
                 .where(_tasks_of(start, end, drill.officer_id),
                        _signoff_judged(now) if signoff else _feedback_judged(now))
                 .order_by(t.issued_at, t.id))
        return [DrillItem(*r[:8], bool(r[8])) for r in conn.execute(query)]
    i = INCIDENT.c
    police = CATEGORY.c.is_police.is_(True)
    on_time = case((and_(police, i.arrived_at.is_not(None)), arrival_seconds(conn) <= POLICE_ARRIVAL_LIMIT_S),
                   else_=None)
    query = (select(i.id, i.incident_no, i.received_at,
                    func.coalesce(CATEGORY.c.name, i.category_code) + " " + i.address,
                    func.coalesce(COMMUNITY.c.name, ""), i.status, i.arrived_at, on_time)
             .select_from(INCIDENT.outerjoin(CATEGORY, CATEGORY.c.code == i.category_code)
                          .outerjoin(COMMUNITY, COMMUNITY.c.id == i.community_id))
             .where(_in_period(Period(PeriodKind.CUSTOM, start, end)), i.officer_id == drill.officer_id)
             .order_by(i.received_at, i.id))
    return [DrillItem(r[0], r[1], r[2], r[3], r[4], r[5], None, r[6], None if r[7] is None else bool(r[7]))
            for r in conn.execute(query)]


class AnalyticsService:
    """The dashboard's figures over one database. ``now`` is injectable for tests."""

    def __init__(self, db: Database, *, now: Callable[[], datetime] = datetime.now,
                 policy: ClockPolicy = DEFAULT_POLICY) -> None:
        self.db = db
        self.now = now
        self.policy = policy

    def _categories(self, conn: Connection) -> list[_Cat]:
        rows = conn.execute(
            select(CATEGORY.c.code, CATEGORY.c.name, CATEGORY.c.group_code,
                   func.coalesce(GROUP.c.name, CATEGORY.c.group_code).label("group_name"),
                   CATEGORY.c.is_police, CATEGORY.c.is_property)
            .select_from(CATEGORY.outerjoin(GROUP, GROUP.c.code == CATEGORY.c.group_code))
            .order_by(func.coalesce(GROUP.c.sort_order, 0), CATEGORY.c.sort_order, CATEGORY.c.code)
        )
        return [_Cat(r.code, r.name, r.group_code, r.group_name, bool(r.is_police), bool(r.is_property))
                for r in rows]

    def last_data_day(self) -> date | None:
        """The day of the newest incident (the dashboard opens on it when today is empty)."""
        with self.db.read() as conn:
            newest = conn.execute(select(func.max(INCIDENT.c.received_at))).scalar()
        return None if newest is None else newest.date()

    def overdue_now(self) -> Figure:
        """Open incidents past their clock limit now: the board's own overdue definition."""
        flt = IncidentFilter(flags=frozenset({Flag.OVERDUE}))
        count = IncidentService(self.db, policy=self.policy, now=self.now).count(flt)
        return Figure("overdue_now", Unit.COUNT, float(count), None, None, count, drill=flt,
                      higher_is_better=False)

    def data_mark(self) -> tuple[Any, ...]:
        """Where the figures' data stands: moves when an incident, task, dispute or warning order
        is added or changed (and a task, dispute or order removed). The incident table's newest
        id and change come from its indexes; the others are small. Cheap enough to poll."""
        incidents = IncidentService(self.db, now=self.now).watermark()
        mark: list[Any] = [incidents.max_id, incidents.max_updated_at]
        with self.db.read() as conn:
            for table in (TASK, DISPUTE, WARNING):
                mark.extend(conn.execute(select(func.count(), func.max(table.c.updated_at))).one())
        return tuple(mark)

    def dashboard(self, period: Period, *, weights: Mapping[str, float] | None = None,
                  notable: bool = False) -> Dashboard:
        """Every figure of the period, with comparisons, charts data and drill-down filters."""
        now = self.now()
        comparison = comparison_for(period, now)
        weights = dict(weights or DEFAULT_WEIGHTS)
        cur, prev = comparison.current, comparison.previous
        with self.db.read() as conn:
            cats = self._categories(conn)
            station = conn.execute(select(STATION.c.name).order_by(STATION.c.id).limit(1)).scalar()
            first, counts, tiles, groups = self._incident_figures(conn, comparison, cats)
            categories = [
                CategoryCount(c.code, c.name, c.group_code, c.group_name, counts["cur"].calls.get(c.code, 0),
                              counts["ly"].calls.get(c.code, 0),
                              cur.board_filter(categories=frozenset({c.code})))
                for c in cats
            ]
            trend = self._trend(conn, comparison, first)
            matrix = self._matrix(conn, cur)
            communities = self._communities(conn, cur, prev, cats)
            scorecard = self._scorecard(conn, cur, weights, now)
            notable_rows = self._notable(conn, cur) if notable else []
            loop_tiles = self._loop_tiles(conn, comparison, now)
        tiles += [self.overdue_now(), *loop_tiles]
        return Dashboard(comparison, now, str(station or ""), tiles, groups, categories, trend, matrix,
                         communities, scorecard, weights, notable_rows)

    def station_figures(self, period: Period, origin: Origin | None) -> list[Figure]:
        """The incident tiles of the period (calls, criminal, property, 5-minute arrival, median
        times, non-police share, diversion and repeat rates) over one station's rows (all rows
        for None), each compared with that station's own earlier periods.

        They carry no drill-down: the board has no filter by station."""
        comparison = comparison_for(period, self.now())
        with self.db.read() as conn:
            tiles = self._incident_figures(conn, comparison, self._categories(conn), origin)[2]
        return [replace(t, drill=None) for t in tiles]

    def task_figures(self, period: Period, origin: Origin | None) -> list[Figure]:
        """The tasks' two on-time rates of the period for one station of a district, each against
        that station's own earlier periods: this database's own station from its task ledger, a
        peer from the tasks its last change package reported; for None, all of them together.

        They carry no drill-down: a peer's tasks are not here."""
        now = self.now().replace(microsecond=0)
        comparison = comparison_for(period, now)
        periods = (comparison.current, comparison.previous, comparison.last_year)
        reported = STATION_TASK.c
        with self.db.read() as conn:
            parts = []
            if origin is None or origin.own:
                parts.append(_task_ledger(conn, periods, now))
            if origin is None or not origin.own:
                parts.append(_task_ledger(conn, periods, now, reported,
                                          None if origin is None else reported.origin == origin.station_id))
        counts = [sum((part[0][n] for part in parts), TaskCounts()) for n in range(len(periods))]
        first = min((part[1] for part in parts if part[1] is not None), default=None)
        return _task_figures(comparison, counts, first, lambda _kind: None)

    def _incident_figures(self, conn: Connection, cmp: Comparison, cats: list[_Cat],
                          origin: Origin | None = None
                          ) -> tuple[datetime | None, dict[str, _Counts], list[Figure], list[Figure]]:
        """The first call (of the origin), the per-category counts of the three periods, the
        incident tiles and the category-group tiles."""
        first_call = select(func.min(INCIDENT.c.received_at))
        first = conn.execute(first_call if origin is None else first_call.where(of_origin(origin))).scalar()
        counts = {key: _category_counts(conn, p, origin)
                  for key, p in (("cur", cmp.current), ("prev", cmp.previous), ("ly", cmp.last_year))}
        covered = {"prev": _covered(cmp.previous, first), "ly": _covered(cmp.last_year, first)}
        tiles, groups = self._tiles(conn, cmp, cats, counts, covered, origin)
        return first, counts, tiles, groups

    def _tiles(self, conn: Connection, cmp: Comparison, cats: list[_Cat], counts: Mapping[str, _Counts],
               covered: Mapping[str, bool],
               origin: Origin | None = None) -> tuple[list[Figure], list[Figure]]:
        cur = cmp.current
        police = [c.code for c in cats if c.is_police]
        non_police = [c.code for c in cats if not c.is_police]
        prop = [c.code for c in cats if c.is_property]
        c, p, y = counts["cur"], counts["prev"], counts["ly"]

        def count_fig(key: str, name: str, codes: list[str] | None, drill: IncidentFilter,
                      better: bool | None = None, label: str = "") -> Figure:
            value = c.total(name, codes)
            return Figure(key, Unit.COUNT, float(value), _if(covered["prev"], float(p.total(name, codes))),
                          _if(covered["ly"], float(y.total(name, codes))), value, drill=drill,
                          higher_is_better=better, label=label)

        def rate_fig(key: str, num: tuple[str, list[str] | None], den: tuple[str, list[str] | None],
                     drill: IncidentFilter, count: int, better: bool | None,
                     target: float | None = None) -> Figure:
            def r(k: _Counts) -> float | None:
                return _rate(k.total(*num), k.total(*den))
            return Figure(key, Unit.RATE, r(c), _if(covered["prev"], r(p)), _if(covered["ly"], r(y)), count,
                          base=c.total(*den), drill=drill,
                          higher_is_better=better, target=target)

        late = c.total("arrived", police) - c.total("on_time", police)
        tiles = [
            count_fig("calls", "calls", None, cur.board_filter()),
            count_fig("criminal", "calls", [x.code for x in cats if x.group_code == CRIMINAL_GROUP],
                      cur.board_filter(categories=frozenset(x.code for x in cats
                                                            if x.group_code == CRIMINAL_GROUP)), False),
            count_fig("property", "calls", prop, cur.board_filter(categories=frozenset(prop)), False),
            rate_fig("arrival_rate", ("on_time", police), ("arrived", police),
                     cur.board_filter(categories=frozenset(police), response=Response.LATE), late, True,
                     ARRIVAL_TARGET_RATE),
        ]
        for key, column, name in (("median_dispatch", INCIDENT.c.dispatched_at, "dispatched"),
                                  ("median_arrival", INCIDENT.c.arrived_at, "arrived")):
            values = [_median(conn, period, police, column, k.total(name, police), origin)
                      for period, k in ((cur, c), (cmp.previous, p), (cmp.last_year, y))]
            response = Response.DISPATCHED if name == "dispatched" else Response.ARRIVED
            tiles.append(Figure(key, Unit.SECONDS, values[0], _if(covered["prev"], values[1]),
                                _if(covered["ly"], values[2]), c.total(name, police),
                                drill=cur.board_filter(categories=frozenset(police), response=response),
                                higher_is_better=False))
        tiles += [
            rate_fig("non_police_share", ("calls", non_police), ("calls", None),
                     cur.board_filter(categories=frozenset(non_police)), c.total("calls", non_police), None),
            rate_fig("diversion_rate", ("diverted", non_police), ("calls", non_police),
                     cur.board_filter(categories=frozenset(non_police), flags=frozenset({Flag.DIVERTED})),
                     c.total("diverted", non_police), True),
            rate_fig("repeat_rate", ("repeat", None), ("calls", None),
                     cur.board_filter(flags=frozenset({Flag.REPEAT})), c.total("repeat", None), False),
        ]
        groups: list[Figure] = []
        seen: dict[str, list[str]] = defaultdict(list)
        names: dict[str, str] = {}
        for cat in cats:
            seen[cat.group_code].append(cat.code)
            names[cat.group_code] = cat.group_name
        for code, members in seen.items():
            groups.append(count_fig(f"group:{code}", "calls", members,
                                    cur.board_filter(categories=frozenset(members)), label=names[code]))
        return tiles, groups

    def _loop_tiles(self, conn: Connection, cmp: Comparison, now: datetime) -> list[Figure]:
        """Disputes opened and resolved, warnings answered on time, tasks signed and fed back on time.

        A comparison is left out ("—") when its ledger does not reach back to its first day.
        """
        now = now.replace(microsecond=0)
        cur = cmp.current
        (c, p, y), firsts = _loop_counts(conn, (cur, cmp.previous, cmp.last_year), now)

        def fig(key: str, ledger: str, unit: Unit, value: Callable[[_LoopCounts], float | None], count: int,
                base: int, kind: ItemKind, better: bool | None) -> Figure:
            first = firsts[ledger]
            return Figure(key, unit, value(c), _if(_covered(cmp.previous, first), value(p)),
                          _if(_covered(cmp.last_year, first), value(y)), count, base=base,
                          higher_is_better=better, items=ItemDrill(kind, cur.start, cur.end, now))

        return [
            fig("disputes_opened", "disputes", Unit.COUNT, lambda k: float(k.opened), c.opened, 0,
                ItemKind.DISPUTES_OPENED, None),
            fig("disputes_resolved", "disputes", Unit.COUNT, lambda k: float(k.resolved), c.resolved, 0,
                ItemKind.DISPUTES_RESOLVED, True),
            fig("warning_on_time_rate", "warnings", Unit.RATE,
                lambda k: _rate(k.answered_on_time, k.answered),
                c.answered_on_time, c.answered, ItemKind.WARNINGS_ANSWERED, True),
            *_task_figures(cmp, (c.tasks, p.tasks, y.tasks), firsts["tasks"],
                           lambda kind: ItemDrill(kind, cur.start, cur.end, now)),
        ]

    def items(self, drill: ItemDrill) -> list[DrillItem]:
        """The ledger records behind a figure (a tile of the loops, a scorecard row)."""
        with self.db.read() as conn:
            return _item_rows(conn, drill)

    def _trend(self, conn: Connection, cmp: Comparison, first: datetime | None) -> list[TrendPoint]:
        """Calls per day of the period (a day: the 30 days ending on it) and, day by day, the
        same window a year earlier (aligned by position, so 29 February has no partner; none for
        days before the database's first call)."""
        chosen = cmp.chosen
        whole = (Period(PeriodKind.CUSTOM, chosen.start - timedelta(days=DAY_TREND_DAYS - 1), chosen.end)
                 if chosen.kind == PeriodKind.DAY else chosen)
        window = replace(whole, end=cmp.current.end)
        earlier = last_year_period(whole)

        def by_day(p: Period) -> dict[str, int]:
            day = day_of(conn, INCIDENT.c.received_at).label("day")
            return {str(d): int(n) for d, n in conn.execute(
                select(day, func.count()).where(_in_period(p)).group_by(day))}

        now_counts, old_counts = by_day(window), by_day(earlier)
        old_days = earlier.days
        points = []
        for i, day in enumerate(window.days):
            if _midnight(day) >= window.end:
                break
            old = (old_counts.get(old_days[i].isoformat(), 0)
                   if i < len(old_days) and first is not None and old_days[i] >= first.date() else None)
            start = max(_midnight(day), window.start)
            end = min(_midnight(day + timedelta(days=1)), window.end)
            points.append(TrendPoint(day, now_counts.get(day.isoformat(), 0), old,
                                     IncidentFilter(preset=TimePreset.CUSTOM, start=start, end=end)))
        return points

    def _matrix(self, conn: Connection, period: Period) -> list[list[int]]:
        hour = hour_of_day(conn, INCIDENT.c.received_at).label("hour")
        weekday = weekday_of(conn, INCIDENT.c.received_at).label("weekday")
        matrix = [[0] * 24 for _ in range(7)]
        for d, h, n in conn.execute(select(weekday, hour, func.count()).where(_in_period(period))
                                    .group_by(weekday, hour)):
            matrix[int(d)][int(h)] = int(n)
        return matrix

    def _communities(self, conn: Connection, cur: Period, prev: Period,
                     cats: list[_Cat]) -> list[CommunityRow]:
        police = [c.code for c in cats if c.is_police]
        on_time = and_(INCIDENT.c.arrived_at.is_not(None), arrival_seconds(conn) <= POLICE_ARRIVAL_LIMIT_S)
        is_police = INCIDENT.c.category_code.in_(police)
        query = (
            select(INCIDENT.c.community_id, func.count(),
                   _flag_sum(INCIDENT.c.category_code.in_(
                       [c.code for c in cats if c.group_code == CRIMINAL_GROUP])),
                   _flag_sum(INCIDENT.c.category_code.in_([c.code for c in cats if c.is_property])),
                   _flag_sum(INCIDENT.c.is_repeat.is_(True)),
                   _flag_sum(INCIDENT.c.category_code.in_([c.code for c in cats if not c.is_police])),
                   _flag_sum(and_(is_police, INCIDENT.c.arrived_at.is_not(None))),
                   _flag_sum(and_(is_police, on_time)))
            .where(_in_period(cur), INCIDENT.c.community_id.is_not(None))
            .group_by(INCIDENT.c.community_id)
        )
        found = {r[0]: r for r in conn.execute(query)}
        before = dict(conn.execute(
            select(INCIDENT.c.community_id, func.count())
            .where(_in_period(prev), INCIDENT.c.community_id.is_not(None)).group_by(INCIDENT.c.community_id)
        ).all())
        rows = []
        for cid, name in conn.execute(select(COMMUNITY.c.id, COMMUNITY.c.name).order_by(COMMUNITY.c.code)):
            r = found.get(cid)
            calls, criminal, prop, repeat, non_police, arrived, ok = (
                (int(v) for v in r[1:]) if r is not None else (0,) * 7)
            rows.append(CommunityRow(cid, name, calls, int(before.get(cid, 0)), criminal, prop, repeat,
                                     non_police, _rate(ok, arrived), cur.board_filter(community_id=cid)))
        rows.sort(key=lambda x: (-x.calls, x.name))
        return rows

    def _scorecard(self, conn: Connection, period: Period, weights: Mapping[str, float],
                   now: datetime) -> list[ScoreRow]:
        police = select(CATEGORY.c.code).where(CATEGORY.c.is_police.is_(True))
        is_police = INCIDENT.c.category_code.in_(police)
        on_time = and_(INCIDENT.c.arrived_at.is_not(None), arrival_seconds(conn) <= POLICE_ARRIVAL_LIMIT_S)
        handled = {
            r[0]: r for r in conn.execute(
                select(INCIDENT.c.officer_id, func.count(),
                       _flag_sum(and_(is_police, INCIDENT.c.arrived_at.is_not(None))),
                       _flag_sum(and_(is_police, on_time)),
                       _flag_sum(INCIDENT.c.status == IncidentStatus.CLOSED.value))
                .where(_in_period(period), INCIDENT.c.officer_id.is_not(None))
                .group_by(INCIDENT.c.officer_id))
        }
        repeat_by_community = dict(conn.execute(
            select(INCIDENT.c.community_id, func.count())
            .where(_in_period(period), INCIDENT.c.is_repeat.is_(True), INCIDENT.c.community_id.is_not(None))
            .group_by(INCIDENT.c.community_id)).all())
        homes: dict[int, list[int]] = defaultdict(list)
        links = select(OFFICER_COMMUNITY.c.officer_id, OFFICER_COMMUNITY.c.community_id)
        for oid, cid in conn.execute(links):
            homes[oid].append(cid)
        tasks = _officer_task_rates(conn, period, now.replace(microsecond=0))
        officers = conn.execute(select(OFFICER.c.id, OFFICER.c.name, OFFICER.c.team)
                                .where(OFFICER.c.active.is_(True)).order_by(OFFICER.c.badge_no)).all()
        rows: list[ScoreRow] = []
        for oid, name, team in officers:
            h = handled.get(oid)
            t = tasks.get(oid)
            if h is None and t is None and oid not in homes:
                continue
            values: dict[str, float | None] = {
                "handled": float(h[1]) if h is not None else 0.0,
                "arrival_rate": _rate(int(h[3]), int(h[2])) if h is not None else None,
                "closure_rate": _rate(int(h[4]), int(h[1])) if h is not None else None,
                "community_repeat": (float(sum(int(repeat_by_community.get(c, 0)) for c in homes[oid]))
                                     if oid in homes else None),
                "signoff_rate": t[0] if t is not None else None,
                "feedback_rate": t[1] if t is not None else None,
            }
            rows.append(ScoreRow(oid, name, team, values, None))
        return _score(rows, weights)

    def notable(self, period: Period, origin: Origin | None = None) -> list[NotableIncident]:
        """The period's notable incidents (of one station's rows when ``origin`` is given)."""
        with self.db.read() as conn:
            return self._notable(conn, period, origin)

    def _notable(self, conn: Connection, period: Period,
                 origin: Origin | None = None) -> list[NotableIncident]:
        """Urgent calls and criminal cases of the period, most urgent and newest first."""
        criminal = select(CATEGORY.c.code).where(CATEGORY.c.group_code == CRIMINAL_GROUP)
        query = (
            select(INCIDENT.c.id, INCIDENT.c.incident_no, INCIDENT.c.received_at,
                   func.coalesce(CATEGORY.c.name, INCIDENT.c.category_code), INCIDENT.c.priority,
                   INCIDENT.c.status, INCIDENT.c.address, INCIDENT.c.description)
            .select_from(INCIDENT.outerjoin(CATEGORY, CATEGORY.c.code == INCIDENT.c.category_code))
            .where(_in_period(period, origin), INCIDENT.c.merged_into_id.is_(None),
                   (INCIDENT.c.priority == 1) | INCIDENT.c.category_code.in_(criminal))
            .order_by(INCIDENT.c.priority, INCIDENT.c.received_at.desc()).limit(NOTABLE_LIMIT)
        )
        return [NotableIncident(*r) for r in conn.execute(query)]


def _score(rows: list[ScoreRow], weights: Mapping[str, float]) -> list[ScoreRow]:
    """Weighted mean of indicators scaled 0-1 (counts against the best officer; lower-is-better
    ones inverted), as 0-100; indicators an officer has no value for are left out of his mean."""
    top = {key: max((r.values[key] or 0.0) for r in rows) if rows else 0.0
           for key in INDICATORS if key in ("handled", "community_repeat")}
    scored = []
    for r in rows:
        total = weight_sum = 0.0
        for key, better in INDICATORS.items():
            value, weight = r.values.get(key), weights.get(key, 0.0)
            if value is None or weight <= 0:
                continue
            # Counts are scaled against the best officer; with nobody above zero all score alike.
            scaled = (value / top[key] if top[key] else 0.0) if key in top else value
            total += weight * (scaled if better else 1.0 - scaled)
            weight_sum += weight
        scored.append(replace(r, score=round(100 * total / weight_sum, 1) if weight_sum else None))
    scored.sort(key=lambda r: (r.score is None, -(r.score or 0.0), r.name))
    return scored

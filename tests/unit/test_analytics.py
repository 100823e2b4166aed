"""Dashboard figures against hand-computed expectations, and drill-down counts against the board."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from station_console.domain.tasks import TaskState
from station_console.services.analytics import (
    AnalyticsService,
    Dashboard,
    ItemKind,
    Period,
    PeriodKind,
    Unit,
    last_year_period,
    parse_weights,
    period_for,
    previous_period,
)
from station_console.services.demo import generate_demo
from station_console.services.disputes import DisputeService
from station_console.services.incidents import IncidentFilter, IncidentService
from station_console.services.tasks import TaskFilter, TaskRow, TaskService
from station_console.services.warnings import WarningService
from station_console.store.database import Database
from station_console.store.models import Community, Dispute, Incident, Officer
from tests.conftest import DEMO_END, DEMO_ON_BOTH_ENGINES, ON_BOTH_ENGINES

LEAP = date(2024, 2, 29)
AFTER = datetime(2024, 3, 1, 9, 0)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _incident(no: str, code: str, received: str, *, dispatch_s: int | None = None,
              arrive_s: int | None = None, status: str = "closed", community: int | None = None,
              repeat: bool = False, diverted: bool = False, officer: int | None = None) -> Incident:
    t0 = _at(received)
    return Incident(
        incident_no=no, source="110", category_code=code, priority=2, status=status, received_at=t0,
        dispatched_at=None if dispatch_s is None else t0 + timedelta(seconds=dispatch_s),
        arrived_at=None if arrive_s is None else t0 + timedelta(seconds=arrive_s),
        community_id=community, is_repeat=repeat, is_diverted=diverted, officer_id=officer,
        updated_at=t0,
    )


@pytest.fixture
def station(db: Database) -> dict[str, Any]:
    """The demo station's code tables and areas with eight hand-made incidents around a leap day."""
    generate_demo(db, incidents=0, seed=3, end=AFTER)
    with db.session(write=True) as s:
        c1, c2 = s.scalars(select(Community.id).order_by(Community.id).limit(2)).all()
        o1, o2 = s.scalars(select(Officer.id).order_by(Officer.id).limit(2)).all()
        s.add_all([
            # 0101 theft (criminal, property): arrives at exactly 300 s, on time.
            _incident("A", "0101", "2024-02-29 08:00:00", dispatch_s=60, arrive_s=300, community=c1,
                      officer=o1),
            # 0105 assault (criminal): received 23:58, arrives 00:02 the next day, 240 s.
            _incident("B", "0105", "2024-02-29 23:58:00", dispatch_s=120, arrive_s=240, community=c1,
                      repeat=True, officer=o1),
            # 0501 dispute: 301 s, late.
            _incident("C", "0501", "2024-02-29 12:00:00", dispatch_s=90, arrive_s=301, status="resolved",
                      community=c2, officer=o2),
            # Still on its way: dispatched, no arrival (overdue at AFTER).
            _incident("D", "0501", "2024-02-29 13:00:00", dispatch_s=30, status="dispatched",
                      community=c2, repeat=True),
            # Non-police: one diverted, one attended (never in the arrival rate).
            _incident("E", "0801", "2024-02-29 14:00:00", status="resolved", community=c2, diverted=True),
            _incident("F", "0801", "2024-02-29 15:00:00", dispatch_s=600, arrive_s=1200, community=c2),
            # The next day and the day before.
            _incident("G", "0101", "2024-03-01 00:00:00", dispatch_s=60, arrive_s=200),
            _incident("H", "0101", "2024-02-28 23:59:59", dispatch_s=60, arrive_s=200),
            # A year earlier (29 February 2023 does not exist: 28 February stands in).
            _incident("I", "0801", "2023-02-28 10:00:00", status="resolved"),
        ])
    return {"c1": c1, "c2": c2, "o1": o1, "o2": o2}


def _dash(db: Database, kind: PeriodKind, day: date, now: datetime = AFTER, **kw: Any) -> Dashboard:
    return AnalyticsService(db, now=lambda: now).dashboard(period_for(kind, day), **kw)


def _board_count(db: Database, flt: IncidentFilter, now: datetime) -> int:
    return IncidentService(db, now=lambda: now).count(flt)


def test_periods_and_their_comparisons() -> None:
    day = period_for(PeriodKind.DAY, LEAP)
    assert (day.start, day.end) == (datetime(2024, 2, 29), datetime(2024, 3, 1))
    assert previous_period(day).start == datetime(2024, 2, 28)
    assert last_year_period(day).start == datetime(2023, 2, 28)
    assert last_year_period(day).end == datetime(2023, 3, 1)
    week = period_for(PeriodKind.WEEK, LEAP)
    assert week.start == datetime(2024, 2, 26) and week.end == datetime(2024, 3, 4)
    assert last_year_period(week).start.weekday() == 0
    month = period_for(PeriodKind.MONTH, LEAP)
    assert (month.start, month.end) == (datetime(2024, 2, 1), datetime(2024, 3, 1))
    assert previous_period(month) == period_for(PeriodKind.MONTH, date(2024, 1, 5))
    assert last_year_period(month).end == datetime(2023, 3, 1)
    dec = period_for(PeriodKind.MONTH, date(2025, 12, 31))
    assert dec.end == datetime(2026, 1, 1)
    custom = period_for(PeriodKind.CUSTOM, date(2024, 2, 27), date(2024, 2, 29))
    assert previous_period(custom).start == datetime(2024, 2, 24)
    with pytest.raises(ValueError, match="before it starts"):
        period_for(PeriodKind.CUSTOM, date(2024, 3, 2), date(2024, 3, 1))


@ON_BOTH_ENGINES
def test_leap_day_figures_by_hand(db: Database, station: dict[str, Any]) -> None:
    d = _dash(db, PeriodKind.DAY, LEAP)
    calls = d.tile("calls")
    assert (calls.value, calls.previous, calls.last_year) == (6, 1, 1)
    assert d.tile("criminal").value == 2
    assert d.tile("property").value == 1
    rate = d.tile("arrival_rate")
    assert rate.value == pytest.approx(2 / 3) and rate.base == 3 and rate.count == 1
    assert rate.target == 0.95
    assert d.tile("median_dispatch").value == 75  # 30, 60, 90, 120
    assert d.tile("median_arrival").value == 300  # 240, 300, 301
    assert d.tile("non_police_share").value == pytest.approx(2 / 6)
    diversion = d.tile("diversion_rate")
    assert diversion.value == pytest.approx(1 / 2) and diversion.count == 1
    assert d.tile("repeat_rate").value == pytest.approx(2 / 6)
    assert d.tile("group:dispute").value == 2
    assert d.tile("group:non_police").value == 2
    assert d.tile("overdue_now").value == 1  # D, on its way since 13:00
    # 29 February 2024 is a Thursday.
    assert [h for h in range(24) if d.matrix[3][h]] == [8, 12, 13, 14, 15, 23]
    assert sum(map(sum, d.matrix)) == 6
    rows = {r.community_id: r for r in d.communities}
    c1, c2 = rows[station["c1"]], rows[station["c2"]]
    assert (c1.calls, c1.criminal, c1.property, c1.repeat, c1.arrival_rate) == (2, 2, 1, 1, 1.0)
    assert (c2.calls, c2.non_police, c2.repeat, c2.arrival_rate) == (4, 2, 1, 0.0)
    # The trend: 30 days ending on the leap day; the last one has no partner a year earlier.
    assert len(d.trend) == 30 and d.trend[-1].day == LEAP
    assert (d.trend[-1].count, d.trend[-1].last_year) == (6, None)
    assert (d.trend[-2].count, d.trend[-2].last_year) == (1, 1)
    assert d.trend[0].last_year is None  # 31 January 2023: before the first call recorded


@ON_BOTH_ENGINES
def test_empty_period_has_no_rates(db: Database, station: dict[str, Any]) -> None:
    d = _dash(db, PeriodKind.DAY, date(2024, 2, 10))
    assert d.tile("calls").value == 0
    for key in ("arrival_rate", "median_dispatch", "median_arrival", "non_police_share", "repeat_rate"):
        assert d.tile(key).value is None, key
    assert d.tile("calls").change(d.tile("calls").previous) is None


@ON_BOTH_ENGINES
def test_empty_database(db: Database) -> None:
    d = AnalyticsService(db, now=lambda: AFTER).dashboard(period_for(PeriodKind.MONTH, LEAP))
    assert d.tile("calls").value == 0 and d.tile("calls").last_year is None
    assert d.scorecard == [] and d.communities == []


@ON_BOTH_ENGINES
def test_running_period_compares_like_for_like(db: Database, station: dict[str, Any]) -> None:
    d = _dash(db, PeriodKind.DAY, LEAP, now=datetime(2024, 2, 29, 13, 30))
    assert d.comparison.running and d.comparison.current.end == datetime(2024, 2, 29, 13, 30)
    calls = d.tile("calls")
    assert (calls.value, calls.previous) == (3, 0)  # A, C, D; H came at 23:59:59
    assert d.comparison.previous.end == datetime(2024, 2, 28, 13, 30)


@ON_BOTH_ENGINES
def test_week_and_month(db: Database, station: dict[str, Any]) -> None:
    week = _dash(db, PeriodKind.WEEK, LEAP)
    # A year earlier the week starts on 27 February 2023, a day before the first call recorded.
    assert (week.tile("calls").value, week.tile("calls").last_year) == (8, None)
    month = _dash(db, PeriodKind.MONTH, LEAP)
    calls = month.tile("calls")
    assert (calls.value, calls.previous, calls.last_year) == (7, 0, None)
    assert len(month.trend) == 29


@ON_BOTH_ENGINES
def test_comparison_before_the_data_is_unknown(db: Database, station: dict[str, Any]) -> None:
    d = _dash(db, PeriodKind.DAY, date(2023, 2, 28))
    assert d.tile("calls").value == 1
    assert d.tile("calls").previous is None and d.tile("calls").last_year is None


@ON_BOTH_ENGINES
def test_scorecard_weights(db: Database, station: dict[str, Any]) -> None:
    only_arrival = parse_weights("handled=0, arrival_rate=1, closure_rate=0, community_repeat=0, "
                                 "signoff_rate=0, feedback_rate=0")
    d = _dash(db, PeriodKind.DAY, LEAP, weights=only_arrival)
    scores = {r.officer_id: r for r in d.scorecard}
    assert scores[station["o1"]].score == 100.0
    assert scores[station["o2"]].score == 0.0
    assert scores[station["o1"]].values["handled"] == 2
    assert scores[station["o2"]].values["closure_rate"] == 0.0
    with pytest.raises(ValueError, match="unknown scorecard indicator"):
        parse_weights("speed=2")
    with pytest.raises(ValueError, match="must be a number"):
        parse_weights("handled=lots")


def _check_drill_down(db: Database, d: Dashboard, now: datetime) -> int:
    checked = 0
    service = AnalyticsService(db, now=lambda: now)
    for fig in (*d.tiles, *d.groups):
        if fig.items is not None:
            items = service.items(fig.items)
            if fig.unit == Unit.RATE:
                assert (len(items), sum(1 for i in items if i.on_time)) == (fig.base, fig.count), fig.key
            else:
                assert len(items) == fig.count, fig.key
        else:
            assert fig.drill is not None, fig.key
            assert _board_count(db, fig.drill, now) == fig.count, fig.key
        checked += 1
    for cat in d.categories:
        assert _board_count(db, cat.drill, now) == cat.count, cat.code
    for row in d.communities[:3]:
        assert _board_count(db, row.drill, now) == row.calls, row.name
    for point in d.trend[-3:]:
        assert _board_count(db, point.drill, now) == point.count, point.day
    busiest = max(((w, h) for w in range(7) for h in range(24)), key=lambda c: d.matrix[c[0]][c[1]])
    assert _board_count(db, d.matrix_drill(*busiest), now) == d.matrix[busiest[0]][busiest[1]]
    return checked


@ON_BOTH_ENGINES
def test_drill_down_counts_on_the_fixture(db: Database, station: dict[str, Any]) -> None:
    assert _check_drill_down(db, _dash(db, PeriodKind.DAY, LEAP), AFTER) > 10


@pytest.mark.parametrize("kind", [PeriodKind.DAY, PeriodKind.WEEK, PeriodKind.MONTH])
@DEMO_ON_BOTH_ENGINES
def test_drill_down_counts_on_the_demo_station(demo_db: Database, kind: PeriodKind) -> None:
    now = DEMO_END
    d = AnalyticsService(demo_db, now=lambda: now).dashboard(period_for(kind, now.date()))
    assert d.tile("calls").value and d.tile("calls").value > 0
    _check_drill_down(demo_db, d, now)


# the closed loops' figures against independent counts on the demo station ------------------


def _inside(t: datetime | None, p: Period) -> bool:
    return t is not None and p.start <= t < p.end


def _task_judgement(r: TaskRow, now: datetime) -> tuple[bool | None, bool | None]:
    """The task rules as the README states them, case by case in Python."""
    if r.signed_at is not None:
        signed: bool | None = r.signed_at <= r.signoff_due
    else:
        signed = False if now > r.signoff_due else None
    if r.feedback_at is not None and r.state not in (TaskState.SIGNED, TaskState.RETURNED):
        fed: bool | None = r.feedback_due is None or r.feedback_at <= r.feedback_due
    else:
        fed = False if r.feedback_due is not None and now > r.feedback_due else None
    return signed, fed


@pytest.mark.parametrize("kind", [PeriodKind.DAY, PeriodKind.WEEK, PeriodKind.MONTH])
@DEMO_ON_BOTH_ENGINES
def test_loop_figures_against_independent_counts(demo_db: Database, kind: PeriodKind) -> None:
    now = DEMO_END
    day = (now - timedelta(days=1)).date() if kind == PeriodKind.DAY else now.date()
    d = AnalyticsService(demo_db, now=lambda: now).dashboard(period_for(kind, day))
    disputes = DisputeService(demo_db, now=lambda: now).find(limit=100_000)
    with demo_db.read() as conn:
        resolved_at = conn.execute(select(Dispute.resolved_at)).scalars().all()  # type: ignore[call-overload]
    tasks = TaskService(demo_db, now=lambda: now).list_tasks(TaskFilter(states=frozenset()), limit=100_000)
    compared = 0
    for period, side in ((d.comparison.current, "value"), (d.comparison.previous, "previous")):
        expected: dict[str, float | None] = {
            "disputes_opened": sum(1 for x in disputes if _inside(x.registered_at, period)),
            "disputes_resolved": sum(1 for t in resolved_at if _inside(t, period)),
            "warning_on_time_rate": WarningService(demo_db, now=lambda: now).on_time(period.start,
                                                                                     period.end).rate,
        }
        judged = [_task_judgement(r, now) for r in tasks
                  if _inside(r.issued_at, period) and r.state != TaskState.CANCELLED]
        for key, index in (("task_signoff_rate", 0), ("task_feedback_rate", 1)):
            marks = [j[index] for j in judged if j[index] is not None]
            expected[key] = sum(marks) / len(marks) if marks else None
        for key, value in expected.items():
            got = getattr(d.tile(key), side)
            # A comparison is "—" only where the ledger does not reach back that far.
            if side == "value" or got is not None:
                assert got == value, (key, side)
                compared += 1
    assert compared > 5
    current = d.comparison.current
    warnings = WarningService(demo_db, now=lambda: now).on_time(current.start, current.end)
    rate = d.tile("warning_on_time_rate")
    assert (rate.count, rate.base) == (warnings.on_time, warnings.answered)


@DEMO_ON_BOTH_ENGINES
def test_loop_figures_are_not_empty_on_the_demo_month(demo_db: Database) -> None:
    month = period_for(PeriodKind.MONTH, DEMO_END.date())
    d = AnalyticsService(demo_db, now=lambda: DEMO_END).dashboard(month)
    assert d.tile("disputes_opened").value
    for key in ("warning_on_time_rate", "task_signoff_rate", "task_feedback_rate"):
        assert d.tile(key).base > 0, key
        assert d.tile(key).items is not None
    assert d.tile("warning_on_time_rate").items.kind == ItemKind.WARNINGS_ANSWERED  # type: ignore[union-attr]


@DEMO_ON_BOTH_ENGINES
def test_scorecard_task_rates_are_the_task_service_figures(demo_db: Database) -> None:
    now = DEMO_END
    month = period_for(PeriodKind.MONTH, now.date())
    d = AnalyticsService(demo_db, now=lambda: now).dashboard(month)
    cur = d.comparison.current
    tasks = TaskService(demo_db, now=lambda: now)
    figures = {f.officer_id: f for f in tasks.officer_figures(cur.start, cur.end)}
    assert figures
    service = AnalyticsService(demo_db, now=lambda: now)
    for row in d.scorecard:
        f = figures.get(row.officer_id)
        for key, theirs in (("signoff_rate", f and f.signoff_on_time_rate),
                            ("feedback_rate", f and f.feedback_on_time_rate)):
            assert row.values[key] == pytest.approx(theirs, abs=1e-4), (row.name, key)
        drills = d.officer_drills(row.officer_id)
        calls = service.items(drills["handled"])
        assert len(calls) == row.values["handled"]
        judged = [c for c in calls if c.on_time is not None]
        assert (sum(1 for c in judged if c.on_time) / len(judged) if judged else None) == \
            row.values["arrival_rate"]
        for key in ("signoff_rate", "feedback_rate"):
            items = service.items(drills[key])
            assert (sum(1 for i in items if i.on_time) / len(items) if items else None) == row.values[key]


@ON_BOTH_ENGINES
def test_loop_figures_on_an_empty_database(db: Database) -> None:
    d = AnalyticsService(db, now=lambda: AFTER).dashboard(period_for(PeriodKind.MONTH, LEAP))
    assert (d.tile("disputes_opened").value, d.tile("disputes_resolved").value) == (0, 0)
    for key in ("warning_on_time_rate", "task_signoff_rate", "task_feedback_rate"):
        fig = d.tile(key)
        assert (fig.value, fig.previous, fig.last_year, fig.base) == (None, None, None, 0), key

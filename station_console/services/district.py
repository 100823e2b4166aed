"""The district view (分局): the stations whose change packages this database applies, compared.

A district centre's database is a station database that trusts its stations' cards and applies
their signed change packages (``services/changes.py``). Every incident keeps the station whose
write made its current version (``sync_origin``), so the dashboard's incident figures can be
computed per station: ``AnalyticsService.station_figures`` with that station's ``Origin``, the
very definitions the station's own dashboard uses. Incidents and their event logs travel whole;
of a station's tasks, each package reports the number, state and times the task figures judge
(``station_task``), so "tasks on time" compares the same way (``AnalyticsService.task_figures``).
A station's disputes, warning orders and their people stay in its own database.

The stations are this database's trusted peers that have incidents here, and the database's own
station when it has incidents of its own. Incidents of a station this database does not trust
(forwarded by another station) count in the district total only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.engine import Connection

from station_console.domain.security import Perm, masker_for
from station_console.services.analytics import (
    STATION,
    AnalyticsService,
    Comparison,
    Figure,
    NotableIncident,
    Origin,
    Period,
    PeriodKind,
    comparison_for,
    of_origin,
    period_for,
)
from station_console.services.changes import STATION_NAME_KEY, station_id
from station_console.store.database import Database
from station_console.store.models import AppMeta, SyncPeer

PEER = SyncPeer.__table__  # type: ignore[attr-defined]
META = AppMeta.__table__  # type: ignore[attr-defined]

#: The incident figures compared side by side (keys of the dashboard's tiles).
INCIDENT_KEYS = ("calls", "criminal", "arrival_rate", "median_arrival", "non_police_share",
                 "diversion_rate", "repeat_rate")
#: The task figures compared, from the tasks the stations' packages report.
TASK_KEYS = ("task_signoff_rate", "task_feedback_rate")
#: Every figure compared, in column order.
DISTRICT_KEYS = (*INCIDENT_KEYS, *TASK_KEYS)
#: Notable incidents listed per station in the weekly report.
NOTABLE_PER_STATION = 5


@dataclass(frozen=True)
class DistrictStation:
    """One station of the district: a trusted peer, or this database's own station."""

    station_id: str
    name: str
    own: bool = False
    #: When its last package was applied here (None for the own station).
    last_package_at: datetime | None = None

    @property
    def origin(self) -> Origin:
        return Origin(self.station_id, self.own)


@dataclass(frozen=True)
class StationFigures:
    """One station's figures of the period and its notable incidents (masked as the reader
    must see them)."""

    station: DistrictStation
    figures: dict[str, Figure]
    notable: list[NotableIncident]

    def figure(self, key: str) -> Figure:
        return self.figures[key]


@dataclass(frozen=True)
class DistrictComparison:
    """The stations side by side over one period, and the whole database's figures."""

    district: str
    comparison: Comparison
    now: datetime
    rows: list[StationFigures]
    total: dict[str, Figure]
    produced_by: str = ""
    clear_personal: bool = False

    @property
    def period(self) -> Period:
        return self.comparison.chosen


def _has_rows(conn: Connection, origin: Origin) -> bool:
    return bool(conn.execute(select(exists().where(of_origin(origin)))).scalar())


def _as_time(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def district_stations(db: Database) -> list[DistrictStation]:
    """The stations with incidents in this database: its own first, then the trusted peers by name."""
    me = station_id(db)
    with db.read() as conn:
        own_name = conn.execute(select(STATION.c.name).order_by(STATION.c.id).limit(1)).scalar()
        candidates = [DistrictStation(me, str(own_name or me), own=True)]
        for name, sid, received in conn.execute(
                select(PEER.c.name, PEER.c.station_id, PEER.c.last_received_at).order_by(PEER.c.name)):
            candidates.append(DistrictStation(str(sid), str(name), last_package_at=_as_time(received)))
        return [s for s in candidates if _has_rows(conn, s.origin)]


def district_name(db: Database) -> str:
    """The name the district goes by in its card (``keys card --name``), else its station row's."""
    with db.read() as conn:
        named = conn.execute(select(META.c.value).where(META.c.key == STATION_NAME_KEY)).scalar()
        row = conn.execute(select(STATION.c.name).order_by(STATION.c.id).limit(1)).scalar()
    return str(named or row or "")


def is_district(db: Database) -> bool:
    """Whether the database holds the incidents of more than one station (the district view applies)."""
    return len(district_stations(db)) > 1


def iso_week(text: str) -> Period:
    """The Monday-to-Sunday week of ``YYYY-Www`` (ISO 8601 week numbering)."""
    year, sep, week = text.strip().upper().partition("-W")
    try:
        monday = date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        raise ValueError(f"{text!r} is not a week: write it as YYYY-Www, e.g. 2026-W10") from None
    if not sep:
        raise ValueError(f"{text!r} is not a week: write it as YYYY-Www, e.g. 2026-W10")
    return period_for(PeriodKind.WEEK, monday)


def last_whole_week(today: date) -> Period:
    """The last Monday-to-Sunday week before ``today``'s."""
    return period_for(PeriodKind.WEEK, today - timedelta(days=today.weekday() + 7))


class DistrictService:
    """The district's comparison of stations. ``now`` is injectable for tests."""

    def __init__(self, db: Database, *, now: Callable[[], datetime] = datetime.now) -> None:
        self.db = db
        self.now = now

    def compare(self, period: Period, *, notable: bool = False) -> DistrictComparison:
        """Every station's figures of the period (each against its own earlier periods) and the
        district's; with ``notable``, each station's most urgent incidents, personal data in
        free text masked unless the reader may see it."""
        self.db.identity.require(Perm.VIEW_DASHBOARD)
        now = self.now()
        frozen = lambda: now  # noqa: E731 - every station judged at the same moment
        analytics = AnalyticsService(self.db, now=frozen)
        masker = masker_for(self.db.identity)
        cur = comparison_for(period, now).current
        rows = []
        for station in district_stations(self.db):
            figures = {f.key: f for f in (*analytics.station_figures(period, station.origin),
                                          *analytics.task_figures(period, station.origin))}
            listed = analytics.notable(cur, station.origin)[:NOTABLE_PER_STATION] if notable else []
            rows.append(StationFigures(station, {k: figures[k] for k in DISTRICT_KEYS},
                                       [replace(n, description=masker.text(n.description)) for n in listed]))
        total = {f.key: f for f in (*analytics.station_figures(period, None),
                                    *analytics.task_figures(period, None))}
        who = self.db.identity
        return DistrictComparison(district_name(self.db), comparison_for(period, now), now, rows,
                                  {k: total[k] for k in DISTRICT_KEYS},
                                  produced_by=who.display_name or who.username,
                                  clear_personal=masker.clear)


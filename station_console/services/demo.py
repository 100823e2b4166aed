"""The deterministic demo station: a fictional urban station in Hangzhou and a year of incidents.

Everything comes from ``random.Random`` instances seeded from the ``seed`` argument, so the same
(seed, incidents, days, end) always writes the same rows. The station layout uses its own
random stream, so the areas, places and officers do not depend on the number of incidents.

The jurisdiction is a jittered lattice of shared vertices: each lattice cell is one community,
each community is split into grids along its own (u, v) parameter lines. A point is generated
as (community, u, v), so its community and grid are known exactly; the geometry written to the
database is the same bilinear map, so a point-in-polygon test agrees with the stored ids.

Times are handled as integer seconds from midnight of the first day and formatted once, in
SQLAlchemy's SQLite DATETIME text form, because a million incidents with five timestamps and
four or five events each would spend most of their time in ``datetime`` arithmetic otherwise.
"""

from __future__ import annotations

import bisect
import json
import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from string import Formatter
from typing import Any, NamedTuple

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from station_console.config import data_path
from station_console.domain import geo
from station_console.domain.categories import Category
from station_console.domain.enums import (
    IncidentSource,
    IncidentStatus,
    OfficerKind,
    Team,
    UnitStatus,
)
from station_console.services import audit
from station_console.services.accounts import create_demo_accounts
from station_console.services.codetables import install_code_tables, load_code_table
from station_console.services.disputes import generate_demo_disputes
from station_console.services.diversion import generate_demo_diversions
from station_console.services.patrol_demo import generate_demo_patrols
from station_console.services.tasks import generate_demo_tasks
from station_console.services.warnings import generate_demo_warnings
from station_console.store.database import Database
from station_console.store.dialect import (
    advance_id_sequences,
    bulk_cache,
    bulk_insert,
    search_index_suspended,
)
from station_console.store.models import (
    AppMeta,
    Community,
    Grid,
    Incident,
    IncidentEvent,
    KeyPlace,
    Officer,
    OfficerCommunity,
    PatrolUnit,
    PatrolUnitMember,
    PolicePost,
    Station,
    UserAccount,
)

TEXT_FILE = "demo_text.json"
DEMO_META_KEYS = ("demo", "demo_seed", "station_code")
#: Kept when the demo station is replaced: settings, codes, the accounts and the audit trail
#: (which is never emptied but by its retention purge).
KEPT_TABLES = frozenset({"app_meta", "category_group", "incident_category", "user_account",
                         "password_history", "audit_log"})

CENTER_LON, CENTER_LAT = 120.13, 30.27
WIDTH_M, HEIGHT_M = 4000.0, 3000.0
#: Lattice shapes (columns, rows): 6, 8, 9 or 10 communities.
LATTICES = ((3, 2), (4, 2), (3, 3), (5, 2))
#: Grid splits of a community (along u, along v): 3, 4 or 6 grids.
GRID_SPLITS = ((3, 1), (1, 3), (2, 2), (3, 2), (2, 3))
#: Vertex jitter as a share of the smaller cell side; below ~0.2 every cell stays convex,
#: which the bilinear point generation relies on.
VERTEX_JITTER = 0.16
#: Keep generated points this far (in cell parameter units) from grid edges, so that rounding
#: coordinates to 6 decimals can never move a point across a boundary.
EDGE_MARGIN = 0.006
#: How far (cell parameter units, ~1 unit = 1 km) incidents scatter around their address:
#: across a compound, along a street frontage, at a crossing or a building.
SCATTER = {"home": 0.08, "street": 0.03, "crossing": 0.01, "place": 0.01}

CHUNK = 10_000
#: Recent incidents forced into each open status, so the live board has something to show.
LIVE_STATUSES = (
    IncidentStatus.NEW, IncidentStatus.DISPATCHED, IncidentStatus.ARRIVED,
    IncidentStatus.RESOLVED, IncidentStatus.NEW, IncidentStatus.DISPATCHED,
    IncidentStatus.ARRIVED, IncidentStatus.RESOLVED,
)
#: How long ago (minutes) a live incident in each status was received.
LIVE_AGE_MIN = {
    IncidentStatus.NEW: (1, 9),
    IncidentStatus.DISPATCHED: (4, 20),
    IncidentStatus.ARRIVED: (10, 50),
    IncidentStatus.RESOLVED: (40, 200),
}
#: Share of calls from people who call again and again (each 3-8 times).
REPEAT_CALL_SHARE = 0.07
OUT_OF_JURISDICTION_SHARE = 0.005
ANONYMOUS_SHARE = 0.08
ID_NO_SHARE = 0.55
DIVERTED_SHARE = 0.68
#: Everything is closed within this long of receipt: older than a day means closed.
MAX_OPEN_S = 22 * 3600

ID_AREA = "330106"
#: Place names of the other stations of the demo district (``station_no`` 1 to 19; 0 is the demo
#: station itself): each gets its own name, station code and incident numbers.
DISTRICT_STATIONS = ("翠苑", "北山", "文新", "古荡", "蒋村", "留下", "转塘", "灵隐", "西溪", "三墩",
                     "双浦", "龙坞", "之江", "九莲", "桂花", "梅林", "竹溪", "松涛", "云栖")
ID_OTHER_AREAS = ("330102", "330105", "330108", "330110", "330122", "341122", "362321",
                  "412726", "513030", "522425")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                   "152", "155", "156", "157", "158", "159", "166", "173", "177", "180", "181",
                   "182", "183", "185", "186", "187", "188", "189", "191", "195", "198", "199")

# Hour-of-day shapes (relative; normalised per category). Few calls 2-6 am, peaks late morning
# and evening; e-bike thefts in the evening, fraud and enquiries in office hours.
HOURS: dict[str, tuple[float, ...]] = {
    "default": (1.6, 1.1, 0.7, 0.5, 0.45, 0.55, 0.9, 1.6, 2.6, 3.4, 3.8, 3.7,
                3.2, 3.0, 3.1, 3.2, 3.4, 3.6, 3.7, 3.9, 4.0, 3.7, 3.0, 2.2),
    "evening": (0.6, 0.4, 0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 0.6, 0.6, 0.6, 0.6,
                0.6, 0.6, 0.6, 0.7, 0.9, 1.4, 4.0, 5.0, 5.5, 5.5, 5.0, 3.0),
    "daytime": (0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 1.0, 2.5, 3.5, 3.8, 3.5,
                2.8, 3.0, 3.4, 3.4, 3.0, 2.4, 1.6, 1.2, 1.0, 0.8, 0.5, 0.3),
    "night": (3.5, 3.0, 2.0, 1.2, 0.6, 0.3, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9,
              1.0, 1.0, 1.0, 1.0, 1.1, 1.3, 1.6, 2.2, 3.0, 3.8, 4.2, 4.0),
    "rush": (0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1.5, 3.6, 4.0, 2.6, 2.0, 2.0,
             2.1, 2.0, 2.0, 2.2, 2.8, 3.8, 4.0, 2.8, 2.0, 1.6, 1.2, 0.8),
    "office": (0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 3.0, 3.8, 4.0, 3.6,
               2.6, 3.0, 3.5, 3.5, 3.2, 2.6, 2.0, 1.6, 1.3, 1.0, 0.6, 0.3),
    "home": (1.5, 1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 1.0, 1.5, 2.0, 2.2, 2.3,
             2.4, 2.0, 2.0, 2.1, 2.3, 2.8, 3.5, 4.0, 4.2, 3.8, 3.0, 2.2),
}
# Month shapes (January first): mild seasonality of the whole volume and of some categories.
SEASON_ALL = (0.93, 0.86, 0.95, 0.99, 1.02, 1.05, 1.09, 1.09, 1.03, 1.01, 0.99, 0.97)
MONTHS: dict[str, tuple[float, ...]] = {
    "flat": (1.0,) * 12,
    "summer": (0.8, 0.75, 0.9, 1.0, 1.1, 1.2, 1.3, 1.3, 1.15, 1.0, 0.9, 0.8),
    "winter": (1.3, 1.3, 1.1, 0.9, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.1, 1.3),
}
WEEKDAY = (0.97, 0.96, 0.97, 0.98, 1.04, 1.07, 1.01)

_S = IncidentSource
SOURCES: dict[str, tuple[tuple[IncidentSource, float], ...]] = {
    "call": ((_S.CALL_110, 0.9), (_S.PHONE, 0.07), (_S.WALK_IN, 0.03)),
    "call_patrol": ((_S.CALL_110, 0.72), (_S.PHONE, 0.05), (_S.PATROL, 0.2), (_S.WALK_IN, 0.03)),
    "walk": ((_S.WALK_IN, 0.5), (_S.CALL_110, 0.4), (_S.PHONE, 0.1)),
    "report": ((_S.CALL_110, 0.6), (_S.WALK_IN, 0.3), (_S.PHONE, 0.1)),
    "warning": ((_S.WARNING, 1.0),),
    "civic": ((_S.CALL_110, 0.84), (_S.HOTLINE, 0.1), (_S.PHONE, 0.06)),
    "vending": ((_S.CALL_110, 0.5), (_S.HOTLINE, 0.2), (_S.PATROL, 0.3)),
}


class _Plan(NamedTuple):
    share: float
    hours: str
    months: str
    where: str
    sources: str


# Category mix: non-police calls are half of all calls (the domain notes report 50-67%).
PLAN: dict[str, _Plan] = {
    "0101": _Plan(0.030, "default", "flat", "commerce", "call"),
    "0102": _Plan(0.025, "evening", "summer", "ebike", "call"),
    "0103": _Plan(0.010, "default", "flat", "home", "call"),
    "0104": _Plan(0.003, "night", "flat", "street", "call"),
    "0105": _Plan(0.007, "night", "flat", "street", "call"),
    "0201": _Plan(0.025, "daytime", "flat", "fraud", "report"),
    "0202": _Plan(0.015, "daytime", "flat", "fraud", "warning"),
    "0301": _Plan(0.020, "night", "summer", "commerce", "call"),
    "0302": _Plan(0.020, "night", "summer", "street", "call_patrol"),
    "0303": _Plan(0.020, "night", "flat", "home", "call_patrol"),
    "0304": _Plan(0.010, "night", "winter", "home", "call"),
    "0401": _Plan(0.060, "rush", "flat", "crossing", "call"),
    "0402": _Plan(0.030, "rush", "flat", "crossing", "call_patrol"),
    "0501": _Plan(0.040, "home", "flat", "home", "call"),
    "0502": _Plan(0.035, "home", "flat", "home", "call"),
    "0503": _Plan(0.015, "office", "flat", "street", "report"),
    "0504": _Plan(0.020, "office", "flat", "street", "report"),
    "0505": _Plan(0.020, "home", "flat", "home", "call"),
    "0601": _Plan(0.005, "default", "winter", "home", "call"),
    "0701": _Plan(0.015, "default", "flat", "any", "call"),
    "0702": _Plan(0.050, "default", "flat", "any", "call"),
    "0703": _Plan(0.025, "office", "flat", "commerce", "walk"),
    "0801": _Plan(0.120, "night", "summer", "home", "civic"),
    "0802": _Plan(0.050, "office", "flat", "street", "civic"),
    "0803": _Plan(0.070, "default", "flat", "home", "civic"),
    "0804": _Plan(0.060, "office", "flat", "commerce", "civic"),
    "0805": _Plan(0.040, "default", "summer", "commerce", "vending"),
    "0806": _Plan(0.050, "default", "winter", "home", "civic"),
    "0807": _Plan(0.030, "default", "flat", "home", "civic"),
    "0808": _Plan(0.080, "office", "flat", "any", "civic"),
}
#: Outcome codes (``domain.workflow.OUTCOMES``) by category group, for incidents not diverted.
OUTCOMES: dict[str, tuple[tuple[str, float], ...]] = {
    "criminal": (("case_opened", 0.7), ("handled", 0.2), ("no_finding", 0.05),
                 ("false_alarm", 0.05)),
    "fraud": (("case_opened", 0.55), ("handled", 0.4), ("false_alarm", 0.05)),
    "public_order": (("handled", 0.65), ("mediated", 0.2), ("no_finding", 0.1),
                     ("false_alarm", 0.05)),
    "traffic": (("handled", 0.75), ("referred", 0.15), ("mediated", 0.05), ("false_alarm", 0.05)),
    "dispute": (("mediated", 0.7), ("handled", 0.15), ("referred", 0.1), ("false_alarm", 0.05)),
    "fire": (("handled", 0.9), ("referred", 0.05), ("false_alarm", 0.05)),
    "help": (("handled", 0.85), ("no_finding", 0.05), ("false_alarm", 0.1)),
    "non_police": (("handled", 0.6), ("referred", 0.2), ("mediated", 0.1), ("false_alarm", 0.1)),
}
#: Median minutes on scene by group (log-normal around it).
HANDLE_MIN = {"criminal": 50, "fraud": 60, "public_order": 30, "traffic": 40, "dispute": 45,
              "fire": 60, "help": 30, "non_police": 20}
#: Repeat callers: (theme category, weight, calls come monthly rather than in a burst).
REPEAT_THEMES = (("0501", 0.35, True), ("0502", 0.2, False), ("0801", 0.2, False),
                 ("0803", 0.1, False), ("0505", 0.08, False), ("0503", 0.07, False))
REPEAT_OTHER = ("0501", "0502", "0801", "0803", "0505")
#: Key places per type: (min, max) count and how strongly incidents gather there.
PLACE_COUNTS = {"bank": (5, 8), "school": (3, 5), "kindergarten": (3, 5), "hospital": (1, 3),
                "market": (2, 3), "heritage": (1, 3), "transport": (2, 4), "hotel": (4, 7),
                "internet_cafe": (2, 4), "government": (2, 4), "mall": (2, 3)}
PLACE_WEIGHT = {"market": 4.0, "mall": 3.0, "transport": 3.0, "internet_cafe": 2.0,
                "hotel": 1.5, "hospital": 1.5}
COMMERCE_TYPES = ("market", "mall", "transport", "hotel", "internet_cafe", "bank")
#: Share of e-bike thefts at the two or three hotspots (a market, a compound, a metro exit).
EBIKE_HOTSPOT_SHARE = 0.65
FRAUD_HOT_FACTOR = 6.0

INCIDENT_COLUMNS = (
    "id", "incident_no", "source", "category_code", "priority", "status",
    "received_at", "dispatched_at", "arrived_at", "resolved_at", "closed_at",
    "caller_name", "caller_phone", "caller_id_no", "address", "lat", "lon",
    "community_id", "grid_id", "description", "unit_id", "officer_id",
    "outcome_code", "feedback", "merged_into_id", "is_repeat", "is_diverted",
    "in_jurisdiction", "updated_at",
)
EVENT_COLUMNS = ("id", "incident_id", "at", "actor", "action", "detail")


@dataclass(frozen=True)
class DemoSummary:
    """What ``generate_demo`` wrote."""

    station_name: str
    communities: int
    grids: int
    posts: int
    key_places: int
    officers: int
    units: int
    incidents: int
    seconds: float


class DemoCancelled(Exception):
    """The progress callback asked to stop; the database was left as it was."""


def _table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]


def database_is_empty(db: Database) -> bool:
    """True when the database has no station row and no incidents."""
    with db.read() as conn:
        station = conn.execute(select(_table(Station).c.id).limit(1)).first()
        incident = conn.execute(select(_table(Incident).c.id).limit(1)).first()
    return station is None and incident is None


def clear_station_data(conn: Connection, db: Database) -> None:
    """Delete every row of the station's tables (children first), keeping settings and codes.

    Recorded as one audit record, not one per deleted row.
    """
    with search_index_suspended(conn), audit.bulk(conn, db, audit.Action.BULK,
                                                  object_type="demo", detail={"what": "cleared"}):
        conn.execute(update(_table(UserAccount)).values(officer_id=None))
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name not in KEPT_TABLES:
                conn.execute(delete(table))
    meta = _table(AppMeta)
    conn.execute(delete(meta).where(meta.c.key.in_(DEMO_META_KEYS)))


def generate_demo(
    db: Database,
    *,
    incidents: int = 20_000,
    seed: int = 20240501,
    days: int = 365,
    end: datetime | None = None,
    progress: Callable[[int, int], bool] | None = None,
    station_no: int = 0,
) -> DemoSummary:
    """Write the demo station and ``incidents`` incidents over ``days`` days before ``end``;
    ``station_no`` 1-19 makes another station of the demo district (name, code, incident numbers)."""
    if not 0 <= station_no <= len(DISTRICT_STATIONS):
        raise ValueError(f"station_no must be from 0 to {len(DISTRICT_STATIONS)}")
    if incidents < 0:
        raise ValueError("incidents must be zero or more")
    if days < 1:
        raise ValueError("days must be at least 1")
    if end is not None and end.tzinfo is not None:
        raise ValueError("end must be a naive local time")
    started = time.perf_counter()
    end = (end or datetime.now()).replace(second=0, microsecond=0)
    text = json.loads(data_path(TEXT_FILE).read_text(encoding="utf-8"))
    _groups, categories = load_code_table()
    layout = _Layout(random.Random(seed), text, station_no)
    with db.write() as conn, bulk_cache(conn), audit.bulk(conn, db, audit.Action.BULK,
                                                          object_type="demo", object_id=seed) as loaded:
        install_code_tables(conn)
        layout.insert(conn)
        gen = _Incidents(random.Random(f"{seed}:incidents"), text, layout, categories,
                         incidents, days, end)
        done = 0
        _report(progress, done, incidents)
        with search_index_suspended(conn):
            for rows, events in gen.chunks():
                bulk_insert(conn, _table(Incident), INCIDENT_COLUMNS, rows)
                bulk_insert(conn, _table(IncidentEvent), EVENT_COLUMNS, events)
                done += len(rows)
                _report(progress, done, incidents)
        layout.set_unit_status(conn, gen.busy_units)
        advance_id_sequences(conn, [t.name for t in SQLModel.metadata.sorted_tables if "id" in t.c])
        loaded.update(what="demo station", incidents=incidents, days=days)
        meta = _table(AppMeta)
        conn.execute(delete(meta).where(meta.c.key.in_(DEMO_META_KEYS)))
        conn.execute(insert(meta), [
            {"key": "demo", "value": "1"},
            {"key": "demo_seed", "value": str(seed)},
            {"key": "station_code", "value": layout.station_code},
        ])
    generate_demo_tasks(db, seed, end)
    generate_demo_warnings(db, seed, end)
    generate_demo_disputes(db, seed, end)
    generate_demo_diversions(db, seed, end)
    generate_demo_patrols(db, seed, end)
    create_demo_accounts(db, now=end)
    return DemoSummary(
        station_name=layout.station_name,
        communities=len(layout.areas),
        grids=sum(len(a.grid_ids) for a in layout.areas),
        posts=len(layout.rows["police_post"]),
        key_places=len(layout.rows["key_place"]),
        officers=len(layout.rows["officer"]),
        units=len(layout.units),
        incidents=incidents,
        seconds=time.perf_counter() - started,
    )


def _report(progress: Callable[[int, int], bool] | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise DemoCancelled("demo generation cancelled")


def _cumulative(weights: Sequence[float]) -> list[float]:
    out: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rng: random.Random, items: Sequence[Any], cum: Sequence[float]) -> Any:
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


# --- people ----------------------------------------------------------------------------------


class _People:
    """Chinese names, mobile numbers and 18-digit resident ID numbers."""

    def __init__(self, rng: random.Random, text: dict[str, Any]) -> None:
        self.rng = rng
        self.surnames: str = text["surnames"]
        # Common surnames are far more common: weight by rank like a Zipf tail.
        self.surname_cum = _cumulative([1.0 / (rank + 6) for rank in range(len(self.surnames))])
        self.male: str = text["given_male"]
        self.female: str = text["given_female"]

    def name(self, female: bool) -> str:
        rng = self.rng
        chars = self.female if female else self.male
        given = rng.choice(chars)
        if rng.random() < 0.65:
            given += rng.choice(chars)
        return _pick(rng, self.surnames, self.surname_cum) + given  # type: ignore[no-any-return]

    def phone(self) -> str:
        rng = self.rng
        return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"

    def id_no(self, female: bool, year: int) -> str:
        """An ID number of an adult (18 to 85 in ``year``), mostly registered in the district."""
        rng = self.rng
        area = ID_AREA if rng.random() < 0.75 else rng.choice(ID_OTHER_AREAS)
        born = date(year - rng.randint(18, 85), 1, 1) + timedelta(days=rng.randrange(365))
        # The 17th digit is odd for men and even for women.
        seq = rng.randrange(500) * 2 + (0 if female else 1)
        body = f"{area}{born:%Y%m%d}{seq:03d}"
        return body + ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


# --- areas and places ------------------------------------------------------------------------


@dataclass
class _Area:
    """One community: its lattice cell, bilinear map and grid split."""

    col: int
    row: int
    id: int
    name: str
    village: bool
    corners: tuple[geo.Point, geo.Point, geo.Point, geo.Point]  # SW, SE, NE, NW (lon, lat)
    u_edges: list[float]
    v_edges: list[float]
    roads: tuple[str, str, str, str]  # west, east, south, north
    grid_ids: list[int] = field(default_factory=list)
    population: int = 0

    def lonlat(self, u: float, v: float) -> geo.Point:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = self.corners
        return (
            x0 + (x1 - x0) * u + (x3 - x0) * v + (x0 - x1 + x2 - x3) * u * v,
            y0 + (y1 - y0) * u + (y3 - y0) * v + (y0 - y1 + y2 - y3) * u * v,
        )

    def grid_cell(self, u: float, v: float) -> tuple[int, int]:
        return (bisect.bisect(self.u_edges, u, 1, len(self.u_edges) - 1) - 1,
                bisect.bisect(self.v_edges, v, 1, len(self.v_edges) - 1) - 1)

    def grid_id(self, u: float, v: float) -> int:
        a, b = self.grid_cell(u, v)
        return self.grid_ids[b * (len(self.u_edges) - 1) + a]

    def grid_box(self, u: float, v: float) -> tuple[float, float, float, float]:
        a, b = self.grid_cell(u, v)
        m = EDGE_MARGIN
        return (self.u_edges[a] + m, self.u_edges[a + 1] - m,
                self.v_edges[b] + m, self.v_edges[b + 1] - m)


class _Spot(NamedTuple):
    """A geocoded address incidents can happen at."""

    address: str
    kind: str  # home, street, crossing, place
    area: _Area | None  # None: outside the jurisdiction
    u: float
    v: float
    box: tuple[float, float, float, float]
    lon: float
    lat: float
    weight: float
    rooms: tuple[int, int, int]  # buildings, units, floors of a residential compound


class _Unit(NamedTuple):
    id: int
    name: str
    leader_id: int
    leader_name: str


class _Layout:
    """The station, its areas, places, officers and units (rows and lookups)."""

    def __init__(self, rng: random.Random, text: dict[str, Any], station_no: int = 0) -> None:
        self.rng = rng
        self.text = text
        st = text["station"]
        self.station_name: str = st["name"]
        self.station_code: str = st["code"]
        #: Incident numbers start with this (stations of one district never share a number).
        self.number_prefix = f"J{ID_AREA}"
        if station_no:
            self.station_name = f"{st['city']}{st['district']}{DISTRICT_STATIONS[station_no - 1]}派出所"
            self.station_code = f"{ID_AREA}56{station_no:02d}00"
            self.number_prefix += f"{station_no:02d}"
        self.prefix: str = text["address_prefix"]
        self.people = _People(rng, text)
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.areas: list[_Area] = []
        self.spots: list[_Spot] = []
        self.outside: list[_Spot] = []
        self.grid_rings: list[tuple[int, int, list[geo.Point]]] = []
        self.units: list[_Unit] = []
        self.operators: list[str] = []
        self.case_officers: list[tuple[int, str]] = []
        self.community_officer: dict[int, tuple[int, str]] = {}
        #: The type of each "place" spot, in spot order (to find hotspots).
        self.place_types: list[str] = []
        self._names: set[str] = set()
        self._badges: set[str] = set()
        self._ids: dict[str, int] = {}
        self._build_areas()
        self._build_spots()
        self._build_places()
        self._build_people()

    # Ids are assigned here, not by the database, so that incidents can refer to them while they
    # are generated. The caller hands over empty station tables (``database_is_empty``).
    def _next(self, table: str) -> int:
        self._ids[table] = self._ids.get(table, 0) + 1
        return self._ids[table]

    def _add(self, table: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(row)

    def _build_areas(self) -> None:
        rng, text = self.rng, self.text
        cols, rows = rng.choice(LATTICES)
        self.n_cols, self.n_rows = cols, rows
        self.cell_w, self.cell_h = WIDTH_M / cols, HEIGHT_M / rows
        jit = VERTEX_JITTER * min(self.cell_w, self.cell_h)
        verts = [
            [
                geo.offset(CENTER_LON, CENTER_LAT,
                           -WIDTH_M / 2 + i * self.cell_w + rng.uniform(-jit, jit),
                           -HEIGHT_M / 2 + j * self.cell_h + rng.uniform(-jit, jit))
                for j in range(rows + 1)
            ]
            for i in range(cols + 1)
        ]
        self.verts = verts
        ns, ew = text["roads_ns"], text["roads_ew"]
        names = [text["communities"][0], *rng.sample(text["communities"][1:], cols * rows - 1)]
        station_id = self._next("station")
        # Reading order (north-west first); the south-east cell is the one village.
        cells = [(i, j) for j in reversed(range(rows)) for i in range(cols)]
        for k, (i, j) in enumerate(cells):
            village = k == len(cells) - 1
            a, b = rng.choice(GRID_SPLITS)
            area = _Area(
                col=i, row=j, id=self._next("community"),
                name=text["village"] if village else names[k], village=village,
                corners=(verts[i][j], verts[i + 1][j], verts[i + 1][j + 1], verts[i][j + 1]),
                u_edges=_split(rng, a), v_edges=_split(rng, b),
                roads=(ns[i], ns[i + 1], ew[j], ew[j + 1]),
            )
            area.population = rng.randint(2500, 5000) if village else rng.randint(7000, 18000)
            ring = list(area.corners)
            lon, lat = geo.ring_centroid(ring)
            code = f"{ID_AREA}005{k + 1:03d}"
            self._add("community", {
                "id": area.id, "station_id": station_id, "code": code, "name": area.name,
                "kind": "village" if village else "community", "population": area.population,
                "households": int(area.population / rng.uniform(2.4, 2.9)),
                "center_lat": round(lat, 6), "center_lon": round(lon, 6),
                "geometry": geo.polygon_geojson(ring),
            })
            for gb in range(b):
                for ga in range(a):
                    u0, u1 = area.u_edges[ga], area.u_edges[ga + 1]
                    v0, v1 = area.v_edges[gb], area.v_edges[gb + 1]
                    gring = [area.lonlat(u0, v0), area.lonlat(u1, v0),
                             area.lonlat(u1, v1), area.lonlat(u0, v1)]
                    gid = self._next("grid")
                    area.grid_ids.append(gid)
                    self.grid_rings.append((area.id, gid, gring))
                    glon, glat = geo.ring_centroid(gring)
                    female = rng.random() < 0.6
                    self._add("grid", {
                        "id": gid, "community_id": area.id,
                        "code": f"{code}{len(area.grid_ids):02d}",
                        "name": f"{area.name}第{len(area.grid_ids)}网格",
                        "grid_worker": self.people.name(female),
                        "center_lat": round(glat, 6), "center_lon": round(glon, 6),
                        "geometry": geo.polygon_geojson(gring),
                    })
            self.areas.append(area)
        # The map centre: area-weighted centroid of the whole jurisdiction.
        weights = [abs(geo.ring_area(list(a.corners))) for a in self.areas]
        cents = [geo.ring_centroid(list(a.corners)) for a in self.areas]
        self.center = (sum(w * c[0] for w, c in zip(weights, cents, strict=True)) / sum(weights),
                       sum(w * c[1] for w, c in zip(weights, cents, strict=True)) / sum(weights))
        self.station_id = station_id

    def road(self, area: _Area, u: float, v: float) -> tuple[str, int]:
        """The nearest bounding road of a point and its house number, counted along the road."""
        side = min(range(4), key=lambda s: (u, 1 - u, v, 1 - v)[s])
        if side < 2:  # west or east road (north-south): numbered from its south end
            pos = (area.row + v) * self.cell_h
            even = side == 0  # the area lies east of its west road: even numbers
        else:
            pos = (area.col + u) * self.cell_w
            even = side == 3
        return area.roads[side], 2 * int(pos / 15) + (2 if even else 1)

    def address(self, area: _Area, u: float, v: float) -> str:
        """Street address of a point."""
        road, number = self.road(area, u, v)
        return f"{self.prefix}{road}{number}号"

    def _spot(self, area: _Area, u: float, v: float, kind: str, address: str, weight: float,
              rooms: tuple[int, int, int] = (0, 0, 0)) -> _Spot:
        lon, lat = area.lonlat(u, v)
        return _Spot(address, kind, area, u, v, area.grid_box(u, v), lon, lat, weight, rooms)

    def frontage(self, area: _Area) -> tuple[float, float]:
        """A point a little inside one of the area's edges (shops face the street)."""
        rng = self.rng
        d, t = rng.uniform(0.03, 0.1), rng.uniform(0.06, 0.94)
        return ((d, t), (1 - d, t), (t, d), (t, 1 - d))[rng.randrange(4)]

    def _build_spots(self) -> None:
        rng, text = self.rng, self.text
        stems = rng.sample(text["compound_stems"], len(text["compound_stems"]))
        used = 0
        for area in self.areas:
            village = area.village
            pop_factor = area.population / 10_000
            for _ in range(rng.randint(2, 4) if village else rng.randint(4, 8)):
                # Stems run out in big layouts: later compounds are second or third phases.
                stem = stems[used % len(stems)]
                phase = ("", "二期", "三期", "四期")[used // len(stems)]
                used += 1
                if village:
                    name = stem + rng.choice(text["village_compound_suffixes"]) + phase
                    rooms = (rng.randint(20, 80), 0, 0)
                else:
                    name = stem + rng.choice(text["compound_suffixes"]) + phase
                    rooms = (rng.randint(6, 30), rng.randint(1, 4), rng.randint(5, 18))
                u, v = rng.uniform(0.12, 0.88), rng.uniform(0.12, 0.88)
                self.spots.append(self._spot(
                    area, u, v, "home", self.address(area, u, v) + name,
                    pop_factor * rng.lognormvariate(0, 0.6), rooms))
            for _ in range(len(area.grid_ids) * rng.randint(4, 7)):
                u, v = self.frontage(area)
                self.spots.append(self._spot(area, u, v, "street", self.address(area, u, v),
                                             rng.lognormvariate(0, 0.8)))
        ns, ew = text["roads_ns"], text["roads_ew"]
        for i in range(self.n_cols + 1):
            for j in range(self.n_rows + 1):
                # A crossing belongs to one of the areas at the vertex, a few metres inside it.
                col, row = min(i, self.n_cols - 1), min(j, self.n_rows - 1)
                area = self.areas[self._cell_index(col, row)]
                u = 0.97 if i == self.n_cols else 0.03
                v = 0.97 if j == self.n_rows else 0.03
                self.spots.append(self._spot(area, u, v, "crossing",
                                             f"{self.prefix}{ns[i]}与{ew[j]}交叉口", 1.0))
        # Just beyond the boundary: calls the station receives about neighbours' ground.
        xs = [p[0] for col in self.verts for p in col]
        ys = [p[1] for col in self.verts for p in col]
        for k in range(16):
            road = text["roads_outside"][k % len(text["roads_outside"])]
            out = geo.offset(0, 0, rng.uniform(60, 500), rng.uniform(60, 500))
            lon = rng.uniform(min(xs), max(xs))
            lat = rng.uniform(min(ys), max(ys))
            side = k % 4
            if side == 0:
                lon = min(xs) - out[0]
            elif side == 1:
                lon = max(xs) + out[0]
            elif side == 2:
                lat = min(ys) - out[1]
            else:
                lat = max(ys) + out[1]
            self.outside.append(_Spot(f"{self.prefix}{road}{rng.randint(1, 400)}号", "street",
                                      None, 0, 0, (0, 0, 0, 0), lon, lat, 1.0, (0, 0, 0)))

    def _cell_index(self, col: int, row: int) -> int:
        return (self.n_rows - 1 - row) * self.n_cols + col

    def locate(self, point: geo.Point) -> tuple[int | None, int | None]:
        """(community id, grid id) of a point, by point-in-polygon over the grids."""
        for community_id, grid_id, ring in self.grid_rings:
            if geo.point_in_ring(point, ring):
                return community_id, grid_id
        return None, None

    def _build_places(self) -> None:
        rng, text = self.rng, self.text
        st = text["station"]
        home = self.areas[0]
        u, v = self.frontage(home)
        self._add("station", {
            "id": self.station_id, "code": self.station_code, "name": self.station_name,
            "district": st["district"], "city": st["city"], "address": self.address(home, u, v),
            "phone": st["phone"], "center_lat": round(self.center[1], 6),
            "center_lon": round(self.center[0], 6),
        })
        stems = sorted({a.name[:2] for a in self.areas} | {r[:2] for r in text["roads_ns"]})
        self.posts: list[tuple[int, _Area]] = []
        post_areas = rng.sample(self.areas[1:], rng.randint(2, 4))
        for n, area in enumerate(post_areas, start=1):
            u, v = self.frontage(area)
            pid = self._next("police_post")
            suffix = rng.choice(text["post_suffixes"])
            name = (self.road(area, u, v)[0] if suffix == "警务站" else area.name) + suffix
            lon, lat = area.lonlat(u, v)
            self._add("police_post", {
                "id": pid, "station_id": self.station_id, "code": f"JWZ{n:02d}", "name": name,
                "address": self.address(area, u, v), "phone": f"0571-8765{n:02d}{n + 10:02d}",
                "lat": round(lat, 6), "lon": round(lon, 6),
            })
            self.posts.append((pid, area))
        used: set[str] = set()
        for ptype, (lo, hi) in PLACE_COUNTS.items():
            templates = text["place_templates"][ptype]
            options = [(t, s) for t in templates for s in stems]
            rng.shuffle(options)
            for _ in range(rng.randint(lo, hi)):
                name = next(n for n in map(_place_name, options) if n not in used)
                used.add(name)
                area = rng.choice(self.areas)
                u, v = self.frontage(area)
                lon, lat = area.lonlat(u, v)
                community_id, grid_id = self.locate((lon, lat))
                street = self.address(area, u, v)
                contact = text["place_contacts"][ptype]
                self._add("key_place", {
                    "id": self._next("key_place"), "name": name, "place_type": ptype,
                    "address": street,
                    "contact": f"{contact} {self.people.name(rng.random() < 0.5)} "
                               f"{self.people.phone()}",
                    "lat": round(lat, 6), "lon": round(lon, 6),
                    "community_id": community_id, "grid_id": grid_id,
                })
                self.spots.append(self._spot(area, u, v, "place", street + name,
                                             PLACE_WEIGHT.get(ptype, 1.0)))
                self.place_types.append(ptype)

    def _officer(self, kind: OfficerKind, team: Team, title: str,
                 post_id: int | None = None) -> tuple[int, str]:
        rng = self.rng
        oid = self._next("officer")
        female = rng.random() < (0.2 if kind == OfficerKind.POLICE else 0.35)
        name = self.people.name(female)
        while name in self._names:
            name = self.people.name(female)
        self._names.add(name)
        low, high = (10_000, 99_999) if kind == OfficerKind.POLICE else (900_000, 999_999)
        badge = f"{rng.randint(low, high):06d}"
        while badge in self._badges:
            badge = f"{rng.randint(low, high):06d}"
        self._badges.add(badge)
        self._add("officer", {
            "id": oid, "badge_no": badge, "name": name, "kind": kind.value, "team": team.value,
            "title": title, "phone": self.people.phone(), "post_id": post_id, "active": True,
        })
        return oid, name

    def _build_people(self) -> None:
        rng = self.rng
        police, aux = OfficerKind.POLICE, OfficerKind.AUXILIARY
        for title in ("所长", "教导员", "副所长", "副所长"):
            self._officer(police, Team.LEADERSHIP, title)
        self._officer(police, Team.COMMAND_ROOM, "指挥室主任")
        for _ in range(2):
            self.operators.append(self._officer(police, Team.COMMAND_ROOM, "值班民警")[1])
        for _ in range(3):
            self.operators.append(self._officer(aux, Team.COMMAND_ROOM, "接警员")[1])
        post_of = {area.id: pid for pid, area in self.posts}
        for area in self.areas:
            self.community_officer[area.id] = self._officer(
                police, Team.COMMUNITY, "社区民警", post_of.get(area.id))
            self._add("officer_community", {"officer_id": self.community_officer[area.id][0],
                                            "community_id": area.id, "is_primary": True})
        self.case_officers.append(self._officer(police, Team.CASE, "办案队队长"))
        for _ in range(4):
            self.case_officers.append(self._officer(police, Team.CASE, "办案民警"))
        self._officer(aux, Team.CASE, "办案辅警")
        n_units = rng.randint(4, 6)
        fixed = len(self.rows["officer"]) + 2 * n_units
        # Community auxiliaries fill the roster to about forty, one per community at most.
        n_aux = max(0, min(rng.randint(38, 42) - fixed, len(self.areas)))
        for area in self.areas[:n_aux]:
            oid, _ = self._officer(aux, Team.COMMUNITY, "社区辅警", post_of.get(area.id))
            self._add("officer_community", {"officer_id": oid, "community_id": area.id,
                                            "is_primary": False})
        numerals = "一二三四五六"
        for n in range(n_units):
            post_id = self.posts[n][0] if n < len(self.posts) else None
            leader_id, leader = self._officer(police, Team.PATROL, "巡逻组长", post_id)
            member_id, _ = self._officer(aux, Team.PATROL, "巡逻辅警", post_id)
            uid = self._next("patrol_unit")
            name = f"巡逻{numerals[n]}组"
            self._add("patrol_unit", {
                "id": uid, "code": f"XL{n + 1:02d}", "name": name, "call_sign": f"明湖{n + 11}",
                "post_id": post_id, "leader_id": leader_id,
                "status": UnitStatus.AVAILABLE.value,
            })
            self._add("patrol_unit_member", {"unit_id": uid, "officer_id": leader_id})
            self._add("patrol_unit_member", {"unit_id": uid, "officer_id": member_id})
            self.units.append(_Unit(uid, name, leader_id, leader))

    def insert(self, conn: Connection) -> None:
        """Insert the layout's rows, parents before children."""
        models = (Station, Community, Grid, PolicePost, KeyPlace, Officer, OfficerCommunity,
                  PatrolUnit, PatrolUnitMember)
        for model in models:
            table = _table(model)
            rows = self.rows.get(table.name, [])
            if rows:
                conn.execute(insert(table), rows)

    def set_unit_status(self, conn: Connection, busy: Sequence[int]) -> None:
        """Units on open incidents are busy; of the rest, the last one is off duty."""
        table = _table(PatrolUnit)
        free = [u.id for u in self.units if u.id not in busy]
        for uid in busy:
            conn.execute(update(table).where(table.c.id == uid)
                         .values(status=UnitStatus.BUSY.value))
        if len(free) >= 3:
            conn.execute(update(table).where(table.c.id == free[-1])
                         .values(status=UnitStatus.OFF_DUTY.value))


def _split(rng: random.Random, parts: int) -> list[float]:
    """Irregular cut points of [0, 1] into ``parts`` pieces."""
    return [0.0, *(k / parts + rng.uniform(-0.08, 0.08) / parts for k in range(1, parts)), 1.0]


def _place_name(option: tuple[str, str]) -> str:
    tpl, stem = option
    # The metro line number follows from the stem, so a name is a pure function of its option.
    return tpl.format(a=stem, n=(2, 3, 10, 19)[sum(map(ord, stem)) % 4])


# --- incidents -------------------------------------------------------------------------------

DAY_S = 86_400
#: Kinds of generated calls; at equal times they are taken in this order.
BACKGROUND, REPEAT, LIVE = 0, 1, 2
#: Timeline stages in order; an incident's status is its last stage reached.
STAGES = (IncidentStatus.NEW, IncidentStatus.DISPATCHED, IncidentStatus.ARRIVED,
          IncidentStatus.RESOLVED, IncidentStatus.CLOSED)
#: Event actions, as ``services.incidents`` logs them.
STAGE_ACTIONS = ("received", "dispatched", "arrived", "resolved", "closed")
# Response times: dispatch 20 s + log-normal (median ~50 s), travel log-normal (median ~2 min)
# and a 3% tail of slow arrivals; together ~95% of police incidents arrive within 5 minutes.
DISPATCH_MU, DISPATCH_SIGMA = math.log(30), 0.6
TRAVEL_MU, TRAVEL_SIGMA = math.log(115), 0.38
SLOW_ARRIVAL_SHARE = 0.03
FEEDBACK_MU, FEEDBACK_SIGMA = math.log(3600), 0.9
DEPARTMENT_MU, DEPARTMENT_SIGMA = math.log(10_000), 0.8


class _Cat:
    """A category with its generation plan, resolved once."""

    def __init__(self, cat: Category, plan: _Plan, text: dict[str, Any]) -> None:
        self.code = cat.code
        self.name = cat.name
        self.group = cat.group
        self.police = cat.is_police
        self.priority = int(cat.default_priority)
        self.plan = plan
        sources = SOURCES[plan.sources]
        self.sources = [s.value for s, _ in sources]
        self.source_cum = _cumulative([w for _, w in sources])
        hours = HOURS[plan.hours]
        self.hours = [h / sum(hours) for h in hours]
        self.hour_cum = _cumulative(self.hours)
        self.months = MONTHS[plan.months]
        entry = text["categories"][cat.code]
        self.templates: list[tuple[str, list[str]]] = [
            (tpl, [name for _, name, _, _ in Formatter().parse(tpl) if name])
            for tpl in entry["templates"]
        ]
        self.slots: dict[str, list[str]] = entry["slots"]
        outcomes = OUTCOMES[cat.group]
        self.outcomes = [o for o, _ in outcomes]
        self.outcome_cum = _cumulative([w for _, w in outcomes])
        self.departments: list[str] = text["departments"].get(cat.code, [])
        self.handle_mu = math.log(HANDLE_MIN[cat.group] * 60)

    def describe(self, rng: random.Random) -> str:
        tpl, names = rng.choice(self.templates)
        return tpl.format(**{name: rng.choice(self.slots[name]) for name in names})


class _Caller(NamedTuple):
    name: str
    phone: str
    id_no: str


class _RepeatCall(NamedTuple):
    """One call of a repeat caller: the same person, number and address every time."""

    cat: _Cat
    caller: _Caller
    place: tuple[str, float, float, int, int]  # address, lon, lat, community id, grid id
    nth: int  # 0 for the first call


class _Incidents:
    """Streams incident and event rows in chronological order, a chunk at a time."""

    def __init__(self, rng: random.Random, text: dict[str, Any], layout: _Layout,
                 categories: Sequence[Category], count: int, days: int, end: datetime) -> None:
        self.rng = rng
        self.layout = layout
        self.cats = [_Cat(c, PLAN[c.code], text) for c in categories if c.code in PLAN]
        self.by_code = {c.code: c for c in self.cats}
        self.feedback: dict[str, list[str]] = text["feedback"]
        self.people = _People(rng, text)
        self.year = end.year
        start = end - timedelta(days=days)
        epoch = datetime.combine(start.date(), datetime.min.time())
        self.start_s = int((start - epoch).total_seconds())
        self.end_s = self.start_s + days * DAY_S
        dates = [epoch.date() + timedelta(days=d) for d in range(self.end_s // DAY_S + 1)]
        self.day_text = [f"{d:%Y-%m-%d} " for d in dates]
        self.day_compact = [f"{d:%Y%m%d}" for d in dates]
        self.day_month = [d.month - 1 for d in dates]
        self.clock = [f"{h:02d}:{m:02d}:{s:02d}.000000"
                      for h in range(24) for m in range(60) for s in range(60)]
        self._build_samplers()
        # Category odds for each (month, hour): base share x seasonality x hour-of-day shape.
        self.cat_cum = [
            _cumulative([c.plan.share * c.months[m] * c.hours[h] for c in self.cats])
            for m in range(12) for h in range(24)
        ]
        self.live = self._live(min(count, len(LIVE_STATUSES)))
        self.repeat = self._repeat_calls(int((count - len(self.live)) * REPEAT_CALL_SHARE))
        self.background = count - len(self.live) - len(self.repeat)
        self.slots, self.counts = self._slots(dates)
        self.busy_units: list[int] = []
        self.incident_id = 0
        self.event_id = 0
        self.day = -1
        self.day_seq = 0

    # -- set-up ---------------------------------------------------------------------------

    def _build_samplers(self) -> None:
        rng, layout = self.rng, self.layout
        spots = layout.spots
        places = [s for s in spots if s.kind == "place"]
        typed = list(zip(places, layout.place_types, strict=True))
        homes = [s for s in spots if s.kind == "home"]
        streets = [s for s in spots if s.kind in ("street", "crossing")]
        hot_areas = {a.id for a in rng.sample(layout.areas, 2)}
        fraud = [s._replace(weight=s.weight * FRAUD_HOT_FACTOR)
                 if s.area is not None and s.area.id in hot_areas else s for s in homes]
        commerce = [p for p, t in typed if t in COMMERCE_TYPES] + streets
        self.samplers: dict[str, tuple[list[_Spot], list[float]]] = {
            mode: (group, _cumulative([s.weight for s in group]))
            for mode, group in (
                ("home", homes), ("street", streets),
                ("crossing", [s for s in spots if s.kind == "crossing"]),
                ("commerce", commerce), ("fraud", fraud), ("any", spots),
                ("ebike", homes + streets),
            )
        }
        # E-bike thefts gather at a market, the biggest compound and a metro exit.
        market = next(p for p, t in typed if t == "market")
        metro = next(p for p, t in typed if t == "transport")
        compound = max(homes, key=lambda s: s.weight)
        self.ebike_hot = ([market, compound, metro], _cumulative([0.45, 0.35, 0.2]))

    def _live(self, n: int) -> list[tuple[int, int, Any]]:
        rng = self.rng
        out: list[tuple[int, int, Any]] = []
        for status in LIVE_STATUSES[:n]:
            lo, hi = LIVE_AGE_MIN[status]
            out.append((self.end_s - rng.randint(lo * 60, hi * 60), LIVE, status))
        return sorted(out, key=lambda t: t[0])

    def _repeat_calls(self, budget: int) -> list[tuple[int, int, Any]]:
        """Calls of people who call again and again, within ``budget`` calls in all."""
        rng, people = self.rng, self.people
        themes = [(self.by_code[code], monthly) for code, _, monthly in REPEAT_THEMES]
        theme_cum = _cumulative([w for _, w, _ in REPEAT_THEMES])
        days = (self.end_s - self.start_s) / DAY_S
        calls: list[tuple[int, int, Any]] = []
        while True:
            cat, monthly = _pick(rng, themes, theme_cum)
            k = rng.randint(3, 6) if monthly else rng.randint(3, 8)
            if len(calls) + k > budget:
                break
            female = rng.random() < (0.75 if cat.code == "0501" else 0.5)
            caller = _Caller(people.name(female), people.phone(), people.id_no(female, self.year))
            address, lon, lat, community_id, grid_id, _ = self._where(
                _pick(rng, *self.samplers["home"]), flat_share=1.0)
            assert community_id is not None and grid_id is not None
            place = (address, lon, lat, community_id, grid_id)
            if monthly and (k - 1) * 30 < days - 5:
                # The woman of the domain notes: a family row in January, February, March...
                first = rng.uniform(0, days - (k - 1) * 30 - 1)
                offsets = [first + 30 * i + rng.uniform(-4, 4) for i in range(k)]
            else:
                span = rng.uniform(min(7.0, days), min(90.0, days))
                first = rng.uniform(0, days - span)
                offsets = sorted(first + rng.uniform(0, span) for _ in range(k))
            stamps = []
            for off in offsets:
                day = (self.start_s + int(off * DAY_S)) // DAY_S
                ts = day * DAY_S + _pick(rng, range(24), cat.hour_cum) * 3600 + rng.randrange(3600)
                stamps.append(min(max(ts, self.start_s), self.end_s - 3600))
            # Sorted before numbering: the third call in time is the one flagged as repeat.
            for index, ts in enumerate(sorted(stamps)):
                call_cat = cat if rng.random() < 0.85 else self.by_code[rng.choice(REPEAT_OTHER)]
                calls.append((ts, REPEAT, _RepeatCall(call_cat, caller, place, index)))
        return sorted(calls, key=lambda t: t[0])

    def _slots(self, dates: Sequence[date]) -> tuple[list[tuple[int, int]], list[int]]:
        """Hour slots of the window and how many background incidents fall in each."""
        rng = self.rng
        day_factor = []
        for d in dates:
            # Interpolate the monthly shape between mid-months, so there is no step on the 1st.
            x = d.month - 1 + (d.day - 15) / 30.5
            i = math.floor(x)
            f = x - i
            season = SEASON_ALL[i % 12] * (1 - f) + SEASON_ALL[(i + 1) % 12] * f
            day_factor.append(season * WEEKDAY[d.weekday()] * max(0.5, rng.gauss(1.0, 0.07)))
        bounds: list[tuple[int, int]] = []
        cum: list[float] = []
        total = 0.0
        for s in range(self.start_s // 3600, -(-self.end_s // 3600)):
            lo, hi = max(self.start_s, s * 3600), min(self.end_s, s * 3600 + 3600)
            day, hour = divmod(s, 24)
            total += (hi - lo) / 3600 * day_factor[day] * self.cat_cum[
                self.day_month[day] * 24 + hour][-1]
            bounds.append((lo, hi))
            cum.append(total)
        # Systematic allocation: exact total, no rounding drift across ~9,000 slots.
        marks = [int(self.background * c / total) for c in cum[:-1]] + [self.background]
        counts = [b - a for a, b in zip([0, *marks[:-1]], marks, strict=True)]
        return bounds, counts

    # -- generation -----------------------------------------------------------------------

    def chunks(self) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
        """Incident and event rows, about ``CHUNK`` incidents at a time, oldest first."""
        rng = self.rng
        extra = sorted(self.repeat + self.live, key=lambda t: (t[0], t[1]))
        k = 0
        rows: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        for (lo, hi), n in zip(self.slots, self.counts, strict=True):
            items: list[tuple[int, int, Any]] = [
                (lo + rng.randrange(hi - lo), BACKGROUND, None) for _ in range(n)]
            while k < len(extra) and extra[k][0] < hi:
                items.append(extra[k])
                k += 1
            items.sort(key=lambda t: (t[0], t[1]))
            for ts, kind, payload in items:
                self._incident(ts, kind, payload, rows, events)
            if len(rows) >= CHUNK:
                yield rows, events
                rows, events = [], []
        if rows:
            yield rows, events

    def _fmt(self, t: int) -> str:
        return self.day_text[t // DAY_S] + self.clock[t % DAY_S]

    def _operator(self, t: int) -> str:
        # Twelve-hour shifts changing at 08:00 and 20:00.
        ops = self.layout.operators
        return ops[((t + 4 * 3600) // 43_200) % len(ops)]

    def _where(self, spot: _Spot, flat_share: float = 0.55
               ) -> tuple[str, float, float, int | None, int | None, bool]:
        """A point near ``spot`` (same grid) and its address, maybe down to the flat."""
        rng = self.rng
        area = spot.area
        if area is None:
            return (spot.address, round(spot.lon + (rng.random() - 0.5) * 4e-4, 6),
                    round(spot.lat + (rng.random() - 0.5) * 4e-4, 6), None, None, False)
        ulo, uhi, vlo, vhi = spot.box
        scatter = SCATTER[spot.kind]
        u = min(max(spot.u + (rng.random() - 0.5) * scatter, ulo), uhi)
        v = min(max(spot.v + (rng.random() - 0.5) * scatter, vlo), vhi)
        lon, lat = area.lonlat(u, v)
        address = spot.address
        buildings, units, floors = spot.rooms
        if buildings and rng.random() < flat_share:
            if units:
                address += (f"{rng.randint(1, buildings)}幢{rng.randint(1, units)}单元"
                            f"{rng.randint(1, floors)}{rng.randint(1, 4):02d}室")
            else:
                address += f"{rng.randint(1, buildings)}号"
        return address, round(lon, 6), round(lat, 6), area.id, area.grid_id(u, v), True

    def _caller(self, source: str) -> _Caller:
        rng, people = self.rng, self.people
        if source == IncidentSource.PATROL:
            return _Caller("", "", "")
        known = source in (IncidentSource.WALK_IN, IncidentSource.WARNING)
        if not known and rng.random() < ANONYMOUS_SHARE:
            # The 110 system always shows the number, even when the caller gives no name.
            return _Caller("", people.phone(), "")
        female = rng.random() < 0.5
        id_no = people.id_no(female, self.year) if known or rng.random() < ID_NO_SHARE else ""
        return _Caller(people.name(female), people.phone(), id_no)

    def _incident(self, ts: int, kind: int, payload: Any, rows: list[tuple[Any, ...]],
                  events: list[tuple[Any, ...]]) -> None:
        rng, layout = self.rng, self.layout
        forced: IncidentStatus | None = payload if kind == LIVE else None
        repeat: _RepeatCall | None = payload if kind == REPEAT else None
        if repeat is not None:
            cat = repeat.cat
            source = (IncidentSource.CALL_110 if rng.random() < 0.9
                      else IncidentSource.PHONE).value
            caller = repeat.caller
            address, lon, lat, community_id, grid_id = repeat.place
            grid: int | None = grid_id
            community: int | None = community_id
            in_jurisdiction = True
        else:
            cat = _pick(rng, self.cats, self.cat_cum[self.day_month[ts // DAY_S] * 24
                                                     + (ts % DAY_S) // 3600])
            source = _pick(rng, cat.sources, cat.source_cum)
            caller = self._caller(source)
            if forced is None and rng.random() < OUT_OF_JURISDICTION_SHARE:
                spot = rng.choice(layout.outside)
            elif cat.plan.where == "ebike" and rng.random() < EBIKE_HOTSPOT_SHARE:
                spot = _pick(rng, *self.ebike_hot)
            else:
                spot = _pick(rng, *self.samplers[cat.plan.where])
            address, lon, lat, community, grid, in_jurisdiction = self._where(spot)
        day = ts // DAY_S
        if day != self.day:
            self.day, self.day_seq = day, 0
        self.day_seq += 1
        self.incident_id += 1
        iid = self.incident_id
        priority = cat.priority
        if rng.random() < 0.1:
            priority = min(3, max(1, priority + rng.choice((-1, 1))))
        description = cat.describe(rng)
        if repeat is not None and repeat.nth:
            description = "再次报警：" + description

        # -- timeline: received, dispatched, arrived, resolved, closed (seconds) ----------
        diverted = (not cat.police and rng.random() < DIVERTED_SHARE
                    and forced not in (IncidentStatus.DISPATCHED, IncidentStatus.ARRIVED))
        cap = ts + MAX_OPEN_S
        times: list[int | None]
        if diverted:
            t_res = ts + 60 + int(rng.expovariate(1 / 240))
            t_close = max(min(t_res + 1800 + int(rng.lognormvariate(DEPARTMENT_MU,
                                                                    DEPARTMENT_SIGMA)), cap),
                          t_res + 60)
            times = [ts, None, None, t_res, t_close]
        else:
            if source == IncidentSource.WALK_IN:
                # The caller is at the front desk: an officer is assigned and is already there.
                dispatch, travel = rng.randint(30, 240), 0
            elif source == IncidentSource.PATROL:
                # The patrol found it: on scene as soon as the command room logs it.
                dispatch, travel = rng.randint(10, 60), 0
            else:
                dispatch = 20 + int(rng.lognormvariate(DISPATCH_MU, DISPATCH_SIGMA))
                travel = int(rng.lognormvariate(TRAVEL_MU, TRAVEL_SIGMA))
                if rng.random() < SLOW_ARRIVAL_SHARE:
                    travel += rng.randint(150, 1500)
                if priority == 1:
                    dispatch, travel = int(dispatch * 0.8), int(travel * 0.85)
                if not cat.police:
                    # Non-police calls have a 30-minute arrival limit and wait their turn.
                    dispatch, travel = dispatch * 2, travel * 3
            t_disp = ts + dispatch
            t_arr = t_disp + travel
            t_res = t_arr + 300 + int(rng.lognormvariate(cat.handle_mu, 0.5))
            t_close = max(min(t_res + 600 + int(rng.lognormvariate(FEEDBACK_MU, FEEDBACK_SIGMA)),
                              cap), t_res + 60)
            times = [ts, t_disp, t_arr, t_res, t_close]
        if forced is not None:
            keep = STAGES.index(forced)
            times[keep + 1:] = [None] * (len(times) - keep - 1)
            last = max(t for t in times if t is not None)
            if last > self.end_s - 30:
                # Squeeze the kept steps into the time since receipt.
                f = (self.end_s - 30 - ts) / (last - ts)
                times = [t if t is None else ts + int((t - ts) * f) for t in times]
        else:
            # Steps are in time order, so cutting at ``end`` leaves a prefix of the timeline.
            times = [t if t is not None and t <= self.end_s else None for t in times]
        stage = max(i for i, t in enumerate(times) if t is not None)
        status = STAGES[stage]

        # -- who handled it ----------------------------------------------------------------
        unit: _Unit | None = None
        officer: tuple[int, str] | None = None
        if times[1] is not None:
            if source == IncidentSource.WALK_IN:
                officer = rng.choice(layout.case_officers)
            elif cat.code == "0202" and community is not None:
                officer = layout.community_officer[community]
            else:
                # Keep two units out of the current incidents, so the unit board shows some free.
                free = status in (IncidentStatus.DISPATCHED, IncidentStatus.ARRIVED)
                units = layout.units[:max(1, len(layout.units) - 2)] if free else layout.units
                unit = rng.choice(units)
                officer = (unit.leader_id, unit.leader_name)
                if cat.group == "dispute" and community is not None and rng.random() < 0.5:
                    officer = layout.community_officer[community]
            on_scene = status in (IncidentStatus.DISPATCHED, IncidentStatus.ARRIVED)
            if unit is not None and on_scene and unit.id not in self.busy_units:
                self.busy_units.append(unit.id)
        department = rng.choice(cat.departments) if diverted else ""
        outcome = feedback = ""
        if times[3] is not None:
            outcome = "diverted" if diverted else _pick(rng, cat.outcomes, cat.outcome_cum)
        if times[4] is not None:
            feedback = rng.choice(self.feedback[outcome]).format(dept=department)

        # -- rows ----------------------------------------------------------------------------
        fmt = self._fmt
        stamps = [None if t is None else fmt(t) for t in times]
        rows.append((
            iid, f"{self.layout.number_prefix}{self.day_compact[day]}{self.day_seq:06d}", source, cat.code,
            priority, status.value, *stamps, caller.name, caller.phone, caller.id_no, address,
            lat, lon, community, grid, description, unit.id if unit else None,
            officer[0] if officer else None, outcome, feedback, None,
            repeat is not None and repeat.nth >= 2, diverted, in_jurisdiction,
            stamps[stage],
        ))
        handler = officer[1] if officer else ""
        # Details as the incident service writes them: source, assignees, outcome, feedback.
        details = (
            source,
            " / ".join(x for x in (unit.name if unit else "", handler) if x),
            "",
            f"{outcome}: 分流至{department}" if diverted else outcome,
            feedback,
        )
        for i, t in enumerate(times):
            if t is None:
                continue
            self.event_id += 1
            # The command room receives, dispatches and closes; the handler acts on scene.
            actor = self._operator(t) if i in (0, 1, 4) or diverted else handler
            events.append((self.event_id, iid, stamps[i], actor, STAGE_ACTIONS[i], details[i]))

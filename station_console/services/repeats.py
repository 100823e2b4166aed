"""Repeat-call detection over the store: intake checks, scans after imports, follow-up tasks.

The rules live in ``domain.repeats``; this module loads the calls they need with SQL (by phone,
ID number, address key, community and time, all indexed), records the patterns found in
``repeat_pattern`` and issues one follow-up task per pattern from the repeat-call revisit
template. A pattern's task is recorded with it, so no later call or scan issues another.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from station_console.domain import geo
from station_console.domain.address import normalise_address
from station_console.domain.repeats import (
    DEFAULT_RULES,
    Call,
    Detection,
    RepeatGroup,
    RepeatKind,
    RepeatRules,
    detect,
    event_groups,
    parse_point_key,
    person_groups,
    place_groups,
    repeat_incident_ids,
)
from station_console.domain.security import Masker, PersonalField, masker_for
from station_console.domain.tasks import TaskSource
from station_console.services import audit
from station_console.services.tasks import REPEAT_TEMPLATE, IssueRequest, install_templates, issue_task
from station_console.store.auditing import rows_unrecorded
from station_console.store.database import Database
from station_console.store.dialect import bulk_insert, driver_sql, take_turns
from station_console.store.models import (
    AppMeta,
    Community,
    Incident,
    IncidentAddressKey,
    IncidentCategory,
    Officer,
    OfficerCommunity,
    RepeatPattern,
    RepeatPatternIncident,
    Station,
    Task,
    TaskIncident,
)


def _t(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


INCIDENT = _t(Incident)
CATEGORY = _t(IncidentCategory)
ADDRESS_KEY = _t(IncidentAddressKey)
PATTERN = _t(RepeatPattern)
PATTERN_INCIDENT = _t(RepeatPatternIncident)
META = _t(AppMeta)
STATION = _t(Station)
TASK = _t(Task)
TASK_INCIDENT = _t(TaskIncident)
OFFICER = _t(Officer)
OFFICER_COMMUNITY = _t(OfficerCommunity)
COMMUNITY = _t(Community)

RULES_KEY = "repeat_rules"
#: Every incident with an id up to this value has its address key.
INDEXED_UPTO_KEY = "repeat_indexed_upto"
#: Patterns whose newest call is older than this moment never get a task (history at install).
FOLLOWUP_FROM_KEY = "repeat_followup_from"
#: On the first scan, crossings of the last day still get their follow-up.
FIRST_SCAN_GRACE = timedelta(days=1)
INDEX_CHUNK = 5000
#: An import's calls are checked this many at a time, in time order (bounds the memory).
CHECK_CHUNK = 20_000
ProgressFn = Callable[[int, int], bool]


@dataclass(frozen=True)
class GroupRow:
    """A repeat group as the CLI, the loops screen and the detail pane show it."""

    kind: str
    key: str
    label: str
    community: str
    first_at: datetime
    last_at: datetime
    incident_ids: tuple[int, ...]
    incident_nos: tuple[str, ...]
    task_no: str = ""

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values (``repeats --json``)."""
        return {
            "kind": self.kind, "key": self.key, "label": self.label, "community": self.community,
            "first_at": self.first_at.isoformat(sep=" "), "last_at": self.last_at.isoformat(sep=" "),
            "calls": len(self.incident_nos), "incident_nos": list(self.incident_nos),
            "task_no": self.task_no,
        }


@dataclass(frozen=True)
class IntakeCall:
    """What the intake form says about a call that is not saved yet."""

    received_at: datetime
    category_code: str = ""
    phone: str = ""
    id_no: str = ""
    address: str = ""
    community_id: int | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class EarlierCall:
    """An earlier call the intake dialog lists."""

    id: int
    incident_no: str
    received_at: datetime
    category_name: str
    status: str
    address: str


@dataclass(frozen=True)
class IntakeHistory:
    """The earlier calls a new call repeats (newest first) and the patterns it would cross."""

    same_phone: list[EarlierCall]
    same_id_no: list[EarlierCall]
    same_address: list[EarlierCall]
    same_event: list[EarlierCall]
    #: Kinds ("person", "place") whose threshold this call reaches: it will be a repeat call.
    repeat_kinds: tuple[str, ...]
    window_days: int
    threshold: int

    @property
    def empty(self) -> bool:
        return not (self.same_phone or self.same_id_no or self.same_address or self.same_event)


@dataclass(frozen=True)
class ScanResult:
    """What one scan found and did."""

    indexed: int
    groups: int
    flagged: int
    tasks_issued: tuple[str, ...]
    #: Calls checked (an import's check: those inside the window; a scan: every call it read).
    checked: int = 0

    def plus(self, other: ScanResult) -> ScanResult:
        """Both results together (one check or scan done in parts)."""
        return ScanResult(self.indexed + other.indexed, self.groups + other.groups,
                          self.flagged + other.flagged, self.tasks_issued + other.tasks_issued,
                          self.checked + other.checked)


class RepeatService:
    """Repeat-call use cases over one database."""

    def __init__(self, db: Database, *, now: Callable[[], datetime] = datetime.now,
                 actor: str = "") -> None:
        self.db = db
        self.now = now
        self.actor = actor

    # rules ------------------------------------------------------------------------------

    def rules(self) -> RepeatRules:
        """The station's thresholds (the defaults until someone changes them)."""
        with self.db.read() as conn:
            return _rules(conn)

    def set_rules(self, rules: RepeatRules) -> None:
        """Save the station's thresholds."""
        with self.db.write() as conn:
            conn.execute(delete(META).where(META.c.key == RULES_KEY))
            conn.execute(insert(META).values(key=RULES_KEY, value=json.dumps(asdict(rules))))

    # detection --------------------------------------------------------------------------

    def detect(self, start: datetime, end: datetime, rules: RepeatRules | None = None) -> Detection:
        """Every group among the calls received in ``[start, end]`` (addresses indexed first)."""
        rules = rules or self.rules()
        self.index_addresses()
        with self.db.read() as conn:
            calls = _calls(conn, and_(INCIDENT.c.received_at >= start, INCIDENT.c.received_at <= end))
            return detect(calls, rules, _anchors(conn))

    def current_groups(self, kinds: Iterable[RepeatKind] = tuple(RepeatKind),
                       now: datetime | None = None) -> list[GroupRow]:
        """The groups of the last ``window_days`` (events: of the last day), newest first."""
        rules = self.rules()
        now = now or self.now()
        found = self.detect(now - timedelta(days=rules.window_days), now, rules)
        wanted = set(kinds)
        day_ago = now - timedelta(days=1)
        groups = [g for g in found.all() if g.kind in wanted
                  and (g.kind != RepeatKind.EVENT or g.last_at >= day_ago)]
        with self.db.read() as conn:
            return _group_rows(conn, groups, masker_for(self.db.identity))

    def groups_for_incident(self, incident_id: int) -> list[GroupRow]:
        """The recorded patterns an incident belongs to, plus its same-event calls."""
        rules = self.rules()
        self.index_addresses()
        with self.db.read() as conn:
            call = _one_call(conn, incident_id)
            if call is None:
                return []
            found = detect(_neighbourhood(conn, call, rules), rules, _anchors(conn))
            groups = [g for g in found.all() if incident_id in g.incident_ids]
            return _group_rows(conn, groups, masker_for(self.db.identity))

    # scanning ---------------------------------------------------------------------------

    def index_addresses(self, progress: ProgressFn | None = None) -> int:
        """Store the normalised address of every incident that has none yet.

        Incidents up to the ``repeat_indexed_upto`` mark are known to have a key (imports and
        intake index their own rows), so a check only looks at the rows above it.
        """
        with self.db.read() as conn:
            prefixes = _station_prefixes(conn)
            upto = _indexed_upto(conn)
            missing = conn.execute(
                select(func.count()).select_from(INCIDENT.outerjoin(
                    ADDRESS_KEY, ADDRESS_KEY.c.incident_id == INCIDENT.c.id))
                .where(INCIDENT.c.id > upto, ADDRESS_KEY.c.incident_id.is_(None))).scalar_one()
        done = 0
        memo: dict[str, tuple[str, int]] = {}
        while True:
            # A derived index of the incidents, not a change of business data: not audited.
            with self.db.write() as conn, rows_unrecorded(conn):
                # Another workstation's check may be keying the same rows: one at a time.
                take_turns(conn, ADDRESS_KEY.name)
                upto = _indexed_upto(conn)
                rows = conn.execute(
                    select(INCIDENT.c.id, INCIDENT.c.address)
                    .select_from(INCIDENT.outerjoin(ADDRESS_KEY, ADDRESS_KEY.c.incident_id == INCIDENT.c.id))
                    .where(INCIDENT.c.id > upto, ADDRESS_KEY.c.incident_id.is_(None))
                    .limit(INDEX_CHUNK)).all()
                if rows:
                    _insert_keys(conn, rows, prefixes, memo)
                if len(rows) < INDEX_CHUNK:
                    _set_indexed_upto(conn)
                    done += len(rows)
                    break
            done += len(rows)
            if progress is not None and not progress(done, max(missing, done)):
                break
        return done

    def check_incident(self, incident_id: int, *, index_history: bool = True) -> ScanResult:
        """At intake: the new call against its history; records patterns, may issue a task.

        ``index_history`` first stores the address keys older calls still lack (the intake dialog
        skips it: the scan and imports keep them, and a fresh big database would take long).
        """
        indexed = self.index_addresses() if index_history else 0
        with self.db.write() as conn:
            result = self.check_calls(conn, [incident_id])
        return ScanResult(indexed + result.indexed, result.groups, result.flagged, result.tasks_issued)

    def check_calls(self, conn: Connection, incident_ids: Iterable[int], *,
                    recent_only: bool = False) -> ScanResult:
        """Check these incidents (an import's rows) against their history, inside ``conn``.

        Their addresses are (re)indexed, then the calls (with ``recent_only``, those received
        within the window before now: older ones are history, left to ``scan(since=...)``) are
        checked in time order, ``CHECK_CHUNK`` at a time, each chunk
        reading only the history that can form a group with it: phones, ID numbers and address
        keys seen at least ``threshold`` times (indexed ``GROUP BY``), and calls near their points
        (read as bare points, matched in memory). Groups holding a checked call are recorded,
        flagged and followed up as a scan would.
        """
        rules = _rules(conn)
        prefixes = _station_prefixes(conn)
        ids = sorted(set(incident_ids))
        if not ids:
            return ScanResult(0, 0, 0, ())
        since = self.now() - timedelta(days=rules.window_days) if recent_only else None
        memo: dict[str, tuple[str, int]] = {}
        take_turns(conn, ADDRESS_KEY.name)
        # Older calls still without a key (a database from before the detector) are keyed first,
        # once: afterwards the mark makes this a look at the newest rows only.
        indexed = _index_older(conn, prefixes, memo, below=ids[0])
        due: list[tuple[datetime, int]] = []
        for chunk in _chunks(ids, INDEX_CHUNK):
            conn.execute(delete(ADDRESS_KEY).where(_among(ADDRESS_KEY.c.incident_id, chunk)))
            rows = conn.execute(select(INCIDENT.c.id, INCIDENT.c.address, INCIDENT.c.received_at)
                                .where(_among(INCIDENT.c.id, chunk))).all()
            _insert_keys(conn, rows, prefixes, memo)
            due += [(r.received_at, r.id) for r in rows if since is None or r.received_at >= since]
        # Every key is stored before the first check: a chunk's groups count the later chunks' calls.
        due.sort()
        result = ScanResult(indexed + len(ids), 0, 0, (), checked=len(due))
        for part in _chunks([i for _, i in due], CHECK_CHUNK):
            result = result.plus(self._check(conn, part, rules))
        return result

    def _check(self, conn: Connection, ids: list[int], rules: RepeatRules) -> ScanResult:
        """Detect and record the groups that hold one of these (keyed) calls."""
        checked = [c for chunk in _chunks(sorted(ids), INDEX_CHUNK)
                   for c in _calls(conn, _among(INCIDENT.c.id, chunk))]
        if not checked:
            return ScanResult(0, 0, 0, ())
        calls, near_in_time = _batch_neighbourhood(conn, checked, rules)
        everything = list(calls.values())
        # Events span minutes: only the calls near a checked one in time can join its event.
        found = Detection(person_groups(everything, rules), place_groups(everything, rules, _anchors(conn)),
                          event_groups([c for c in everything if c.id in near_in_time], rules))
        mine_ids = {c.id for c in checked}
        mine = Detection(*([g for g in groups if mine_ids.intersection(g.incident_ids)]
                           for groups in (found.person, found.place, found.event)))
        # Only the checked calls get their flag: older calls got theirs when they came in.
        return self._record(conn, mine, 0, only_ids=mine_ids)

    def intake_history(self, call: IntakeCall) -> IntakeHistory:
        """Before saving an intake: the earlier calls it repeats, and whether it crosses a threshold."""
        rules = self.rules()
        with self.db.read() as conn:
            key = normalise_address(call.address, _station_prefixes(conn))
            group_code = conn.execute(select(CATEGORY.c.group_code)
                                      .where(CATEGORY.c.code == call.category_code)).scalar() or ""
            probe = Call(0, "", call.received_at, group_code, call.community_id, call.phone, call.id_no,
                         key.key[:200], key.precise, call.lat, call.lon)
            near = _neighbourhood(conn, probe, rules) if (call.phone or call.id_no or key.key
                                                            or probe.point) else [probe]
            found = detect(near, rules, _anchors(conn))
            window = timedelta(days=rules.window_days)
            recent = [c for c in near if c.id and abs(c.received_at - call.received_at) <= window]
            event_ids = {c.id for g in found.event if 0 in g.incident_ids for c in g.calls if c.id}
            lists = {
                "phone": [c.id for c in recent if call.phone and c.phone == call.phone],
                "id_no": [c.id for c in recent if call.id_no and c.id_no == call.id_no],
                "address": [c.id for c in recent if key.precise and c.address_key == key.key],
                "event": sorted(event_ids),
            }
            shown = _earlier_calls(conn, {i for ids in lists.values() for i in ids})
        crossing = [g.kind.value for g in (*found.person, *found.place) if _flags(g, 0)]
        def newest_first(ids: list[int]) -> list[EarlierCall]:
            wanted = set(ids)
            return [e for e in shown.values() if e.id in wanted]

        return IntakeHistory(
            same_phone=newest_first(lists["phone"]), same_id_no=newest_first(lists["id_no"]),
            same_address=newest_first(lists["address"]), same_event=newest_first(lists["event"]),
            repeat_kinds=tuple(dict.fromkeys(crossing)), window_days=rules.window_days,
            threshold=rules.threshold)

    def scan(self, progress: ProgressFn | None = None, *, since: datetime | None = None) -> ScanResult:
        """After an import (or on a timer): detect over the window, record, follow up once.

        ``since`` also scans the history from that moment (calls an import left unchecked because
        they were older than the window): in steps of one window, each step detecting over two
        windows so that every window-long stretch lies wholly in one step, and each step one
        transaction. ``progress(done, total)`` counts the addresses indexed, then the steps;
        returning False stops after the step in hand (the steps done are kept).
        """
        rules = self.rules()
        result = ScanResult(self.index_addresses(progress), 0, 0, ())
        now = self.now()
        window = timedelta(days=rules.window_days)
        start = now - window if since is None else min(since, now - window)
        steps = max(1, math.ceil((now - start - window) / window))
        for step in range(steps):
            end = min(start + 2 * window, now)
            result = result.plus(self._scan_between(start, end, rules))
            if end >= now or (progress is not None and not progress(step + 1, steps)):
                break
            start += window
        return result

    def _scan_between(self, start: datetime, end: datetime, rules: RepeatRules) -> ScanResult:
        # One audit record for what a step changed, not one per flagged call (none when idle).
        with self.db.write() as conn:
            with rows_unrecorded(conn):
                calls = _calls(conn, and_(INCIDENT.c.received_at >= start, INCIDENT.c.received_at <= end))
                found = detect(calls, rules, _anchors(conn))
                result = self._record(conn, found, 0, only_ids=None)
            if result.flagged or result.tasks_issued:
                audit.record(conn, self.db, audit.Action.BULK, object_type="repeat_scan",
                             detail={"groups": result.groups, "flagged": result.flagged,
                                     "tasks": list(result.tasks_issued), "from": start.isoformat(sep=" "),
                                     "to": end.isoformat(sep=" ")})
        return ScanResult(0, result.groups, result.flagged, result.tasks_issued, checked=len(calls))

    def _record(self, conn: Connection, found: Detection, indexed: int,
                only_ids: set[int] | None) -> ScanResult:
        now = self.now().replace(microsecond=0)
        followup_from = _followup_from(conn, now)
        issued: list[str] = []
        install_templates(conn)
        for group in (*found.person, *found.place):
            pattern_id, task_id = _upsert_pattern(conn, group, now)
            if task_id is None and group.last_at >= followup_from:
                task_id = _existing_task(conn, group) or self._issue(conn, group, now, issued)
                if task_id is not None:
                    conn.execute(update(PATTERN).where(PATTERN.c.id == pattern_id).values(task_id=task_id))
        flagged = repeat_incident_ids(found)
        if only_ids is not None:
            flagged &= only_ids
        if flagged:
            ids = sorted(flagged)
            for i in range(0, len(ids), 500):
                conn.execute(update(INCIDENT).where(INCIDENT.c.id.in_(ids[i:i + 500]),
                                                    INCIDENT.c.is_repeat.is_(False))
                             .values(is_repeat=True, updated_at=now))
        return ScanResult(indexed, len(found.person) + len(found.place), len(flagged), tuple(issued))

    def _issue(self, conn: Connection, group: RepeatGroup, now: datetime, issued: list[str]) -> int | None:
        community = group.community_id
        officer = _community_officer(conn, community)
        if officer is None:
            return None
        names = {RepeatKind.PERSON: "一人多警", RepeatKind.PLACE: "一地多警"}
        title = f"重复报警回访（{names[group.kind]}）：{group.label}"
        detail = "；".join(f"{c.incident_no} {c.received_at:%Y-%m-%d %H:%M}" for c in group.calls)
        task_id = issue_task(conn, IssueRequest(
            template_code=REPEAT_TEMPLATE, assignee_id=officer, title=title,
            detail=f"{len(group.calls)}次报警：{detail}", incident_ids=group.incident_ids,
            community_id=community, source=TaskSource.INCIDENT), now, self.actor or "repeat-detector")
        issued.append(str(conn.execute(select(TASK.c.task_no).where(TASK.c.id == task_id)).scalar_one()))
        return task_id

    def pattern_count(self) -> int:
        """How many patterns are recorded."""
        with self.db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(PATTERN)).scalar_one())


# SQL helpers ------------------------------------------------------------------------------


def _call_select() -> Any:
    return (
        select(INCIDENT.c.id, INCIDENT.c.incident_no, INCIDENT.c.received_at, CATEGORY.c.group_code,
               INCIDENT.c.community_id, INCIDENT.c.caller_phone, INCIDENT.c.caller_id_no,
               ADDRESS_KEY.c.address_key, ADDRESS_KEY.c.precise, INCIDENT.c.lat, INCIDENT.c.lon)
        .select_from(INCIDENT.join(CATEGORY, CATEGORY.c.code == INCIDENT.c.category_code)
                     .outerjoin(ADDRESS_KEY, ADDRESS_KEY.c.incident_id == INCIDENT.c.id))
        # A merged duplicate is the same call as its main incident: never count it twice.
        .where(INCIDENT.c.merged_into_id.is_(None))
    )


def _to_call(r: Any) -> Call:
    return Call(r.id, r.incident_no, r.received_at, r.group_code, r.community_id, r.caller_phone or "",
                r.caller_id_no or "", r.address_key or "", bool(r.precise), r.lat, r.lon)


def _calls(conn: Connection, where: Any) -> list[Call]:
    return [_to_call(r) for r in conn.execute(_call_select().where(where))]


def _one_call(conn: Connection, incident_id: int) -> Call | None:
    r = conn.execute(_call_select().where(INCIDENT.c.id == incident_id)).first()
    return None if r is None else _to_call(r)


def _neighbourhood(conn: Connection, call: Call, rules: RepeatRules) -> list[Call]:
    """The calls that can form a group with ``call``: same phone, ID or address key, nearby."""
    window = timedelta(days=rules.window_days)
    in_window = and_(INCIDENT.c.received_at >= call.received_at - window,
                     INCIDENT.c.received_at <= call.received_at + window)
    conds = []
    if call.phone:
        conds.append(INCIDENT.c.caller_phone == call.phone)
    if call.id_no:
        conds.append(INCIDENT.c.caller_id_no == call.id_no)
    if call.address_key and call.precise:
        conds.append(ADDRESS_KEY.c.address_key == call.address_key)
    p = call.point
    if p is not None:
        reach = max(rules.place_radius_m * 2, rules.event_radius_m)
        (west, south), (east, north) = geo.offset(*p, -reach, -reach), geo.offset(*p, reach, reach)
        conds.append(and_(INCIDENT.c.community_id == call.community_id,
                          INCIDENT.c.lat.between(south, north), INCIDENT.c.lon.between(west, east)))
    # One indexed query per condition: an OR across the incident and its address key would scan.
    calls = {c.id: c for cond in conds for c in _calls(conn, and_(in_window, cond))}
    if call.id_no:
        # Other numbers of the same person bring their own calls.
        phones = {c.phone for c in calls.values() if c.id_no == call.id_no and c.phone}
        if phones:
            more = _calls(conn, and_(in_window, INCIDENT.c.caller_phone.in_(phones)))
            calls.update({c.id: c for c in more})
    calls[call.id] = call
    return list(calls.values())


#: Above this many distinct keys to check, hot keys are found in one grouped pass.
BULK_KEYS = 5_000


def _among(column: Any, ids: Sequence[int]) -> Any:
    """``column IN ids`` for sorted ids; a range when they run without a gap (a feed's new rows),
    which spares compiling thousands of parameters."""
    if ids and ids[-1] - ids[0] + 1 == len(ids):
        return column.between(ids[0], ids[-1])
    return column.in_(ids)


def _chunks(values: Iterable[Any], size: int = 500) -> Iterable[list[Any]]:
    items = list(values)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _batch_neighbourhood(conn: Connection, checked: Sequence[Call],
                         rules: RepeatRules) -> tuple[dict[int, Call], set[int]]:
    """The calls that can form a group with any of ``checked`` (plus ``checked`` themselves), and
    the ids of those that can share an event with one (checked ones included).

    Phones, ID numbers and door-level addresses are first counted in SQL, so only keys seen at
    least ``threshold`` times in the time range bring their calls; point neighbours are read as
    bare points and only those near a checked point become calls.
    """
    window = timedelta(days=rules.window_days)
    lo = min(c.received_at for c in checked) - window
    hi = max(c.received_at for c in checked) + window
    live = and_(INCIDENT.c.received_at.between(lo, hi), INCIDENT.c.merged_into_id.is_(None))
    calls = {c.id: c for c in checked}
    wanted: set[int] = set()

    def hot_keys(column: Any, keys: set[str], *extra: Any) -> list[str]:
        source = (ADDRESS_KEY.join(INCIDENT, INCIDENT.c.id == ADDRESS_KEY.c.incident_id)
                  if column is ADDRESS_KEY.c.address_key else INCIDENT)
        if len(keys) > BULK_KEYS:
            # A big feed: one grouped pass over the time range beats thousands of look-ups.
            every = conn.execute(select(column).select_from(source).where(live, column != "")
                                 .group_by(column).having(func.count() >= rules.threshold, *extra))
            return [k for k in every.scalars() if k in keys]
        found: list[str] = []
        for chunk in _chunks(keys):
            found += conn.execute(
                select(column).select_from(source)
                .where(live, column.in_(chunk)).group_by(column)
                .having(func.count() >= rules.threshold, *extra)).scalars().all()
        return found

    for column, keys, extra in (
        (INCIDENT.c.caller_phone, {c.phone for c in checked if c.phone}, ()),
        (INCIDENT.c.caller_id_no, {c.id_no for c in checked if c.id_no},
         (func.count(INCIDENT.c.caller_phone.distinct()) >= 2,)),
        (ADDRESS_KEY.c.address_key, {c.address_key for c in checked if c.precise and c.address_key}, ()),
    ):
        for chunk in _chunks(hot_keys(column, keys, *extra)):
            calls.update((c.id, c) for c in _calls(conn, and_(live, column.in_(chunk))))
    with_point = [c for c in checked if c.point is not None]
    near_in_time = {c.id for c in checked}
    if with_point:
        near_in_time |= _event_neighbours(conn, with_point, rules)
        wanted |= near_in_time
        vague = [c for c in with_point if not c.precise]
        if vague:
            wanted |= _place_neighbours(conn, vague, rules, lo, hi)
    for chunk in _chunks(wanted - calls.keys(), INDEX_CHUNK):
        calls.update((c.id, c) for c in _calls(conn, INCIDENT.c.id.in_(chunk)))
    return calls, near_in_time


class _Near:
    """Points bucketed in cells of one reach: which stored points lie within it."""

    def __init__(self, points: Sequence[tuple[float, float]], reach_m: float) -> None:
        self.reach = reach_m
        lat0 = points[0][1]
        side = reach_m * 1.05
        self.size = (side / geo.metres_per_degree_lon(lat0), side / geo.METRES_PER_DEGREE_LAT)
        self.cells: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
        for p in points:
            self.cells[self._cell(p)].append(p)

    def _cell(self, p: tuple[float, float]) -> tuple[int, int]:
        return math.floor(p[0] / self.size[0]), math.floor(p[1] / self.size[1])

    def near(self, p: tuple[float, float]) -> list[tuple[float, float]]:
        cx, cy = self._cell(p)
        return [q for dx in (-1, 0, 1) for dy in (-1, 0, 1) for q in self.cells.get((cx + dx, cy + dy), ())
                if geo.haversine_m(p, q) <= self.reach]


_POINTS_SQL = (
    "SELECT i.id, i.received_at, i.lon, i.lat FROM incident i {join} WHERE i.received_at BETWEEN ? AND ?"
    " AND i.lat IS NOT NULL AND i.lon IS NOT NULL AND i.merged_into_id IS NULL {extra}")


def _sql_time(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="microseconds")


def _as_time(value: datetime | str) -> datetime:
    """A time read straight from the driver: text on SQLite, a datetime on PostgreSQL."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _event_neighbours(conn: Connection, checked: Sequence[Call], rules: RepeatRules) -> set[int]:
    """Calls within twice the event radius of a checked call and its time window.

    Checked calls are bucketed by cell and by time slot of the window's length, so each stored
    point looks at the few checked calls of the neighbouring cells and slots only.
    """
    span = timedelta(minutes=rules.event_window_min)
    span_s = span.total_seconds()
    reach = 2 * rules.event_radius_m
    first = checked[0].point
    assert first is not None
    side = reach * 1.05
    size = (side / geo.metres_per_degree_lon(first[1]), side / geo.METRES_PER_DEGREE_LAT)
    buckets: dict[tuple[int, int, int], list[tuple[geo.Point, datetime]]] = defaultdict(list)
    for c in checked:
        p = c.point
        assert p is not None
        slot = int(c.received_at.timestamp() // span_s)
        buckets[(math.floor(p[0] / size[0]), math.floor(p[1] / size[1]), slot)].append((p, c.received_at))

    def near(p: geo.Point, at: datetime) -> bool:
        cx, cy, slot = math.floor(p[0] / size[0]), math.floor(p[1] / size[1]), int(at.timestamp() // span_s)
        return any(abs(at - t) <= span and geo.haversine_m(p, q) <= reach
                   for dx in (-1, 0, 1) for dy in (-1, 0, 1) for ds in (-1, 0, 1)
                   for q, t in buckets.get((cx + dx, cy + dy, slot + ds), ()))

    intervals: list[list[datetime]] = []
    for t in sorted(c.received_at for c in checked):
        if intervals and t - span <= intervals[-1][1]:
            intervals[-1][1] = t + span
        else:
            intervals.append([t - span, t + span])
    # A checked call is its own neighbour: no distance to work out (most rows of a big feed).
    found = {c.id for c in checked}
    sql = driver_sql(conn, _POINTS_SQL.format(join="", extra=""))
    for start, end in intervals:
        for row in conn.exec_driver_sql(sql, (_sql_time(start), _sql_time(end))):
            if row[0] not in found and near((row[2], row[3]), _as_time(row[1])):
                found.add(int(row[0]))
    return found


def _place_neighbours(conn: Connection, checked: Sequence[Call], rules: RepeatRules, lo: datetime,
                      hi: datetime) -> set[int]:
    """Calls without a door-level address within twice the place radius of a checked one."""
    near = _Near([c.point for c in checked if c.point is not None], 2 * rules.place_radius_m)
    communities = sorted({c.community_id for c in checked if c.community_id is not None})
    if not communities:
        return set()
    sql = _POINTS_SQL.format(
        join="LEFT JOIN incident_address_key k ON k.incident_id = i.id",
        extra=f"AND (k.precise IS NULL OR NOT k.precise) "
              f"AND i.community_id IN ({', '.join('?' * len(communities))})")
    rows = conn.exec_driver_sql(driver_sql(conn, sql), (_sql_time(lo), _sql_time(hi), *communities))
    return {int(r[0]) for r in rows if near.near((r[2], r[3]))}


def _earlier_calls(conn: Connection, ids: set[int]) -> dict[int, EarlierCall]:
    if not ids:
        return {}
    rows = conn.execute(
        select(INCIDENT.c.id, INCIDENT.c.incident_no, INCIDENT.c.received_at,
               func.coalesce(CATEGORY.c.name, INCIDENT.c.category_code), INCIDENT.c.status,
               INCIDENT.c.address)
        .select_from(INCIDENT.outerjoin(CATEGORY, CATEGORY.c.code == INCIDENT.c.category_code))
        .where(INCIDENT.c.id.in_(sorted(ids))).order_by(INCIDENT.c.received_at.desc()))
    return {int(r[0]): EarlierCall(int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows}


def _flags(group: RepeatGroup, incident_id: int) -> bool:
    """True when the group flags this call (it is the crossing call or a later one)."""
    if group.crossing_id is None:
        return False
    crossing = next(c for c in group.calls if c.id == group.crossing_id)
    call = next((c for c in group.calls if c.id == incident_id), None)
    return call is not None and (call.received_at, call.id) >= (crossing.received_at, crossing.id)


def _rules(conn: Connection) -> RepeatRules:
    raw = conn.execute(select(META.c.value).where(META.c.key == RULES_KEY)).scalar()
    return RepeatRules(**json.loads(raw)) if raw else DEFAULT_RULES


def _indexed_upto(conn: Connection) -> int:
    raw = conn.execute(select(META.c.value).where(META.c.key == INDEXED_UPTO_KEY)).scalar()
    return int(raw) if raw else 0


def _set_indexed_upto(conn: Connection) -> None:
    top = conn.execute(select(func.coalesce(func.max(INCIDENT.c.id), 0))).scalar_one()
    conn.execute(delete(META).where(META.c.key == INDEXED_UPTO_KEY))
    conn.execute(insert(META).values(key=INDEXED_UPTO_KEY, value=str(top)))


def _index_older(conn: Connection, prefixes: list[str], memo: dict[str, tuple[str, int]], below: int) -> int:
    """Key every call below id ``below`` that has no key yet; moves the mark up to ``below - 1``."""
    upto = _indexed_upto(conn)
    if upto >= below - 1:
        return 0
    rows = conn.execute(
        select(INCIDENT.c.id, INCIDENT.c.address)
        .select_from(INCIDENT.outerjoin(ADDRESS_KEY, ADDRESS_KEY.c.incident_id == INCIDENT.c.id))
        .where(INCIDENT.c.id > upto, INCIDENT.c.id < below, ADDRESS_KEY.c.incident_id.is_(None))).all()
    for chunk in _chunks(rows, INDEX_CHUNK):
        _insert_keys(conn, chunk, prefixes, memo)
    conn.execute(delete(META).where(META.c.key == INDEXED_UPTO_KEY))
    conn.execute(insert(META).values(key=INDEXED_UPTO_KEY, value=str(below - 1)))
    return len(rows)


def _insert_keys(conn: Connection, rows: Iterable[Any], prefixes: list[str],
                 memo: dict[str, tuple[str, int]]) -> None:
    """Store the address key of each (id, address) row; feeds repeat addresses, so keys are memoised."""
    values = []
    for r in rows:
        key = memo.get(r.address)
        if key is None:
            k = normalise_address(r.address, prefixes)
            key = memo[r.address] = (k.key[:200], int(k.precise))
        values.append((r.id, *key))
    bulk_insert(conn, ADDRESS_KEY, ("incident_id", "address_key", "precise"), values)


def _anchors(conn: Connection) -> list[tuple[str, int | None]]:
    rows = conn.execute(select(PATTERN.c.pattern_key, PATTERN.c.community_id)
                        .where(PATTERN.c.kind == RepeatKind.PLACE.value,
                               PATTERN.c.pattern_key.like("geo:%")))
    return [(r.pattern_key.split("|")[0], r.community_id) for r in rows
            if parse_point_key(r.pattern_key.split("|")[0]) is not None]


def _station_prefixes(conn: Connection) -> list[str]:
    r = conn.execute(select(STATION.c.city, STATION.c.district).limit(1)).first()
    return [] if r is None else [r.city, r.district]


def _followup_from(conn: Connection, now: datetime) -> datetime:
    raw = conn.execute(select(META.c.value).where(META.c.key == FOLLOWUP_FROM_KEY)).scalar()
    if raw:
        return datetime.fromisoformat(raw)
    start = now - FIRST_SCAN_GRACE
    conn.execute(insert(META).values(key=FOLLOWUP_FROM_KEY, value=start.isoformat(sep=" ")))
    return start


def _upsert_pattern(conn: Connection, group: RepeatGroup, now: datetime) -> tuple[int, int | None]:
    row = conn.execute(select(PATTERN.c.id, PATTERN.c.task_id, PATTERN.c.first_at)
                       .where(PATTERN.c.kind == group.kind.value, PATTERN.c.pattern_key == group.key)).first()
    if row is None:
        pattern_id = int(conn.execute(insert(PATTERN).values(
            kind=group.kind.value, pattern_key=group.key, label=group.label[:200],
            community_id=group.community_id, first_at=group.first_at, last_at=group.last_at,
            call_count=len(group.calls), created_at=now, updated_at=now)).inserted_primary_key[0])
        task_id = None
    else:
        pattern_id, task_id = int(row.id), row.task_id
    have = set(conn.execute(select(PATTERN_INCIDENT.c.incident_id)
                            .where(PATTERN_INCIDENT.c.pattern_id == pattern_id)).scalars())
    new = [{"pattern_id": pattern_id, "incident_id": i} for i in group.incident_ids if i not in have]
    if new:
        conn.execute(insert(PATTERN_INCIDENT), new)
    if row is not None:
        first = min(row.first_at, group.first_at)
        conn.execute(update(PATTERN).where(PATTERN.c.id == pattern_id).values(
            first_at=first, last_at=group.last_at, call_count=len(have) + len(new),
            community_id=group.community_id, updated_at=now))
    return pattern_id, task_id


def _existing_task(conn: Connection, group: RepeatGroup) -> int | None:
    """A repeat-call task someone already issued for one of the group's calls."""
    return conn.execute(
        select(TASK.c.id).join(TASK_INCIDENT, TASK_INCIDENT.c.task_id == TASK.c.id)
        .where(TASK.c.template_code == REPEAT_TEMPLATE,
               TASK_INCIDENT.c.incident_id.in_(group.incident_ids))
        .order_by(TASK.c.issued_at).limit(1)).scalar()


def _community_officer(conn: Connection, community_id: int | None) -> int | None:
    if community_id is None:
        return None
    return conn.execute(
        select(OFFICER_COMMUNITY.c.officer_id)
        .join(OFFICER, OFFICER.c.id == OFFICER_COMMUNITY.c.officer_id)
        .where(OFFICER_COMMUNITY.c.community_id == community_id, OFFICER.c.active.is_(True))
        .order_by(OFFICER_COMMUNITY.c.is_primary.desc(), OFFICER.c.team != "community", OFFICER.c.id)
    ).scalar()


def _label(group: RepeatGroup, mask: Masker) -> str:
    if group.kind != RepeatKind.PERSON:
        return group.label
    kind = PersonalField.PHONE if group.key.startswith("phone:") else PersonalField.ID_NO
    return mask(kind, group.label)


def _group_rows(conn: Connection, groups: Sequence[RepeatGroup], mask: Masker) -> list[GroupRow]:
    """The groups as rows; a person's phone or ID number label masked as ``mask`` says."""
    names = dict(conn.execute(select(COMMUNITY.c.id, COMMUNITY.c.name)).all())
    tasks = dict(conn.execute(
        select(PATTERN.c.kind + ":" + PATTERN.c.pattern_key, TASK.c.task_no)
        .join(TASK, TASK.c.id == PATTERN.c.task_id)).all())
    return [
        GroupRow(g.kind.value, g.key, _label(g, mask),
                 names.get(g.community_id, "") if g.community_id else "", g.first_at, g.last_at,
                 g.incident_ids, g.incident_nos,
                 tasks.get(f"{g.kind.value}:{g.key}", ""))
        for g in groups
    ]

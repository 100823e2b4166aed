"""Repeat-call detection over the store: intake checks, scans after imports, follow-up tasks.

The rules live in ``domain.repeats``; this module loads the calls they need with SQL (by phone,
ID number, address key, community and time, all indexed), records the patterns found in
``repeat_pattern`` and issues one follow-up task per pattern from the repeat-call revisit
template. A pattern's task is recorded with it, so no later call or scan issues another.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, delete, func, insert, or_, select, update
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
    parse_point_key,
    repeat_incident_ids,
)
from station_console.domain.tasks import TaskSource
from station_console.services.tasks import REPEAT_TEMPLATE, IssueRequest, install_templates, issue_task
from station_console.store.database import Database
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
#: Patterns whose newest call is older than this moment never get a task (history at install).
FOLLOWUP_FROM_KEY = "repeat_followup_from"
#: On the first scan, crossings of the last day still get their follow-up.
FIRST_SCAN_GRACE = timedelta(days=1)
INDEX_CHUNK = 5000
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
class ScanResult:
    """What one scan found and did."""

    indexed: int
    groups: int
    flagged: int
    tasks_issued: tuple[str, ...]


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
            raw = conn.execute(select(META.c.value).where(META.c.key == RULES_KEY)).scalar()
        return RepeatRules(**json.loads(raw)) if raw else DEFAULT_RULES

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
            return _group_rows(conn, groups)

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
            return _group_rows(conn, groups)

    # scanning ---------------------------------------------------------------------------

    def index_addresses(self, progress: ProgressFn | None = None) -> int:
        """Store the normalised address of every incident that has none yet."""
        with self.db.read() as conn:
            prefixes = _station_prefixes(conn)
            missing = conn.execute(
                select(func.count()).select_from(INCIDENT.outerjoin(
                    ADDRESS_KEY, ADDRESS_KEY.c.incident_id == INCIDENT.c.id))
                .where(ADDRESS_KEY.c.incident_id.is_(None))).scalar_one()
        done = 0
        while done < missing:
            with self.db.write() as conn:
                rows = conn.execute(
                    select(INCIDENT.c.id, INCIDENT.c.address)
                    .select_from(INCIDENT.outerjoin(ADDRESS_KEY, ADDRESS_KEY.c.incident_id == INCIDENT.c.id))
                    .where(ADDRESS_KEY.c.incident_id.is_(None)).limit(INDEX_CHUNK)).all()
                if not rows:
                    break
                values = []
                for r in rows:
                    k = normalise_address(r.address, prefixes)
                    values.append({"incident_id": r.id, "address_key": k.key[:200], "precise": k.precise})
                conn.execute(insert(ADDRESS_KEY), values)
            done += len(rows)
            if progress is not None and not progress(done, missing):
                break
        return done

    def check_incident(self, incident_id: int) -> ScanResult:
        """At intake: the new call against its history; records patterns, may issue a task."""
        rules = self.rules()
        indexed = self.index_addresses()
        with self.db.write() as conn:
            call = _one_call(conn, incident_id)
            if call is None:
                return ScanResult(indexed, 0, 0, ())
            found = detect(_neighbourhood(conn, call, rules), rules, _anchors(conn))
            mine = Detection(*([g for g in groups if incident_id in g.incident_ids]
                               for groups in (found.person, found.place, found.event)))
            return self._record(conn, mine, indexed, only_ids={incident_id})

    def scan(self, progress: ProgressFn | None = None) -> ScanResult:
        """After an import (or on a timer): detect over the window, record, follow up once."""
        rules = self.rules()
        indexed = self.index_addresses(progress)
        now = self.now()
        with self.db.write() as conn:
            calls = _calls(conn, and_(INCIDENT.c.received_at >= now - timedelta(days=rules.window_days),
                                      INCIDENT.c.received_at <= now))
            found = detect(calls, rules, _anchors(conn))
            return self._record(conn, found, indexed, only_ids=None)

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
    calls = {c.id: c for c in _calls(conn, and_(in_window, or_(*conds)))} if conds else {}
    if call.id_no:
        # Other numbers of the same person bring their own calls.
        phones = {c.phone for c in calls.values() if c.id_no == call.id_no and c.phone}
        if phones:
            more = _calls(conn, and_(in_window, INCIDENT.c.caller_phone.in_(phones)))
            calls.update({c.id: c for c in more})
    calls[call.id] = call
    return list(calls.values())


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


def _group_rows(conn: Connection, groups: Sequence[RepeatGroup]) -> list[GroupRow]:
    names = dict(conn.execute(select(COMMUNITY.c.id, COMMUNITY.c.name)).all())
    tasks = dict(conn.execute(
        select(PATTERN.c.kind + ":" + PATTERN.c.pattern_key, TASK.c.task_no)
        .join(TASK, TASK.c.id == PATTERN.c.task_id)).all())
    return [
        GroupRow(g.kind.value, g.key, g.label, names.get(g.community_id, "") if g.community_id else "",
                 g.first_at, g.last_at, g.incident_ids, g.incident_nos,
                 tasks.get(f"{g.kind.value}:{g.key}", ""))
        for g in groups
    ]

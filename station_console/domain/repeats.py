"""Repeat-call rules: one person, one place and one event generating several calls.

Pure functions over plain ``Call`` records, so that the same rules run at intake (one new call
against its history), after an import (a batch) and in tests. A *pattern* is the stable thing a
follow-up task is issued for once: a phone number, an ID number, a normalised address, a
point (for calls without a door-level address) or the first call of an event.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from station_console.domain import geo


class RepeatKind(StrEnum):
    """The three repeat-call patterns of the domain notes."""

    PERSON = "person"  # 一人多警
    PLACE = "place"    # 一地多警
    EVENT = "event"    # 一事多警


@dataclass(frozen=True)
class RepeatRules:
    """Thresholds of the detectors (all configurable per station)."""

    #: One person / one place: calls within this many days count together.
    window_days: int = 90
    #: One place: calls without a door-level address count within this many metres.
    place_radius_m: float = 50.0
    #: The call that crosses this count issues the follow-up task (the third call by default).
    threshold: int = 3
    #: One place: only calls about the same category group count together (a crossing's many
    #: traffic accidents are a hotspot, not a repeat caller).
    place_same_group: bool = True
    #: One event: calls within this many minutes and metres, same category group and community.
    event_window_min: int = 30
    event_radius_m: float = 200.0

    def __post_init__(self) -> None:
        if self.window_days < 1 or self.threshold < 2 or self.place_radius_m <= 0:
            raise ValueError("repeat rules need window_days >= 1, threshold >= 2 and a radius > 0")
        if self.event_window_min < 1 or self.event_radius_m <= 0:
            raise ValueError("the event rule needs a time window >= 1 minute and a radius > 0")


DEFAULT_RULES = RepeatRules()


@dataclass(frozen=True)
class Call:
    """What the detectors need to know about one incident."""

    id: int
    incident_no: str
    received_at: datetime
    group_code: str
    community_id: int | None
    phone: str = ""
    id_no: str = ""
    address_key: str = ""
    precise: bool = False
    lat: float | None = None
    lon: float | None = None

    @property
    def point(self) -> geo.Point | None:
        return None if self.lat is None or self.lon is None else (self.lon, self.lat)


@dataclass(frozen=True)
class RepeatGroup:
    """Calls that form one pattern, oldest first; ``crossing_id`` is the call at the threshold."""

    kind: RepeatKind
    key: str
    label: str
    calls: tuple[Call, ...]
    crossing_id: int | None = None

    @property
    def incident_ids(self) -> tuple[int, ...]:
        return tuple(c.id for c in self.calls)

    @property
    def incident_nos(self) -> tuple[str, ...]:
        return tuple(c.incident_no for c in self.calls)

    @property
    def first_at(self) -> datetime:
        return self.calls[0].received_at

    @property
    def last_at(self) -> datetime:
        return self.calls[-1].received_at

    @property
    def community_id(self) -> int | None:
        """The community of the newest call (where the follow-up goes)."""
        return next((c.community_id for c in reversed(self.calls) if c.community_id is not None), None)

    @property
    def communities(self) -> frozenset[int | None]:
        return frozenset(c.community_id for c in self.calls)


def _windowed(kind: RepeatKind, key: str, label: str, calls: Sequence[Call], window: timedelta,
              threshold: int) -> RepeatGroup | None:
    """The calls of one key that lie in some window holding ``threshold`` calls, if any."""
    ordered = sorted(calls, key=lambda c: (c.received_at, c.id))
    members: set[int] = set()
    crossing: int | None = None
    lo = 0
    for hi, call in enumerate(ordered):
        while call.received_at - ordered[lo].received_at > window:
            lo += 1
        if hi - lo + 1 >= threshold:
            if crossing is None:
                crossing = call.id
            members.update(range(lo, hi + 1))
    if not members:
        return None
    return RepeatGroup(kind, key, label, tuple(ordered[i] for i in sorted(members)), crossing)


def person_groups(calls: Iterable[Call], rules: RepeatRules = DEFAULT_RULES) -> list[RepeatGroup]:
    """One person, many calls: the same phone, or the same ID number under other phones."""
    window = timedelta(days=rules.window_days)
    by_phone: dict[str, list[Call]] = defaultdict(list)
    by_id: dict[str, list[Call]] = defaultdict(list)
    for c in calls:
        if c.phone:
            by_phone[c.phone].append(c)
        if c.id_no:
            by_id[c.id_no].append(c)
    groups = []
    for phone, items in by_phone.items():
        if (g := _windowed(RepeatKind.PERSON, f"phone:{phone}", phone, items, window,
                           rules.threshold)) is not None:
            groups.append(g)
    for id_no, items in by_id.items():
        # A person who always calls from one number is already the phone's pattern.
        if len({c.phone for c in items}) < 2:
            continue
        if (g := _windowed(RepeatKind.PERSON, f"id:{id_no}", id_no, items, window,
                           rules.threshold)) is not None:
            groups.append(g)
    return sorted(groups, key=lambda g: (g.last_at, g.key), reverse=True)


def point_key(point: geo.Point) -> str:
    """The pattern key of a place known by its point (5 decimals: about a metre)."""
    return f"geo:{point[1]:.5f},{point[0]:.5f}"


def parse_point_key(key: str) -> geo.Point | None:
    """The point of a ``geo:`` pattern key (None for other keys)."""
    if not key.startswith("geo:"):
        return None
    lat, lon = key[4:].split(",")
    return float(lon), float(lat)


class _Cells:
    """Points bucketed in square cells of one radius, for "within R metres" look-ups."""

    def __init__(self, radius_m: float) -> None:
        self.radius = radius_m
        self.size_lat = radius_m / geo.METRES_PER_DEGREE_LAT
        self.cells: dict[tuple[int, int], list[tuple[geo.Point, str]]] = defaultdict(list)

    def _cell(self, p: geo.Point) -> tuple[int, int]:
        size_lon = self.radius / geo.metres_per_degree_lon(p[1])
        return math.floor(p[0] / size_lon), math.floor(p[1] / self.size_lat)

    def add(self, p: geo.Point, value: str) -> None:
        self.cells[self._cell(p)].append((p, value))

    def nearest(self, p: geo.Point) -> str | None:
        cx, cy = self._cell(p)
        best: tuple[float, str] | None = None
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for q, value in self.cells.get((cx + dx, cy + dy), ()):
                    d = geo.haversine_m(p, q)
                    if d <= self.radius and (best is None or d < best[0]):
                        best = (d, value)
        return None if best is None else best[1]


def place_groups(calls: Iterable[Call], rules: RepeatRules = DEFAULT_RULES,
                 anchors: Iterable[tuple[str, int | None]] = ()) -> list[RepeatGroup]:
    """One place, many calls: the same door-level address, or (without one) within R metres.

    Calls without a door-level address snap to the nearest ``geo:`` anchor within the radius in
    the same community; ``anchors`` are (key, community) of point patterns already recorded, so
    a place keeps its key across scans. A call that finds no anchor becomes one.
    """
    window = timedelta(days=rules.window_days)
    buckets: dict[tuple[str, str], list[Call]] = defaultdict(list)
    cells: dict[int | None, _Cells] = defaultdict(lambda: _Cells(rules.place_radius_m))
    for key, community_id in anchors:
        if (point := parse_point_key(key)) is not None:
            cells[community_id].add(point, key)
    for c in sorted(calls, key=lambda c: (c.received_at, c.id)):
        group = c.group_code if rules.place_same_group else ""
        if c.precise and c.address_key:
            buckets[(f"addr:{c.address_key}", group)].append(c)
            continue
        p = c.point
        if p is None:
            continue
        area = cells[c.community_id]
        key = area.nearest(p)
        if key is None:
            key = point_key(p)
            area.add(p, key)
        buckets[(key, group)].append(c)
    groups = []
    for (key, group), items in buckets.items():
        label = items[-1].address_key or key
        full_key = f"{key}|{group}" if group else key
        if (g := _windowed(RepeatKind.PLACE, full_key, label, items, window, rules.threshold)) is not None:
            groups.append(g)
    return sorted(groups, key=lambda g: (g.last_at, g.key), reverse=True)


def event_groups(calls: Iterable[Call], rules: RepeatRules = DEFAULT_RULES) -> list[RepeatGroup]:
    """One event, many calls: within the time window and radius of the group's first call,
    same category group and the same community (never merged across communities).

    Open groups are kept per (category group, community) in order of their first call, so a
    call is compared only with the open groups it could join and expired ones leave from the
    front: linear in the calls however many are open at once (a busy day's feed).
    """
    window = timedelta(minutes=rules.event_window_min)
    open_groups: dict[tuple[str, int], deque[list[Call]]] = defaultdict(deque)
    done: list[list[Call]] = []
    for c in sorted(calls, key=lambda c: (c.received_at, c.id)):
        p = c.point
        if p is None or c.community_id is None:
            continue  # a call without a place or a community is never part of an event group
        queue = open_groups[(c.group_code, c.community_id)]
        while queue and c.received_at - queue[0][0].received_at > window:
            done.append(queue.popleft())
        home = next((g for g in queue
                     if geo.haversine_m(g[0].point, p) <= rules.event_radius_m),  # type: ignore[arg-type]
                    None)
        if home is None:
            queue.append([c])
        else:
            home.append(c)
    for queue in open_groups.values():
        done.extend(queue)
    groups = [
        RepeatGroup(RepeatKind.EVENT, f"event:{g[0].incident_no}", g[0].incident_no, tuple(g), g[1].id)
        for g in done if len(g) >= 2
    ]
    return sorted(groups, key=lambda g: (g.last_at, g.key), reverse=True)


@dataclass
class Detection:
    """Every group the detectors found in a set of calls."""

    person: list[RepeatGroup] = field(default_factory=list)
    place: list[RepeatGroup] = field(default_factory=list)
    event: list[RepeatGroup] = field(default_factory=list)

    def all(self) -> list[RepeatGroup]:
        return [*self.person, *self.place, *self.event]


def detect(calls: Sequence[Call], rules: RepeatRules = DEFAULT_RULES,
           anchors: Iterable[tuple[str, int | None]] = ()) -> Detection:
    """Run the three detectors over the same calls."""
    return Detection(person_groups(calls, rules), place_groups(calls, rules, anchors),
                     event_groups(calls, rules))


def repeat_incident_ids(detection: Detection) -> set[int]:
    """Calls the board flags as repeats: in a person or place group, from the threshold on."""
    flagged: set[int] = set()
    for g in (*detection.person, *detection.place):
        if g.crossing_id is None:
            continue
        crossing = next(c for c in g.calls if c.id == g.crossing_id)
        flagged.update(c.id for c in g.calls if (c.received_at, c.id) >= (crossing.received_at, crossing.id))
    return flagged

"""Repeat-call rules on hand-made calls: windows, thresholds, ID numbers, radius, communities."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from station_console.domain import geo
from station_console.domain.repeats import (
    Call,
    RepeatKind,
    RepeatRules,
    detect,
    event_groups,
    person_groups,
    place_groups,
    repeat_incident_ids,
)

T0 = datetime(2026, 1, 10, 9, 0)
LON, LAT = 120.13, 30.27


def call(i: int, days: float = 0, *, phone: str = "", id_no: str = "", key: str = "", precise: bool = True,
         east_m: float | None = None, north_m: float = 0, community: int | None = 1, group: str = "dispute",
         minutes: float = 0) -> Call:
    lon = lat = None
    if east_m is not None:
        lon, lat = geo.offset(LON, LAT, east_m, north_m)
    return Call(i, f"J{i:04d}", T0 + timedelta(days=days, minutes=minutes), group, community, phone, id_no,
                key, precise and bool(key), lat, lon)


def test_third_call_within_the_window_crosses_the_threshold() -> None:
    calls = [call(1, 0, phone="13800000001"), call(2, 30, phone="13800000001"),
             call(3, 60, phone="13800000001")]
    [group] = person_groups(calls)
    assert group.kind == RepeatKind.PERSON and group.key == "phone:13800000001"
    assert group.incident_ids == (1, 2, 3) and group.crossing_id == 3


def test_two_calls_are_not_a_pattern() -> None:
    assert person_groups([call(1, 0, phone="1"), call(2, 1, phone="1")]) == []


def test_calls_spread_wider_than_the_window_are_not_a_pattern() -> None:
    calls = [call(1, 0, phone="1"), call(2, 50, phone="1"), call(3, 100, phone="1")]
    assert person_groups(calls) == []
    assert len(person_groups(calls, RepeatRules(window_days=100))) == 1


def test_threshold_is_configurable() -> None:
    calls = [call(1, 0, phone="1"), call(2, 1, phone="1")]
    [group] = person_groups(calls, RepeatRules(threshold=2))
    assert group.crossing_id == 2


def test_one_id_number_under_several_phones_is_one_person() -> None:
    calls = [call(1, 0, phone="1", id_no="X"), call(2, 3, phone="2", id_no="X"),
             call(3, 6, phone="3", id_no="X")]
    [group] = person_groups(calls)
    assert group.key == "id:X" and group.incident_ids == (1, 2, 3)


def test_same_id_and_same_phone_is_reported_once() -> None:
    calls = [call(i, i, phone="1", id_no="X") for i in range(1, 4)]
    assert [g.key for g in person_groups(calls)] == ["phone:1"]


def test_place_by_address_key() -> None:
    calls = [call(1, 0, key="芳草一区5幢1单元1101室"), call(2, 5, key="芳草一区5幢1单元1101室"),
             call(3, 9, key="芳草一区5幢1单元1101室"), call(4, 9, key="芳草一区5幢1单元1102室")]
    [group] = place_groups(calls)
    assert group.incident_ids == (1, 2, 3)


def test_place_by_radius_for_calls_without_a_door() -> None:
    calls = [call(1, 0, east_m=0), call(2, 2, east_m=30), call(3, 4, east_m=-20, north_m=20),
             call(4, 5, east_m=400)]
    [group] = place_groups(calls)
    assert group.incident_ids == (1, 2, 3) and group.key.startswith("geo:")
    assert place_groups(calls, RepeatRules(place_radius_m=10)) == []


def test_place_radius_never_crosses_communities() -> None:
    calls = [call(1, 0, east_m=0, community=1), call(2, 2, east_m=10, community=2),
             call(3, 4, east_m=5, community=1)]
    assert place_groups(calls) == []


def test_place_keeps_a_recorded_anchor() -> None:
    anchor = "geo:30.27000,120.13000"
    calls = [call(1, 0, east_m=40), call(2, 1, east_m=45), call(3, 2, east_m=30)]
    [group] = place_groups(calls, anchors=[(anchor, 1)])
    assert group.key == f"{anchor}|dispute"


def test_place_counts_one_category_group_unless_told_otherwise() -> None:
    calls = [call(1, 0, key="梧桐街30号", group="traffic"), call(2, 1, key="梧桐街30号", group="dispute"),
             call(3, 2, key="梧桐街30号", group="traffic")]
    assert place_groups(calls) == []
    assert len(place_groups(calls, RepeatRules(place_same_group=False))) == 1


def test_one_event_many_calls() -> None:
    calls = [call(1, east_m=0, minutes=0, group="fire"), call(2, east_m=150, minutes=10, group="fire"),
             call(3, east_m=50, minutes=29, group="fire"), call(4, east_m=50, minutes=45, group="fire"),
             call(5, east_m=10, minutes=5, group="traffic"), call(6, east_m=500, minutes=5, group="fire")]
    [group] = event_groups(calls)
    assert group.incident_ids == (1, 2, 3) and group.key == "event:J0001"


def test_one_event_is_never_merged_across_communities() -> None:
    calls = [call(1, east_m=0, community=1, group="fire"), call(2, east_m=20, minutes=3, community=2,
                                                                  group="fire")]
    assert event_groups(calls) == []


def test_flags_start_at_the_crossing_call() -> None:
    calls = [call(i, i * 10, phone="1") for i in range(1, 6)]
    assert repeat_incident_ids(detect(calls)) == {3, 4, 5}


@pytest.mark.parametrize("kwargs", [{"threshold": 1}, {"window_days": 0}, {"place_radius_m": 0},
                                    {"event_window_min": 0}, {"event_radius_m": -1}])
def test_nonsense_rules_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RepeatRules(**kwargs)  # type: ignore[arg-type]

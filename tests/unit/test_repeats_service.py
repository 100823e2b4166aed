"""Repeat detection on the generated demo station: precision and recall against the planted
repeat callers, intake checks, once-per-pattern follow-up tasks and the ``repeats`` command."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from station_console.cli import main
from station_console.domain import geo
from station_console.domain.repeats import RepeatKind, RepeatRules
from station_console.services.incidents import IncidentService, IntakeForm
from station_console.services.repeats import PATTERN, RepeatService
from station_console.services.tasks import REPEAT_TEMPLATE, TASK
from station_console.store.database import Database
from tests.conftest import DEMO_END, DEMO_ON_BOTH_ENGINES


def _planted(db: Database) -> set[int]:
    """Calls of the generator's repeat callers: every call from a number that 'called again'."""
    with db.read() as conn:
        return set(conn.execute(text(
            "SELECT id FROM incident WHERE caller_phone IN "
            "(SELECT caller_phone FROM incident WHERE description LIKE '再次报警：%')")).scalars())


def _span(db: Database) -> tuple[datetime, datetime]:
    with db.read() as conn:
        lo, hi = conn.execute(text("SELECT min(received_at), max(received_at) FROM incident")).one()
    return datetime.fromisoformat(str(lo)), datetime.fromisoformat(str(hi))


def _scores(found: set[int], truth: set[int]) -> tuple[float, float]:
    hit = len(found & truth)
    return hit / max(1, len(found)), hit / len(truth)


@DEMO_ON_BOTH_ENGINES
def test_person_detector_finds_the_planted_repeat_callers(demo_db: Database) -> None:
    truth = _planted(demo_db)
    assert len(truth) > 100
    found = RepeatService(demo_db).detect(*_span(demo_db))
    precision, recall = _scores({i for g in found.person for i in g.incident_ids}, truth)
    print(f"\none person many calls: precision {precision:.3f} recall {recall:.3f}")
    assert precision >= 0.98 and recall >= 0.95


@DEMO_ON_BOTH_ENGINES
def test_place_detector_finds_the_planted_repeat_flats(demo_db: Database) -> None:
    truth = _planted(demo_db)
    found = RepeatService(demo_db).detect(*_span(demo_db), RepeatRules(place_same_group=False))
    flats = {i for g in found.place if "室" in g.key for i in g.incident_ids}
    precision, recall = _scores(flats, truth)
    everything = {i for g in found.place for i in g.incident_ids}
    all_precision, all_recall = _scores(everything, truth)
    print(f"\none place many calls, flat addresses: precision {precision:.3f} recall {recall:.3f}; "
          f"all place groups (doors, radius): precision {all_precision:.3f} recall {all_recall:.3f}")
    assert precision >= 0.95 and recall >= 0.95
    assert all_recall >= recall


@DEMO_ON_BOTH_ENGINES
def test_event_detector_on_planted_clusters_never_merges_across_communities(demo_db: Database) -> None:
    """Plant bursts of calls about one event (some straddling a community border) and find them."""
    with demo_db.read() as conn:
        areas = conn.execute(text("SELECT id, center_lat, center_lon FROM community ORDER BY id")).all()
    service = IncidentService(demo_db, now=lambda: DEMO_END)
    planted: list[set[int]] = []
    start = DEMO_END - timedelta(days=20)
    for n, area in enumerate(areas):
        at = start + timedelta(hours=13 * n)
        ids = set()
        for k in range(3):
            lon, lat = geo.offset(area.center_lon, area.center_lat, 40.0 * k, 0.0)
            result = service.register(IntakeForm(
                source="110", category_code="0601", address=f"测试路{n}号", description="起火冒烟",
                caller_phone=f"1390000{n:02d}{k:02d}", lat=lat, lon=lon, community_id=area.id,
                received_at=at + timedelta(minutes=7 * k)))
            assert result.incident_id is not None
            ids.add(result.incident_id)
        planted.append(ids)
    found = RepeatService(demo_db).detect(start - timedelta(days=1), DEMO_END)
    groups = [set(g.incident_ids) for g in found.event]
    recall = sum(any(p <= g for g in groups) for p in planted) / len(planted)
    touching = [g for g in groups if any(g & p for p in planted)]
    precision = sum(g in planted for g in touching) / max(1, len(touching))
    print(f"\none event many calls (planted bursts): precision {precision:.3f} recall {recall:.3f}; "
          f"{len(found.event)} event groups in 21 days")
    assert recall == 1.0 and precision == 1.0
    assert all(len(g.communities) == 1 for g in found.event)


def _register_call(db: Database, now: datetime, phone: str, address: str) -> int:
    result = IncidentService(db, now=lambda: now).register(IntakeForm(
        source="110", category_code="0501", address=address, description="家庭纠纷",
        caller_phone=phone, community_id=1, received_at=now))
    assert result.incident_id is not None
    return result.incident_id


@DEMO_ON_BOTH_ENGINES
def test_third_call_at_intake_issues_one_task_and_never_another(demo_db: Database) -> None:
    clock = [DEMO_END]
    service = RepeatService(demo_db, now=lambda: clock[0])
    ids = []
    for month in range(5):
        clock[0] = DEMO_END + timedelta(days=25 * month)
        ids.append(_register_call(demo_db, clock[0], "13912345678", "青枫路257号芳草一区5幢1单元1101室"))
        result = service.check_incident(ids[-1])
        assert len(result.tasks_issued) == (1 if month == 2 else 0)
    service.scan()
    service.scan()
    with demo_db.read() as conn:
        person = conn.execute(select(PATTERN).where(PATTERN.c.pattern_key == "phone:13912345678")).one()
        tasks = conn.execute(select(TASK.c.id, TASK.c.template_code, TASK.c.assignee_id)
                             .where(TASK.c.id == person.task_id)).all()
        flagged = conn.execute(text(
            "SELECT id FROM incident WHERE is_repeat AND caller_phone = '13912345678'"))
        flagged_ids = set(flagged.scalars())
        same_title = conn.execute(select(func.count()).select_from(TASK)
                                  .where(TASK.c.title.like("%13912345678%"))).scalar_one()
    assert person.call_count == 5
    assert [t.template_code for t in tasks] == [REPEAT_TEMPLATE]
    assert same_title == 1
    assert flagged_ids == set(ids[2:])


@DEMO_ON_BOTH_ENGINES
def test_scan_issues_once_per_pattern(demo_db: Database) -> None:
    service = RepeatService(demo_db, now=lambda: DEMO_END)
    first = service.scan()
    again = service.scan()
    assert first.groups > 0 and again.tasks_issued == ()
    with demo_db.read() as conn:
        per_task = conn.execute(text(
            "SELECT task_id, count(*) FROM repeat_pattern WHERE task_id IS NOT NULL "
            "GROUP BY task_id HAVING count(*) > 1")).all()
    assert per_task == []


@DEMO_ON_BOTH_ENGINES
def test_history_at_install_gets_no_flood_of_tasks(demo_db: Database) -> None:
    result = RepeatService(demo_db, now=lambda: DEMO_END).scan()
    with demo_db.read() as conn:
        recorded = conn.execute(select(func.count()).select_from(PATTERN)).scalar_one()
    assert recorded == result.groups
    # Only patterns active within the last day are followed up on the first scan.
    assert len(result.tasks_issued) < recorded / 3


@DEMO_ON_BOTH_ENGINES
def test_groups_for_an_incident(demo_db: Database) -> None:
    truth = sorted(_planted(demo_db))
    groups = RepeatService(demo_db, now=lambda: DEMO_END).groups_for_incident(truth[-1])
    assert any(g.kind == RepeatKind.PERSON.value for g in groups)


@DEMO_ON_BOTH_ENGINES
def test_rules_are_saved(demo_db: Database) -> None:
    service = RepeatService(demo_db)
    service.set_rules(RepeatRules(window_days=30, threshold=4))
    assert service.rules() == RepeatRules(window_days=30, threshold=4)


def test_repeats_command_prints_current_groups(demo_db_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db_path), "repeats", "--json", "--kind", "person"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["tasks_issued"] == []
    for g in out["groups"]:
        assert g["kind"] == "person" and g["calls"] == len(g["incident_nos"]) >= 3


def test_repeats_command_scans_history_since_a_day(demo_db_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db_path), "repeats", "--since", "2024-01-01"]) != 0
    assert "--since goes with --scan" in capsys.readouterr().err
    assert main(["--db", str(demo_db_path), "repeats", "--scan", "--since", "2024-01-01", "--json"]) == 0
    assert "groups" in json.loads(capsys.readouterr().out)

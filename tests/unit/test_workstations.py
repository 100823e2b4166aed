"""Several workstations on one database: no lost update, and live announcements on a server.

Each workstation is its own ``Database`` (its own engine and connections) on the same file or
server database, as two station PCs are.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from station_console.domain.security import Role, identity_for
from station_console.domain.workflow import Refusal, WorkflowError
from station_console.services.incidents import IncidentService
from station_console.services.repeats import RepeatService
from station_console.store.database import Database
from station_console.store.dialect import (
    ANNOUNCED_TABLES,
    LISTENER_APPLICATION,
    ChangeListener,
    ListenerLost,
)
from tests.conftest import ON_BOTH_ENGINES, PG_ENV, _pg_admin
from tests.unit.test_incidents import _add, _events, _seed, _unit_status

T0 = datetime(2026, 3, 15, 9, 0)


def _second_workstation(db: Database, name: str) -> Database:
    """The same database opened again, as another station PC would, with its own operator."""
    target = str(db.path) if db.path else db.engine.url.render_as_string(hide_password=False)
    other = Database.open(target)
    other.identity = identity_for(name, Role.OPERATOR, display_name=name, workstation=f"PC-{name}")
    return other


class Ticking:
    """A workstation's clock: a minute later at each reading (no two writes share a time)."""

    def __init__(self, start: datetime) -> None:
        self.value = start

    def __call__(self) -> datetime:
        self.value += timedelta(minutes=1)
        return self.value


@pytest.fixture
def station(db: Database) -> Database:
    _seed(db)
    db.identity = identity_for("wang", Role.OPERATOR, display_name="王值班", workstation="PC-1")
    return db


@pytest.fixture
def other(station: Database) -> Iterator[Database]:
    second = _second_workstation(station, "李值班")
    yield second
    second.close()


def _unit_of(db: Database, incident_id: int) -> int | None:
    with db.read() as conn:
        return conn.execute(text("SELECT unit_id FROM incident WHERE id = :i"),
                            {"i": incident_id}).scalar_one()


@ON_BOTH_ENGINES
def test_an_action_on_a_stale_version_is_refused_and_overwrites_nothing(
        station: Database, other: Database) -> None:
    first = IncidentService(station, now=Ticking(T0))
    second = IncidentService(other, now=Ticking(T0 + timedelta(seconds=30)))
    incident = _add(station, "J1", T0 - timedelta(minutes=1))
    seen_by_second = second.row(incident)
    assert seen_by_second is not None

    first.dispatch(incident, unit_id=1, actor="王值班", seen=first.row(incident).version)  # type: ignore[union-attr]
    with pytest.raises(WorkflowError) as refused:
        second.dispatch(incident, unit_id=2, actor="李值班", seen=seen_by_second.version)

    assert refused.value.code is Refusal.CHANGED_MEANWHILE
    assert refused.value.params["actor"] == "王值班"
    assert refused.value.params["event"] == "dispatched"
    assert refused.value.params["incident_no"] == "J1"
    assert _unit_of(station, incident) == 1
    assert (_unit_status(station, 1), _unit_status(station, 2)) == ("busy", "available")
    assert _events(station, incident) == ["dispatched"]
    # Acting on the version now shown goes through; callers without a version (the command
    # line) act on the incident as it is, under the rules.
    second.arrive(incident, actor="李值班", seen=second.row(incident).version)  # type: ignore[union-attr]
    with pytest.raises(WorkflowError) as again:
        first.arrive(incident, actor="王值班")
    assert again.value.code is Refusal.WRONG_STATUS
    assert _events(station, incident) == ["dispatched", "arrived"]


def _race(work: Callable[[int], None], rounds: int) -> dict[tuple[int, int], str]:
    """Two operators (0 and 1) run ``work(round)`` at the same moment, round after round; what
    each got: "done" or the refusal's code."""
    outcomes: dict[tuple[int, int], str] = {}
    barrier = threading.Barrier(2)

    def operator(k: int) -> None:
        for n in range(rounds):
            barrier.wait()
            try:
                work(k, n)  # type: ignore[call-arg]
                outcomes[n, k] = "done"
            except WorkflowError as refused:
                outcomes[n, k] = refused.code.value

    threads = [threading.Thread(target=operator, args=(k,)) for k in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _actors(db: Database, incident_id: int) -> list[tuple[str, str]]:
    with db.read() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT action, actor FROM incident_event WHERE incident_id = :i ORDER BY id"),
            {"i": incident_id})]


@ON_BOTH_ENGINES
def test_two_workstations_racing_on_one_incident_one_wins(station: Database, other: Database) -> None:
    incidents = [_add(station, f"J{n}", T0 - timedelta(minutes=n)) for n in range(1, 5)]
    services = [IncidentService(station), IncidentService(other)]
    names = ["王值班", "李值班"]
    seen = [services[0].row(i).version for i in incidents]  # type: ignore[union-attr]

    def dispatch(k: int, n: int) -> None:
        services[k].dispatch(incidents[n], officer_id=1, actor=names[k], seen=seen[n])

    outcomes = _race(dispatch, len(incidents))  # type: ignore[arg-type]
    for n, incident in enumerate(incidents):
        assert sorted(outcomes[n, k] for k in (0, 1)) == ["changed_meanwhile", "done"]
        winner = names[0] if outcomes[n, 0] == "done" else names[1]
        assert _actors(station, incident) == [("dispatched", winner)]


@ON_BOTH_ENGINES
def test_one_unit_sent_to_two_incidents_at_once_goes_to_one(station: Database, other: Database) -> None:
    # Round n: both operators send unit n+1, each to an incident of their own.
    pairs = [(_add(station, f"A{n}", T0), _add(station, f"B{n}", T0)) for n in range(2)]
    services = [IncidentService(station), IncidentService(other)]

    def dispatch(k: int, n: int) -> None:
        services[k].dispatch(pairs[n][k], unit_id=n + 1)

    outcomes = _race(dispatch, len(pairs))  # type: ignore[arg-type]
    for n, pair in enumerate(pairs):
        assert sorted(outcomes[n, k] for k in (0, 1)) == ["done", "unit_busy"]
        assert sorted(str(_unit_of(station, i)) for i in pair) == [str(n + 1), "None"]


@ON_BOTH_ENGINES
def test_two_workstations_keying_addresses_at_once_take_turns(station: Database, other: Database) -> None:
    # Both boards' repeat checks store the address keys the newest calls lack, at the same time.
    incidents = [_add(station, f"J{n}", T0, address=f"明湖路{n}号") for n in range(1, 40)]
    services = [RepeatService(station, now=lambda: T0), RepeatService(other, now=lambda: T0)]
    keyed: list[int] = []
    barrier = threading.Barrier(2)

    def check(k: int) -> None:
        barrier.wait()
        keyed.append(services[k].index_addresses())

    threads = [threading.Thread(target=check, args=(k,)) for k in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(keyed) == [0, len(incidents)]
    with station.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM incident_address_key")).scalar_one() == len(incidents)


# PostgreSQL only ------------------------------------------------------------------------


@pytest.fixture
def server(pg_url: str) -> Iterator[Database]:
    database = Database.open(pg_url)
    _seed(database)
    yield database
    database.close()


def _waiting_on_a_lock(db: Database) -> bool:
    with _pg_admin(os.environ[PG_ENV]) as admin:
        return bool(admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            (db.engine.url.database,)).fetchone()[0])


def _until(check: Callable[[], Any], attempts: int = 500) -> Any:
    """Poll ``check`` (each call waits on the server or sleeps a little) until it is truthy."""
    for _ in range(attempts):
        result = check()
        if result:
            return result
        threading.Event().wait(0.01)
    raise AssertionError("the condition did not hold")


def test_the_second_workstation_waits_for_the_first_and_checks_what_it_wrote(server: Database) -> None:
    incident = _add(server, "J1", T0, status="dispatched", unit_id=1)
    other = _second_workstation(server, "李值班")
    refusals: list[Refusal] = []

    def second_operator() -> None:
        try:
            IncidentService(other, now=Ticking(T0)).arrive(incident)
        except WorkflowError as refused:
            refusals.append(refused.code)

    try:
        with server.write() as conn:
            # The first workstation is mid-transaction: it has recorded the arrival, not committed.
            conn.execute(text("SELECT id FROM incident WHERE id = :i FOR UPDATE"), {"i": incident})
            conn.execute(text("UPDATE incident SET status = 'arrived', arrived_at = :t, updated_at = :t "
                              "WHERE id = :i"), {"i": incident, "t": T0 + timedelta(minutes=3)})
            thread = threading.Thread(target=second_operator)
            thread.start()
            _until(lambda: _waiting_on_a_lock(server))
        thread.join()
    finally:
        other.close()
    assert refusals == [Refusal.WRONG_STATUS]
    assert _events(server, incident) == []


def test_the_server_announces_committed_changes_only(server: Database) -> None:
    listener = ChangeListener(server.engine)
    listener.connect()
    try:
        with pytest.raises(RuntimeError), server.write() as conn:
            conn.execute(text("UPDATE patrol_unit SET status = 'busy' WHERE id = 1"))
            raise RuntimeError("rolled back")
        assert listener.wait(0.05) == set()
        incident = _add(server, "J1", T0)
        IncidentService(server, now=Ticking(T0)).dispatch(incident, unit_id=1)
        announced: set[str] = set()
        _until(lambda: announced.update(listener.wait(0.05)) or
               {"incident", "incident_event", "patrol_unit"} <= announced)
        assert announced <= set(ANNOUNCED_TABLES)
    finally:
        listener.close()


def test_a_lost_listener_says_so_and_connects_again(server: Database) -> None:
    listener = ChangeListener(server.engine)
    listener.connect()
    try:
        with _pg_admin(os.environ[PG_ENV]) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s AND application_name = %s",
                          (server.engine.url.database, LISTENER_APPLICATION))
        with pytest.raises(ListenerLost):
            _until(lambda: listener.wait(0.05))
        listener.connect()
        _add(server, "J1", T0)
        assert _until(lambda: listener.wait(0.05)) == {"incident"}
    finally:
        listener.close()

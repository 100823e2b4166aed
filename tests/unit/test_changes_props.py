"""Property tests: stations that edit, delete and exchange packages in any order converge."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station_console.services.changes import (
    ExportOptions,
    apply_package,
    export_package,
    get_peer,
    synced_state,
)
from station_console.store.dialect import driver_sql
from tests.conftest import pg_copy, pg_drop
from tests.unit.changes_helpers import (
    CATEGORIES,
    Replica,
    build_template,
    close_all,
    delete_incident,
    insert_incident,
    make_replicas,
    update_incident,
)

KEYS = tuple(f"J{n}" for n in range(5))
STATUSES = ("new", "dispatched", "arrived", "resolved", "closed")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def replicas(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Replica]]:
    """Three stations; on "postgresql" B and C are on a server, A on SQLite."""
    folder = tmp_path_factory.mktemp("props")
    template = build_template(folder / "template.db")
    servers = {}
    if request.param == "postgresql":
        station = request.getfixturevalue("pg_station")
        servers = {name: pg_copy(station) for name in ("B", "C")}
    made = make_replicas(template, folder, ("A", "B", "C"), servers)
    yield made
    close_all(made)
    for url in servers.values():
        pg_drop(url)


def reset(replicas: list[Replica]) -> None:
    """Empty every replica's incidents and exchange state (between examples)."""
    for r in replicas:
        with r.db.write() as conn:
            for table in ("incident", "sync_tombstone", "sync_conflict", "sync_package_log"):
                conn.exec_driver_sql(f"DELETE FROM {table}")
            conn.exec_driver_sql("UPDATE sync_peer SET sent_sequence = 0, sent_row_seq = 0, "
                                 "sent_tombstone_seq = 0, received_sequence = 0")


def exists(r: Replica, key: str) -> bool:
    with r.db.read() as conn:
        found = conn.exec_driver_sql(driver_sql(conn, "SELECT 1 FROM incident WHERE incident_no = ?"),
                                     (key,)).first()
    return found is not None


replica_index = st.integers(0, 2)
op = st.one_of(
    st.tuples(st.just("create"), replica_index, st.sampled_from(KEYS), st.sampled_from(CATEGORIES),
              st.text("甲乙丙丁ab", max_size=4)),
    st.tuples(st.just("edit"), replica_index, st.sampled_from(KEYS), st.sampled_from(STATUSES),
              st.text("甲乙丙丁ab", max_size=4)),
    st.tuples(st.just("delete"), replica_index, st.sampled_from(KEYS)),
    st.tuples(st.just("send"), replica_index, replica_index, st.booleans()),
    st.tuples(st.just("deliver"), replica_index, replica_index),
)


class Exchange:
    """Packages in flight: one queue per (sender, recipient), applied in order."""

    def __init__(self, replicas: list[Replica], folder: Path) -> None:
        self.replicas = replicas
        self.folder = folder
        self.queues: dict[tuple[int, int], deque[Path]] = {}
        self.count = 0

    def send(self, src: int, dst: int, full: bool = False) -> None:
        if src == dst:
            return
        a, b = self.replicas[src], self.replicas[dst]
        self.count += 1
        out = self.folder / f"p{self.count}-{a.name}{b.name}.zip"
        export_package(a.db, out, b.name, a.key, options=ExportOptions(full=full))
        assert get_peer(a.db, b.name).sent_sequence >= 1
        self.queues.setdefault((src, dst), deque()).append(out)

    def deliver(self, src: int, dst: int) -> None:
        queue = self.queues.get((src, dst))
        if queue:
            apply_package(self.replicas[dst].db, queue.popleft())

    def deliver_all(self) -> None:
        for (src, dst), queue in self.queues.items():
            while queue:
                self.deliver(src, dst)

    def rounds(self, n: int) -> None:
        for _ in range(n):
            for src in range(3):
                for dst in range(3):
                    if src != dst:
                        self.send(src, dst)
                        self.deliver(src, dst)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(op, max_size=25))
def test_three_stations_converge_under_any_exchange_order(replicas: list[Replica], tmp_path: Path,
                                                         ops: list[tuple]) -> None:
    reset(replicas)
    folder = tmp_path / "packages"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    exchange = Exchange(replicas, folder)
    for step in ops:
        kind = step[0]
        if kind == "create":
            _, i, key, category, text = step
            if not exists(replicas[i], key):
                insert_incident(replicas[i].db, key, category_code=category, description=text)
        elif kind == "edit":
            _, i, key, status, text = step
            update_incident(replicas[i].db, key, status=status, description=text)
        elif kind == "delete":
            _, i, key = step
            delete_incident(replicas[i].db, key)
        elif kind == "send":
            _, src, dst, full = step
            exchange.send(src, dst, full)
        else:
            _, src, dst = step
            exchange.deliver(src, dst)
    exchange.deliver_all()
    exchange.rounds(3)
    states = [synced_state(r.db) for r in replicas]
    assert states[0] == states[1] == states[2]
    # Applying everything once more changes nothing anywhere.
    exchange.rounds(1)
    assert [synced_state(r.db) for r in replicas] == states


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(order=st.permutations(range(4)), edits=st.lists(st.tuples(st.integers(0, 3),
                                                                  st.sampled_from(KEYS),
                                                                  st.sampled_from(STATUSES)),
                                                        min_size=1, max_size=12))
def test_packages_from_different_senders_commute(replicas: list[Replica], tmp_path: Path,
                                                order: list[int], edits: list[tuple]) -> None:
    """A receives two packages from B and two from C; any order that keeps each sender's own
    sequence gives the same state as B's then C's."""
    reset(replicas)
    a, b, c = replicas
    folder = tmp_path / "commute"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    packages: list[tuple[Replica, Path]] = []
    for batch in range(2):
        for sender in (b, c):
            for idx, key, status in edits:
                if idx % 2 == batch:
                    if not exists(sender, key):
                        insert_incident(sender.db, key)
                    update_incident(sender.db, key, status=status)
            out = folder / f"{sender.name}{batch}.zip"
            export_package(sender.db, out, "A", sender.key)
            packages.append((sender, out))
    # order of the four packages, keeping each sender's two in sequence
    by_sender = {b.name: [p for s, p in packages if s is b], c.name: [p for s, p in packages if s is c]}
    picks = [b.name if i % 2 == 0 else c.name for i in order]
    for name in picks:
        apply_package(a.db, by_sender[name].pop(0))
    state = synced_state(a.db)
    reference = make_reference(replicas, folder, packages)
    assert state == reference


def make_reference(replicas: list[Replica], folder: Path, packages: list[tuple[Replica, Path]]) -> dict:
    """The state A would have after B's packages, then C's (on a fresh copy of A's peers)."""
    a = replicas[0]
    with a.db.write() as conn:
        for table in ("incident", "sync_tombstone", "sync_conflict"):
            conn.exec_driver_sql(f"DELETE FROM {table}")
        conn.exec_driver_sql("UPDATE sync_peer SET received_sequence = 0")
    for sender_name in ("B", "C"):
        for sender, path in packages:
            if sender.name == sender_name:
                apply_package(a.db, path)
    return synced_state(a.db)

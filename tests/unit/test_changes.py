"""Signed change packages: export, verify, apply, conflicts, tombstones, keys and the CLI."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from station_console import cli
from station_console.services import package_crypto
from station_console.services.changes import (
    ExportOptions,
    PackageError,
    Reason,
    SyncCancelled,
    SyncSetupError,
    apply_package,
    create_key,
    export_package,
    get_peer,
    key_path,
    list_conflicts,
    load_key,
    mark_reviewed,
    parse_card,
    peer_card,
    public_key_text,
    synced_state,
    trust_peer,
)
from station_console.store.database import Database
from station_console.store.dialect import driver_cursor
from tests.conftest import pg_copy, pg_drop
from tests.unit.changes_helpers import (
    Replica,
    build_template,
    close_all,
    delete_incident,
    insert_incident,
    insert_incidents,
    make_replicas,
    update_incident,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("changes") / "template.db")


@pytest.fixture(params=["sqlite", "postgresql"])
def trio(request: pytest.FixtureRequest, template: Path, tmp_path: Path) -> Iterator[list[Replica]]:
    """Three stations; on "postgresql" A stays on SQLite while B and C share a server (a district
    receiving a station's packages, and two databases on one server exchanging)."""
    servers = {}
    if request.param == "postgresql":
        station = request.getfixturevalue("pg_station")
        servers = {name: pg_copy(station) for name in ("B", "C")}
    replicas = make_replicas(template, tmp_path, ("A", "B", "C"), servers)
    yield replicas
    close_all(replicas)
    for url in servers.values():
        pg_drop(url)


def send(src: Replica, dst: Replica, folder: Path, **options: bool) -> Path:
    peer = get_peer(src.db, dst.name)
    out = folder / f"{src.name}-to-{dst.name}-{peer.sent_sequence + 1}.zip"
    export_package(src.db, out, dst.name, src.key, options=ExportOptions(**options))
    return out


def rows(db: Database, sql: str, *params: object) -> list[tuple[object, ...]]:
    """The rows as SQLite stores them, on either engine (times as text)."""
    with db.read() as conn:
        return [tuple(r) for r in driver_cursor(conn).execute(sql, params).fetchall()]


def test_changes_travel_and_both_sides_hold_the_same_rows(trio: list[Replica], tmp_path: Path) -> None:
    a, b, _c = trio
    for n in range(3):
        insert_incident(a.db, f"J{n}", description=f"第{n}起")
    package = send(a, b, tmp_path)
    result = apply_package(b.db, package)
    assert (result.rows, result.inserted, result.updated, result.conflicts) == (3, 3, 0, 0)
    assert synced_state(a.db) == synced_state(b.db)
    origin = rows(b.db, "SELECT DISTINCT sync_origin FROM incident")
    assert origin == [(a.station,)]
    with zipfile.ZipFile(package) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert sorted(zf.namelist()) == ["incident.ndjson", "incident_event.ndjson", "manifest.json",
                                         "task.ndjson"]
    assert manifest["station_id"] == a.station and manifest["recipient"] == b.station
    assert manifest["sequence"] == 1 and manifest["files"][0]["rows"] == 3
    assert manifest["time_range"][0] is not None


def test_a_resent_package_is_refused_and_changes_nothing(trio: list[Replica], tmp_path: Path) -> None:
    a, b, _c = trio
    insert_incident(a.db, "J1")
    package = send(a, b, tmp_path)
    apply_package(b.db, package)
    before = synced_state(b.db)
    with pytest.raises(PackageError) as err:
        apply_package(b.db, package)
    assert err.value.reason is Reason.REPLAYED
    assert package.name in str(err.value) and "already applied" in str(err.value)
    assert synced_state(b.db) == before


def test_a_full_package_of_known_rows_is_a_no_op(trio: list[Replica], tmp_path: Path) -> None:
    a, b, _c = trio
    for n in range(5):
        insert_incident(a.db, f"J{n}")
    apply_package(b.db, send(a, b, tmp_path))
    before = synced_state(b.db)
    again = apply_package(b.db, send(a, b, tmp_path, full=True))
    assert (again.rows, again.unchanged, again.inserted, again.updated) == (5, 5, 0, 0)
    assert synced_state(b.db) == before
    assert rows(b.db, "SELECT count(*) FROM sync_conflict") == [(0,)]


def test_only_changes_since_the_last_package_are_sent(trio: list[Replica], tmp_path: Path) -> None:
    a, b, _c = trio
    insert_incident(a.db, "J1")
    insert_incident(a.db, "J2")
    apply_package(b.db, send(a, b, tmp_path))
    update_incident(a.db, "J2", status="dispatched")
    second = apply_package(b.db, send(a, b, tmp_path))
    assert (second.rows, second.updated) == (1, 1)
    assert rows(b.db, "SELECT status FROM incident WHERE incident_no = 'J2'") == [("dispatched",)]
    # B's copies of A's rows change nothing when they come back.
    echo = apply_package(a.db, send(b, a, tmp_path))
    assert echo.unchanged == echo.rows == 2 and synced_state(a.db) == synced_state(b.db)


def test_out_of_order_package_is_refused_until_the_gap_is_filled(trio: list[Replica],
                                                                 tmp_path: Path) -> None:
    a, b, _c = trio
    insert_incident(a.db, "J1")
    first = send(a, b, tmp_path)
    insert_incident(a.db, "J2")
    second = send(a, b, tmp_path)
    with pytest.raises(PackageError) as err:
        apply_package(b.db, second)
    assert err.value.reason is Reason.OUT_OF_ORDER
    assert rows(b.db, "SELECT count(*) FROM incident") == [(0,)]
    apply_package(b.db, first)
    apply_package(b.db, second)
    assert synced_state(a.db) == synced_state(b.db)


def test_packages_from_strangers_for_others_or_altered_are_refused(trio: list[Replica],
                                                                   tmp_path: Path) -> None:
    a, b, c = trio
    insert_incident(a.db, "J1")
    to_c = send(a, c, tmp_path)
    with pytest.raises(PackageError) as err:
        apply_package(b.db, to_c)
    assert err.value.reason is Reason.FOREIGN
    with pytest.raises(PackageError) as err:
        apply_package(a.db, to_c)
    assert err.value.reason is Reason.OWN_PACKAGE

    to_b = send(a, b, tmp_path)
    data = bytearray(to_b.read_bytes())
    data[40] ^= 0x01
    tampered = tmp_path / "tampered.zip"
    tampered.write_bytes(bytes(data))
    with pytest.raises(PackageError) as err:
        apply_package(b.db, tampered)
    assert err.value.reason is Reason.BAD_SIGNATURE and "tampered.zip" in str(err.value)

    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(to_b.read_bytes()[:-300])
    with pytest.raises(PackageError) as err:
        apply_package(b.db, truncated)
    assert err.value.reason is Reason.NOT_A_PACKAGE

    # B forgets A's real key and trusts an impostor's key under A's station id.
    impostor = Ed25519PrivateKey.generate()
    card = parse_card(peer_card(a.db, impostor))
    trust_peer(b.db, card, "A")
    with pytest.raises(PackageError) as err:
        apply_package(b.db, to_b)
    assert err.value.reason is Reason.BAD_SIGNATURE
    with b.db.write() as conn:
        conn.exec_driver_sql("DELETE FROM sync_peer WHERE name = 'A'")
    with pytest.raises(PackageError) as err:
        apply_package(b.db, to_b)
    assert err.value.reason is Reason.UNKNOWN_PEER
    assert rows(b.db, "SELECT count(*) FROM incident") == [(0,)]


def test_concurrent_edits_newest_wins_and_the_loser_is_kept(trio: list[Replica],
                                                            tmp_path: Path) -> None:
    a, b, _c = trio
    insert_incident(a.db, "J1", description="原始")
    apply_package(b.db, send(a, b, tmp_path))
    update_incident(a.db, "J1", description="A改")
    update_incident(b.db, "J1", description="B改")
    to_b = send(a, b, tmp_path)
    to_a = send(b, a, tmp_path)
    apply_package(b.db, to_b)
    apply_package(a.db, to_a)
    assert synced_state(a.db) == synced_state(b.db)
    winner = rows(a.db, "SELECT description FROM incident")[0][0]
    loser = {"A改": "B改", "B改": "A改"}[str(winner)]
    for side in (a, b):
        conflicts = list_conflicts(side.db)
        assert len(conflicts) == 1
        assert conflicts[0].row_key == "J1" and conflicts[0].lost_data is not None
        assert conflicts[0].lost_data["description"] == loser
    mark_reviewed(a.db, [c.id for c in list_conflicts(a.db)])
    assert list_conflicts(a.db) == [] and len(list_conflicts(a.db, include_reviewed=True)) == 1


def test_a_later_edit_after_seeing_the_other_is_no_conflict(trio: list[Replica], tmp_path: Path) -> None:
    a, b, _c = trio
    insert_incident(a.db, "J1")
    apply_package(b.db, send(a, b, tmp_path))
    update_incident(b.db, "J1", status="dispatched")
    apply_package(a.db, send(b, a, tmp_path))
    update_incident(a.db, "J1", status="arrived")
    apply_package(b.db, send(a, b, tmp_path))
    assert rows(b.db, "SELECT status FROM incident") == [("arrived",)]
    assert list_conflicts(a.db) == [] and list_conflicts(b.db) == []


def test_deletions_travel_as_tombstones(trio: list[Replica], tmp_path: Path) -> None:
    a, b, c = trio
    insert_incident(a.db, "J1")
    insert_incident(a.db, "J2")
    apply_package(b.db, send(a, b, tmp_path))
    delete_incident(a.db, "J1")
    result = apply_package(b.db, send(a, b, tmp_path))
    assert result.deleted == 1
    assert rows(b.db, "SELECT incident_no FROM incident") == [("J2",)]
    assert rows(b.db, "SELECT row_key FROM sync_tombstone") == [("J1",)]
    # C never saw J1 alive: the tombstone still arrives and an old copy cannot revive it.
    apply_package(c.db, send(b, c, tmp_path))
    assert rows(c.db, "SELECT incident_no FROM incident") == [("J2",)]
    assert synced_state(a.db) == synced_state(b.db) == synced_state(c.db)


def test_one_incident_number_stamped_on_two_stations_becomes_one_row(trio: list[Replica],
                                                                     tmp_path: Path) -> None:
    a, b, _c = trio
    insert_incident(a.db, "J7", status="new")
    insert_incident(b.db, "J7", status="dispatched")
    apply_package(b.db, send(a, b, tmp_path))
    apply_package(a.db, send(b, a, tmp_path))
    state_a, state_b = synced_state(a.db), synced_state(b.db)
    assert state_a == state_b and list(state_a) == ["J7"]
    assert rows(a.db, "SELECT count(*) FROM incident") == [(1,)]


def test_masked_package_carries_no_personal_data(trio: list[Replica], tmp_path: Path) -> None:
    a, b, _c = trio
    insert_incident(a.db, "J1", caller_name="王小明", caller_phone="13812345678",
                    description="联系13912345678")
    package = send(a, b, tmp_path, mask_personal=True)
    text = zipfile.ZipFile(package).read("incident.ndjson").decode("utf-8")
    assert "13812345678" not in text and "王小明" not in text and "13912345678" not in text
    assert json.loads(zipfile.ZipFile(package).read("manifest.json"))["masked"] is True
    apply_package(b.db, package)
    assert rows(b.db, "SELECT caller_name, caller_phone FROM incident") == [("王**", "138****5678")]


def test_local_edits_take_a_new_clock_and_change_number(trio: list[Replica], tmp_path: Path) -> None:
    a, b, _c = trio
    insert_incident(a.db, "J1")
    apply_package(b.db, send(a, b, tmp_path))
    (hlc, seq), = rows(b.db, "SELECT sync_hlc, sync_seq FROM incident")
    update_incident(b.db, "J1", status="new")  # same value: no new version
    assert rows(b.db, "SELECT sync_hlc, sync_seq FROM incident") == [(hlc, seq)]
    update_incident(b.db, "J1", status="closed")
    (hlc2, seq2, base2, origin), = rows(b.db, "SELECT sync_hlc, sync_seq, sync_base, sync_origin "
                                             "FROM incident")
    assert hlc2 > hlc and seq2 > seq and base2 == hlc and origin == b.station


def test_cancelled_apply_and_export_change_nothing(trio: list[Replica], tmp_path: Path) -> None:
    a, b, _c = trio
    insert_incidents(a.db, [f"J{n:05d}" for n in range(1200)])
    out = tmp_path / "cancelled.zip"
    with pytest.raises(SyncCancelled):
        export_package(a.db, out, "B", a.key, progress=lambda done, total: done < 500)
    assert not out.exists() and list(tmp_path.glob("*.tmp")) == []
    assert get_peer(a.db, "B").sent_sequence == 0
    package = send(a, b, tmp_path)
    with pytest.raises(SyncCancelled):
        apply_package(b.db, package, progress=lambda done, total: done < 1000)
    assert rows(b.db, "SELECT count(*) FROM incident") == [(0,)]
    assert get_peer(b.db, "A").received_sequence == 0
    assert apply_package(b.db, package).inserted == 1200


def test_unknown_category_refuses_the_whole_package(trio: list[Replica], tmp_path: Path) -> None:
    a, b, _c = trio
    insert_incident(a.db, "J1")
    insert_incident(a.db, "J2", category_code="0201")
    package = send(a, b, tmp_path)
    with b.db.write() as conn:
        conn.exec_driver_sql("DELETE FROM incident_category WHERE code = '0201'")
    with pytest.raises(PackageError) as err:
        apply_package(b.db, package)
    assert err.value.reason is Reason.UNKNOWN_CODE and "line 2" in str(err.value)
    assert rows(b.db, "SELECT count(*) FROM incident") == [(0,)]


def test_key_file_is_private_and_cards_register_peers(db: Database, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with pytest.raises(SyncSetupError):
        load_key(data_dir)
    path = create_key(data_dir)
    assert path == key_path(data_dir)
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(SyncSetupError):
        create_key(data_dir)
    card = peer_card(db, load_key(data_dir))
    with pytest.raises(SyncSetupError):
        trust_peer(db, card)  # its own card
    with pytest.raises(SyncSetupError):
        parse_card("hello world")
    other = Ed25519PrivateKey.generate()
    sid = "0123456789abcdef"
    forged = card.replace(card.split()[2], sid).replace(card.split()[3], public_key_text(other))
    with pytest.raises(SyncSetupError, match="encryption key is not valid"):
        trust_peer(db, forged, "District")  # the encryption key is not endorsed by that signer
    text = (f"station-console-peer 2 {sid} {public_key_text(other)} "
            f"{package_crypto.encryption_public_text(other)} {package_crypto.endorse(other, sid)} 分局")
    peer = trust_peer(db, text, "District")
    assert peer.name == "District" and len(peer.fingerprint) == 19
    assert peer.encryption_key == package_crypto.encryption_public_text(other)
    legacy = trust_peer(db, f"station-console-peer 1 {'f' * 16} {public_key_text(other)} Old", None)
    assert legacy.name == "Old" and legacy.encryption_key is None


def test_cli_keys_export_and_import(template: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    a_db, b_db = tmp_path / "a.db", tmp_path / "b.db"
    for target, sid in ((a_db, "aaaaaaaaaaaaaaa1"), (b_db, "aaaaaaaaaaaaaaa2")):
        target.write_bytes(template.read_bytes())
        db = Database.open(target)
        with db.write() as conn:
            conn.exec_driver_sql("UPDATE app_meta SET value = ? WHERE key = 'sync_station_id'", (sid,))
        db.close()
    a_dir, b_dir = tmp_path / "a", tmp_path / "b"
    base_a = ["--db", str(a_db), "--data-dir", str(a_dir)]
    base_b = ["--db", str(b_db), "--data-dir", str(b_dir)]
    assert cli.main([*base_a, "keys", "init"]) == 0
    assert cli.main([*base_b, "keys", "init"]) == 0
    capsys.readouterr()
    assert cli.main([*base_a, "keys", "card", str(tmp_path / "a.card")]) == 0
    assert cli.main([*base_b, "keys", "card", str(tmp_path / "b.card")]) == 0
    assert cli.main([*base_a, "keys", "trust", "B", str(tmp_path / "b.card")]) == 0
    assert cli.main([*base_b, "keys", "trust", "A", str(tmp_path / "a.card")]) == 0
    capsys.readouterr()
    assert cli.main([*base_a, "keys", "peers"]) == 0
    assert "B" in capsys.readouterr().out
    db = Database.open(a_db)
    insert_incident(db, "J1")
    db.close()
    package = tmp_path / "a-b.zip"
    assert cli.main([*base_a, "export-package", str(package), "--peer", "B"]) == 0
    assert "1 rows" in capsys.readouterr().out
    assert package_crypto.is_sealed(package)  # encrypted for B unless --plain
    assert cli.main([*base_b, "import-package", str(package)]) == 0
    assert "inserted 1" in capsys.readouterr().out
    plain = tmp_path / "a-b-2.zip"
    assert cli.main([*base_a, "export-package", str(plain), "--peer", "B", "--plain", "--full"]) == 0
    assert "not encrypted" in capsys.readouterr().out
    assert zipfile.is_zipfile(plain)
    key_path(b_dir).rename(tmp_path / "b.key")
    assert cli.main([*base_b, "import-package", str(package)]) == cli.EXIT_USAGE
    assert "key is not in its data folder" in capsys.readouterr().err
    (tmp_path / "b.key").rename(key_path(b_dir))
    assert cli.main([*base_b, "apply-package", str(package)]) == cli.EXIT_USAGE
    assert "already applied" in capsys.readouterr().err
    assert cli.main([*base_b, "export-package", str(package), "--peer", "Nobody"]) == cli.EXIT_USAGE
    assert "no trusted peer called Nobody" in capsys.readouterr().err


def test_migration_0009_gives_existing_incidents_their_identity(template: Path, tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from station_console.store.database import _alembic_config
    from station_console.store.dialect import install_sqlite_pragmas

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    install_sqlite_pragmas(engine)
    with engine.connect() as conn:
        command.upgrade(_alembic_config(conn), "0008")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO category_group (code, name, name_en, is_police, sort_order) "
                             "VALUES ('help', '求助', 'Help', 1, 0)")
        conn.exec_driver_sql(
            "INSERT INTO incident_category (code, group_code, name, name_en, is_police, is_property, "
            "default_priority, dispatch_limit_s, arrival_limit_s, active, sort_order) "
            "VALUES ('0702', 'help', '救助求助', 'Rescue', 1, 0, 2, 120, 300, 1, 0)")
        for n in range(50):
            conn.exec_driver_sql(
                "INSERT INTO incident (incident_no, source, category_code, priority, status, "
                "received_at, caller_name, caller_phone, caller_id_no, address, description, "
                "outcome_code, feedback, is_repeat, is_diverted, in_jurisdiction, updated_at) VALUES "
                "(?, '110', '0702', 2, 'new', '2024-03-05 08:07:00', '', '', '', '', '', '', '', 0, 0, 1, "
                "'2024-03-05 08:07:00')", (f"J{n}",))
    engine.dispose()
    db = Database.open(path)
    try:
        (count, uuids, origins, seqs, station), = rows(
            db, "SELECT count(*), count(DISTINCT sync_uuid), count(DISTINCT sync_origin), "
                "count(DISTINCT sync_seq), (SELECT value FROM app_meta WHERE key = 'sync_station_id') "
                "FROM incident")
        assert (count, uuids, origins, seqs) == (50, 50, 1, 50)
        assert rows(db, "SELECT DISTINCT sync_origin FROM incident") == [(station,)]
    finally:
        db.close()


def test_an_account_without_the_personal_data_permission_always_sends_masked(
        trio: list[Replica], tmp_path: Path) -> None:
    from station_console.domain.security import PermissionDenied, Role
    from station_console.services.accounts import AccountService, sign_in

    a, b, _c = trio
    insert_incident(a.db, "J1", caller_name="王小明", caller_phone="13812345678")
    AccountService(a.db).create("caozuo", "操作员", Role.OPERATOR, password="Qiang#Mima2026",
                                must_change=False)
    sign_in(a.db, "caozuo", "Qiang#Mima2026")
    package = send(a, b, tmp_path)
    text = zipfile.ZipFile(package).read("incident.ndjson").decode("utf-8")
    assert "13812345678" not in text and "王小明" not in text
    with pytest.raises(PermissionDenied):
        trust_peer(a.db, b.card())


def events_of(db: Database) -> set[tuple[object, ...]]:
    return set(rows(db, "SELECT e.sync_uuid, e.sync_origin, i.incident_no, e.at, e.actor, e.action, "
                        "e.detail FROM incident_event e JOIN incident i ON i.id = e.incident_id"))


def test_event_logs_travel_once_and_do_not_echo(trio: list[Replica], tmp_path: Path) -> None:
    from station_console.services.incidents import IncidentService

    a, b, c = trio
    j1 = insert_incident(a.db, "J1")
    IncidentService(a.db).add_note(j1, "到场核实，报警人 13812345678")
    IncidentService(a.db).add_note(j1, "已调解")
    first = apply_package(b.db, send(a, b, tmp_path))
    assert (first.inserted, first.events, first.events_inserted) == (1, 2, 2)
    assert events_of(b.db) == events_of(a.db) and len(events_of(a.db)) == 2
    assert {e[1] for e in events_of(b.db)} == {a.station}
    again = apply_package(b.db, send(a, b, tmp_path, full=True))
    assert (again.events, again.events_inserted) == (2, 0)
    # B's own note goes to A; A's notes do not come back.
    j1_at_b = rows(b.db, "SELECT id FROM incident WHERE incident_no = 'J1'")[0][0]
    IncidentService(b.db).add_note(int(str(j1_at_b)), "乙站补充")
    back = send(b, a, tmp_path)
    with zipfile.ZipFile(back) as zf:
        lines = zf.read("incident_event.ndjson").decode("utf-8").splitlines()
    assert [json.loads(line)["detail"] for line in lines] == ["乙站补充"]
    assert apply_package(a.db, back).events_inserted == 1
    assert events_of(a.db) == events_of(b.db) and len(events_of(a.db)) == 3
    # Relayed to a third station with masking: the phone number in the note is masked.
    relayed = apply_package(c.db, send(b, c, tmp_path, full=True, mask_personal=True))
    assert relayed.events_inserted == 3
    details = {e[6] for e in events_of(c.db)}
    assert "到场核实，报警人 138****5678" in details and "13812345678" not in str(details)


def test_a_package_of_format_1_without_event_logs_still_applies(trio: list[Replica],
                                                                 tmp_path: Path) -> None:
    from station_console.services.changes import MANIFEST
    from tests.unit.test_changes_corpus import members_of, signed, with_manifest

    a, b, _c = trio
    insert_incident(a.db, "J1")
    members = members_of(send(a, b, tmp_path))
    manifest = json.loads(members[MANIFEST])
    old = with_manifest({MANIFEST: members[MANIFEST], "incident.ndjson": members["incident.ndjson"]},
                        format_version=1, files=manifest["files"][:1])
    package = signed(tmp_path / "old.zip", old, a)
    assert apply_package(b.db, package).inserted == 1


def test_the_senders_tasks_are_reported_and_each_package_replaces_the_report(
        trio: list[Replica], tmp_path: Path) -> None:
    from datetime import datetime

    from station_console.services.tasks import IssueRequest, TaskService
    from tests.unit.test_changes_corpus import members_of, signed, with_manifest

    a, b, c = trio
    issued = datetime(2026, 3, 2, 9, 0)
    tasks = TaskService(a.db, now=lambda: issued, actor="值班员")
    tasks.ensure_templates()
    with a.db.read() as conn:
        officer = int(conn.exec_driver_sql("SELECT min(id) FROM officer").scalar_one())
        template = str(conn.exec_driver_sql("SELECT min(code) FROM task_template").scalar_one())
    one, two = (tasks.issue(IssueRequest(template, officer, f"回访张三 13812345678 第{n}次"))
                for n in (1, 2))
    package = send(a, b, tmp_path)
    assert apply_package(b.db, package).tasks == 2
    report = "SELECT origin, task_no, state, issued_at, signed_at FROM station_task ORDER BY task_no"
    assert rows(b.db, report) == [(a.station, t.task_no, "awaiting_signoff", "2026-03-02 09:00:00.000000",
                                   None) for t in (one, two)]
    # Only the number, state and times travel: no title, officer or phone number.
    with zipfile.ZipFile(package) as zf:
        member = zf.read("task.ndjson").decode("utf-8")
    assert "张三" not in member and "1381234" not in member and "assignee" not in member
    # The next package's report replaces the first: one signed, one cancelled.
    tasks.now = lambda: datetime(2026, 3, 2, 10, 30)
    tasks.sign(one.id)
    tasks.cancel(two.id, "重复下发")
    assert apply_package(b.db, send(a, b, tmp_path)).tasks == 2
    assert [r[2:] for r in rows(b.db, report)] == [
        ("signed", "2026-03-02 09:00:00.000000", "2026-03-02 10:30:00.000000"),
        ("cancelled", "2026-03-02 09:00:00.000000", None)]
    # A package of format 2 reports no tasks and leaves the last report as it was.
    members = members_of(send(a, b, tmp_path))
    files = [f for f in json.loads(members["manifest.json"])["files"] if f["name"] != "task.ndjson"]
    old = with_manifest({k: v for k, v in members.items() if k != "task.ndjson"},
                        format_version=2, files=files)
    assert apply_package(b.db, signed(tmp_path / "old.zip", old, a)).tasks is None
    assert len(rows(b.db, report)) == 2
    # B's report of its own (empty) ledger leaves A's report at C alone.
    apply_package(c.db, send(a, c, tmp_path))
    apply_package(c.db, send(b, c, tmp_path))
    assert [r[0] for r in rows(c.db, report)] == [a.station, a.station]

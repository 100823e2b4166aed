"""Change packages on the data exchange screen: keys, peers, export, apply, refusals, conflicts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from station_console.services.changes import (
    ExportOptions,
    apply_package,
    create_key,
    export_package,
    load_key,
    peer_card,
    trust_peer,
)
from station_console.services.package_crypto import is_sealed
from station_console.ui.sync.sync_screen import SyncScreen
from tests.unit.changes_helpers import (
    Replica,
    build_template,
    close_all,
    insert_incident,
    make_replicas,
    update_incident,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("changes_ui") / "template.db")


@pytest.fixture
def pair(template: Path, tmp_path: Path) -> Iterator[list[Replica]]:
    replicas = make_replicas(template, tmp_path, ("A", "B"))
    yield replicas
    close_all(replicas)


def make_screen(qtbot, replica: Replica, tmp_path: Path) -> SyncScreen:
    settings = QSettings(str(tmp_path / "data" / "settings.ini"), QSettings.Format.IniFormat)
    screen = SyncScreen(replica.db, settings)
    qtbot.addWidget(screen)
    screen.resize(1400, 900)
    screen.show()
    return screen


def test_keys_dialog_creates_the_key_and_registers_a_peer(qtbot, pair, tmp_path) -> None:
    a, b = pair
    with b.db.write() as conn:
        conn.exec_driver_sql("DELETE FROM sync_peer")
    screen = make_screen(qtbot, b, tmp_path)
    assert screen.peer_combo.count() == 0
    dialog = screen.open_keys_dialog()
    qtbot.addWidget(dialog)
    assert dialog.card_text.toPlainText() == ""
    dialog.create_button.click()
    assert load_key(tmp_path / "data") is not None
    assert dialog.card_text.toPlainText().startswith("station-console-peer 2 ")
    assert "fingerprint" in dialog.key_label.text()
    card = tmp_path / "a.card"
    card.write_text(_card_text(a), encoding="utf-8")
    assert dialog.add_peer(card, "District A")
    assert dialog.peers.rowCount() == 1 and dialog.peers.item(0, 0).text() == "District A"
    bad = tmp_path / "bad.card"
    bad.write_text("not a card", encoding="utf-8")
    assert not dialog.add_peer(bad, "X") and "Not registered" in dialog.status.text()
    dialog.close()
    screen.refresh_packages()
    assert screen.peer_combo.findText("District A") >= 0


def _card_text(replica: Replica) -> str:
    return peer_card(replica.db, replica.key)


def test_apply_and_export_from_the_screen(qtbot, pair, tmp_path) -> None:
    a, b = pair
    screen = make_screen(qtbot, b, tmp_path)
    insert_incident(a.db, "J1")
    insert_incident(a.db, "J2")
    package = tmp_path / "a-b.zip"
    export_package(a.db, package, "B", a.key)
    with qtbot.waitSignal(screen.data_changed, timeout=20_000):
        screen.apply_package_from(package)
    qtbot.waitUntil(lambda: not screen.jobs.busy, timeout=20_000)
    assert "inserted 2" in screen.package_status.text()

    screen.apply_package_from(package)
    qtbot.waitUntil(lambda: not screen.jobs.busy, timeout=20_000)
    assert "Refused, nothing applied" in screen.package_status.text()
    assert "already applied" in screen.package_status.text() and "a-b.zip" in screen.package_status.text()

    # B's key lives in its data folder; without it the screen says how to make one.
    out = tmp_path / "b-a.zip"
    assert screen.export_package_to(out, "A") is None
    assert "keys init" in screen.package_status.text()
    create_key(tmp_path / "data")
    b_card = _card_text(Replica(b.name, b.db, load_key(tmp_path / "data"), b.station))
    trust_peer(a.db, b_card, "B")
    update_incident(b.db, "J1", status="closed")
    assert screen.export_package_to(out, "A") is not None
    qtbot.waitUntil(lambda: not screen.jobs.busy, timeout=20_000)
    assert out.exists() and "Package 1 for A written" in screen.package_status.text()
    # Sealed for A by default: only A's key opens it.
    assert is_sealed(out)
    assert apply_package(a.db, out, key=a.key).updated == 1

    # A package sealed for B opens with the key in B's data folder.
    insert_incident(a.db, "J3")
    sealed = tmp_path / "a-b-2.scpkg"
    export_package(a.db, sealed, "B", a.key, options=ExportOptions(encrypt=True))
    with qtbot.waitSignal(screen.data_changed, timeout=20_000):
        screen.apply_package_from(sealed)
    qtbot.waitUntil(lambda: not screen.jobs.busy, timeout=20_000)
    assert "a-b-2.scpkg: package 2 from A applied" in screen.package_status.text()
    assert "inserted 1" in screen.package_status.text()


def test_conflicts_are_listed_and_can_be_marked_reviewed(qtbot, pair, tmp_path) -> None:
    a, b = pair
    insert_incident(a.db, "J1", description="原始")
    first = tmp_path / "1.zip"
    export_package(a.db, first, "B", a.key)
    apply_package(b.db, first)
    update_incident(b.db, "J1", description="乙站改")
    update_incident(a.db, "J1", description="甲站改")
    second = tmp_path / "2.zip"
    export_package(a.db, second, "B", a.key)
    screen = make_screen(qtbot, b, tmp_path)
    assert screen.conflict_list.count() == 0
    screen.apply_package_from(second)
    qtbot.waitUntil(lambda: not screen.jobs.busy, timeout=20_000)
    assert screen.conflict_list.count() == 1
    assert "J1" in screen.conflict_list.item(0).text()
    assert "Conflicts to review: 1" in screen.conflict_label.text()
    screen.conflict_list.item(0).setSelected(True)
    screen._mark_reviewed()
    assert screen.conflict_list.count() == 0

"""The disputes ledger tab on the demo station: filters, detail, register dialog and actions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QInputDialog, QTableWidgetItem
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from station_console.services.disputes import DisputeService
from station_console.store.database import Database
from station_console.ui.loops.disputes_tab import DisputesTab, RegisterDisputeDialog
from station_console.ui.loops.loops_screen import LoopsScreen
from tests.conftest import DEMO_END


@pytest.fixture
def tab(demo_db: Database, qtbot: QtBot) -> Iterator[DisputesTab]:
    widget = DisputesTab(demo_db, now=lambda: DEMO_END)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    yield widget


def _answer(monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
    # The modal text prompt would wait for a person; answer it as the duty officer would.
    monkeypatch.setattr(QInputDialog, "getText", lambda *_args, **_kw: (answer, True))


def _incident_nos(db: Database, n: int) -> list[str]:
    with db.read() as conn:
        return list(conn.execute(text("SELECT incident_no FROM incident WHERE community_id IS NOT NULL "
                                      "ORDER BY id DESC LIMIT :n"), {"n": n}).scalars())


def test_the_ledger_lists_and_filters_demo_disputes(tab: DisputesTab) -> None:
    tab.stage_filter.setCurrentIndex(tab.stage_filter.findData(""))
    total = tab.table.rowCount()
    assert total >= 8
    first = tab._rows[0]
    assert tab.selected() == first and tab.detail.toPlainText().startswith(first.dispute_no)
    assert tab.service.detail(first.id).parties[0].name in tab.detail.toPlainText()
    tab.stage_filter.setCurrentIndex(tab.stage_filter.findData("resolved"))
    resolved = tab.table.rowCount()
    assert resolved < total
    tab.stage_filter.setCurrentIndex(tab.stage_filter.findData(""))
    tab.risk_filter.setCurrentIndex(tab.risk_filter.findData(3))
    assert tab.table.rowCount() < total
    assert all(r.risk_level == 3 for r in tab._rows)


def test_register_dialog_shows_problems_then_registers(tab: DisputesTab, demo_db: Database,
                                                      qtbot: QtBot) -> None:
    dialog = RegisterDisputeDialog(tab.service, tab)
    qtbot.addWidget(dialog)
    dialog.parties.setItem(0, 2, QTableWidgetItem("12345"))
    dialog.submit()
    assert "title" in dialog.problems.text() and "party 1, name" in dialog.problems.text()
    assert "party 1, phone" in dialog.problems.text() and dialog.registered is None
    number = _incident_nos(demo_db, 1)[0]
    dialog.title_edit.setText("赵某与钱某欠款纠纷")
    dialog.category.setCurrentIndex(dialog.category.findData("D11"))
    dialog.parties.setItem(0, 0, QTableWidgetItem("赵某"))
    dialog.parties.setItem(0, 2, QTableWidgetItem("13900139000"))
    dialog.parties.setItem(1, 0, QTableWidgetItem("钱某"))
    dialog.incidents.setText(number)
    dialog.submit()
    assert dialog.registered is not None and dialog.registered.category_code == "D11"
    detail = tab.service.detail(dialog.registered.id)
    assert [p.name for p in detail.parties] == ["赵某", "钱某"]
    assert [i.incident_no for i in detail.incidents] == [number]


def test_actions_move_the_selected_dispute(tab: DisputesTab, demo_db: Database,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    tab.stage_filter.setCurrentIndex(tab.stage_filter.findData("registered"))
    assert tab.table.rowCount() > 0
    tab.table.selectRow(0)
    dispute = tab.selected()
    assert dispute is not None
    assert tab.action_buttons["mediate"].isEnabled() and not tab.action_buttons["hand_over"].isEnabled()
    tab.stage_filter.setCurrentIndex(tab.stage_filter.findData(""))
    tab.table.selectRow([r.id for r in tab._rows].index(dispute.id))
    tab.action_buttons["mediate"].click()
    service = DisputeService(demo_db)
    assert service.get(dispute.id).stage == "mediating"
    _answer(monkeypatch, "双方签订调解协议")
    tab.action_buttons["resolve"].click()
    assert service.get(dispute.id).stage == "resolved"
    assert tab.selected() is not None and tab.selected().id == dispute.id
    linked = {i.incident_no for i in service.detail(dispute.id).incidents}
    new = next(n for n in _incident_nos(demo_db, 5) if n not in linked)
    _answer(monkeypatch, new)
    tab.action_buttons["link"].click()
    row = service.get(dispute.id)
    assert row.stage == "mediating" and row.reopen_count == 1
    assert new in tab.detail.toPlainText()


def test_the_loops_screen_has_the_ledger_tab(demo_db: Database, qtbot: QtBot) -> None:
    screen = LoopsScreen(demo_db, now=lambda: DEMO_END)
    qtbot.addWidget(screen)
    tabs = [screen.tabs.widget(i) for i in range(screen.tabs.count())]
    assert any(isinstance(w, DisputesTab) for w in tabs)
    screen.shutdown()

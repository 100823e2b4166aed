"""The intake dialog's repeat check: earlier calls listed while typing, the saved call flagged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from station_console.services.incidents import IncidentService, IntakeForm
from station_console.services.repeats import RepeatService
from station_console.store.database import Database
from station_console.ui.dialogs.intake_dialog import IntakeDialog
from tests.conftest import DEMO_END

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
PHONE = "13955556666"


def _dialog(qtbot: QtBot, db: Database) -> IntakeDialog:
    incidents = IncidentService(db, now=lambda: DEMO_END)
    dialog = IntakeDialog(incidents.lookups(), lambda form: incidents.register(form, actor="op"), DEMO_END,
                          repeats=RepeatService(db, now=lambda: DEMO_END, actor="op"))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _earlier(db: Database, days: int) -> None:
    result = IncidentService(db, now=lambda: DEMO_END).register(IntakeForm(
        source="110", category_code="0501", address="竹影街9号", description="家庭纠纷", caller_phone=PHONE,
        community_id=1, received_at=DEMO_END - timedelta(days=days)))
    assert result.ok


def _fill(dialog: IntakeDialog) -> None:
    dialog.category.setCurrentIndex(dialog.category.findData("0501"))
    dialog.caller_phone.setText(PHONE)
    dialog.address.setText("竹影街11号")
    dialog.community.setCurrentIndex(1)
    dialog.description.setPlainText("又吵起来了")


def test_earlier_calls_show_before_saving_and_the_saved_call_is_flagged(qtbot: QtBot,
                                                                          demo_db: Database) -> None:
    _earlier(demo_db, 40)
    _earlier(demo_db, 3)
    dialog = _dialog(qtbot, demo_db)
    assert not dialog.history_list.isVisible()
    _fill(dialog)
    qtbot.waitUntil(lambda: dialog.history is not None and not dialog.history_busy, timeout=20_000)
    assert dialog.history is not None and len(dialog.history.same_phone) == 2
    assert dialog.history_list.isVisible()
    top = dialog.history_list.topLevelItem(0)
    assert top.childCount() == 2 and "(2)" in top.text(0)
    assert dialog.history.repeat_kinds == ("person",)
    assert "3" in dialog.history_status.text()
    dialog.submit()
    assert dialog.result_value is not None and dialog.repeat_check is not None
    assert dialog.repeat_check.flagged == 1 and len(dialog.repeat_check.tasks_issued) == 1
    with demo_db.read() as conn:
        flagged = conn.execute(text("SELECT is_repeat FROM incident WHERE id = :i"),
                               {"i": dialog.result_value.incident_id}).scalar_one()
    assert flagged


def test_a_first_call_says_there_is_nothing_earlier(qtbot: QtBot, demo_db: Database) -> None:
    dialog = _dialog(qtbot, demo_db)
    dialog.caller_phone.setText("13000000001")
    qtbot.waitUntil(lambda: dialog.history is not None and not dialog.history_busy, timeout=20_000)
    assert dialog.history is not None and dialog.history.empty
    assert not dialog.history_list.isVisible()
    dialog.caller_phone.clear()
    qtbot.waitUntil(lambda: dialog.history is None)
    dialog.reject()

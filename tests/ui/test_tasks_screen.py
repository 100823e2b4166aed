"""The task queues with real widgets over a real demo station and a controlled clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QRadioButton
from pytestqt.qtbot import QtBot

from station_console.app import prepare_application
from station_console.domain.tasks import FieldType, TaskState
from station_console.services.tasks import IssueRequest, TaskService
from station_console.store.database import Database
from station_console.ui.tasks.dialogs import FeedbackDialog, IssueTaskDialog
from station_console.ui.tasks.labels import state_names
from station_console.ui.tasks.pdf import write_task_pdf
from station_console.ui.tasks.tasks_screen import Col, TasksScreen
from tests.conftest import DEMO_END


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(DEMO_END)


@pytest.fixture
def screen(qtbot: QtBot, demo_db: Database, clock: Clock) -> TasksScreen:
    widget = TasksScreen(demo_db, now=clock)
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    return widget


def test_overview_groups_open_tasks_by_officer_overdue_first(screen: TasksScreen) -> None:
    tree = screen.tree
    assert tree.topLevelItemCount() >= 2
    now = screen.now()
    by_id = {r.id: r for r in screen.rows}
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        levels = [by_id[group.child(j).data(0, Qt.ItemDataRole.UserRole)].level(now)
                  for j in range(group.childCount())]
        # Within each officer's group the overdue tasks come first.
        ranks = [{"overdue": 0, "expiring": 1, "ok": 2}[lv.value] for lv in levels]
        assert ranks == sorted(ranks)
    counts = screen.service.counts()
    assert counts.overdue > 0 and str(counts.overdue) in screen.status_label.text()


def test_state_names_fit_their_column_in_english(qtbot: QtBot, qapp: QApplication, demo_db: Database,
                                                clock: Clock) -> None:
    prepare_application(qapp, "en")
    widget = TasksScreen(demo_db, now=clock)
    qtbot.addWidget(widget)
    width = widget.tree.header().sectionSize(Col.STATE)
    for name in state_names().values():
        # Text plus the item's margins: "Awaiting sign-off" was cut to "Awaiting sig…" at 92 px.
        assert widget.tree.fontMetrics().horizontalAdvance(name) + 12 <= width, name
    widget.shutdown()


def test_countdown_ticks_without_reloading_and_alerts_fire(
        screen: TasksScreen, demo_db: Database, clock: Clock) -> None:
    officer = TaskService(demo_db).officers()[0]
    row = TaskService(demo_db, now=clock).issue(IssueRequest("BZ08", officer.id, "出租房屋检查：测试"))
    screen.reload()
    item = screen._items[row.id]
    assert item.text(Col.CLOCK) == "0:30:00"
    reads = []
    screen.service.list_tasks = lambda *a, **k: reads.append(1) or []  # type: ignore[method-assign]
    clock.now += timedelta(minutes=20, seconds=5)
    screen.tick()
    assert item.text(Col.CLOCK) == "0:09:55"
    assert not reads
    notes = [screen.notifications.item(i).text() for i in range(screen.notifications.count())]
    assert any(row.task_no in text for text in notes)
    before = screen.notifications.count()
    clock.now += timedelta(minutes=10)
    screen.tick()
    assert item.text(Col.CLOCK) == "-0:00:05"
    assert screen.notifications.count() == before + 1
    assert row.task_no in screen.notifications.item(0).text()


def test_sign_from_the_queue_and_filter_to_one_officers_queue(
        screen: TasksScreen, demo_db: Database, clock: Clock) -> None:
    officer = TaskService(demo_db).officers()[0]
    row = TaskService(demo_db, now=clock).issue(IssueRequest("BZ08", officer.id, "出租房屋检查：签收"))
    screen.officer_filter.setCurrentIndex(screen.officer_filter.findData(officer.id))
    assert officer.name in screen.heading.text()
    assert {r.assignee_id for r in screen.rows} == {officer.id}
    screen.select_task(row.id)
    assert screen.sign_button.isEnabled() and not screen.review_button.isEnabled()
    screen.sign_selected()
    assert TaskService(demo_db).detail(row.id).row.state == TaskState.SIGNED
    assert screen.selected_id() == row.id and screen.feedback_button.isEnabled()
    assert "出租房屋检查" in screen.detail_view.toPlainText()


def test_feedback_form_is_generated_and_validated(qtbot: QtBot, demo_db: Database) -> None:
    template = TaskService(demo_db).template("BZ08")
    dialog = FeedbackDialog(template, "出租房屋检查", now=DEMO_END)
    qtbot.addWidget(dialog)
    assert {f.type for f in template.fields} >= {FieldType.DATETIME, FieldType.NUMBER, FieldType.PICK_MANY,
                                                 FieldType.YES_NO, FieldType.SHORT_TEXT}
    dialog.accept()
    assert dialog.result() == 0 and dialog.summary.text()
    assert dialog.errors["address"].text()
    dialog.findChild(QLineEdit, "field_address").setText("文澜路 8 号 302 室")
    dialog.findChild(QLineEdit, "field_tenants").setText("three")
    dialog.accept()
    assert dialog.errors["tenants"].text() and not dialog.errors["address"].text()
    dialog.findChild(QLineEdit, "field_tenants").setText("3")
    dialog.findChild(QLineEdit, "field_unregistered").setText("1")
    problems = dialog.findChild(type(dialog.editors["problems"].widget), "field_problems")
    problems.findChildren(QCheckBox)[0].setChecked(True)
    dialog.findChild(type(dialog.editors["registered_now"].widget), "field_registered_now") \
        .findChildren(QRadioButton)[0].setChecked(True)
    dialog.accept()
    assert dialog.result() == 1
    assert dialog.cleaned["tenants"] == 3 and dialog.cleaned["registered_now"] is True
    assert dialog.cleaned["problems"] == ["未登记流动人口"]
    assert dialog.cleaned["checked_at"] == "2026-03-15 10:30"


def test_issue_dialog_proposes_from_an_incident(qtbot: QtBot, demo_db: Database) -> None:
    with demo_db.read() as conn:
        incident_id = conn.exec_driver_sql(
            "SELECT id FROM incident WHERE category_code = '0501' AND community_id IS NOT NULL "
            "ORDER BY received_at DESC LIMIT 1").scalar_one()
    dialog = IssueTaskDialog(demo_db, incident_id)
    qtbot.addWidget(dialog)
    assert dialog.findChild(QComboBox, "templateCombo").currentData() == "BZ01"
    assert dialog.findChild(QComboBox, "officerCombo").currentData() is not None
    dialog.accept()
    assert dialog.issued_task_no.startswith("RW")
    tasks = TaskService(demo_db).tasks_for_incident(incident_id)
    assert dialog.issued_task_no in {t.task_no for t in tasks}


def test_pdf_summary_is_one_page(screen: TasksScreen, tmp_path: Path) -> None:
    task_id = screen.rows[0].id
    target = tmp_path / "task.pdf"
    write_task_pdf(screen.detail_html(screen.service.detail(task_id)), target,
                   produced_by="李建国")
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(b"/Type /Page>") <= 1
    from pypdf import PdfReader

    # Qt embeds CJK glyphs without a text mapping, so the stamp is checked by its Latin parts.
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Produced" in text and f"{datetime.now():%Y-%m-%d}" in text


def test_a_community_officer_opens_on_its_own_queue_and_works_only_its_tasks(
        qtbot: QtBot, demo_db: Database, clock: Clock) -> None:
    from station_console.services.accounts import DEMO_PASSWORD, sign_in

    officers = TaskService(demo_db).officers()
    with demo_db.read() as conn:
        own = conn.exec_driver_sql("SELECT officer_id FROM user_account WHERE username = 'minjing'"
                                   ).scalar_one()
    colleague = next(o.id for o in officers if o.id != own)
    issuer = TaskService(demo_db, now=clock)
    mine = issuer.issue(IssueRequest("BZ08", own, "出租房屋检查：本人")).id
    theirs = issuer.issue(IssueRequest("BZ08", colleague, "出租房屋检查：同事")).id
    sign_in(demo_db, "minjing", DEMO_PASSWORD)
    screen = TasksScreen(demo_db, now=clock)
    qtbot.addWidget(screen)
    assert screen.officer_filter.currentData() == own
    assert screen.rows and {r.assignee_id for r in screen.rows} == {own}
    screen.select_task(mine)
    assert screen.sign_button.isEnabled()
    assert not screen.review_button.isEnabled() and not screen.reassign_button.isEnabled()
    screen.officer_filter.setCurrentIndex(screen.officer_filter.findData(None))
    screen.select_task(theirs)
    assert screen.selected_id() == theirs and not screen.sign_button.isEnabled()

"""The task-template editor with real widgets over a real demo station."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox
from pytestqt.qtbot import QtBot

from station_console.domain.tasks import FieldType, TemplateProblem
from station_console.services.tasks import IssueRequest, TaskService
from station_console.store.database import Database
from station_console.ui.tasks.dialogs import FeedbackDialog
from station_console.ui.tasks.tasks_screen import TasksScreen
from station_console.ui.tasks.template_editor import TemplateEditorDialog, field_type_names, problem_text
from tests.conftest import DEMO_END


@pytest.fixture
def service(demo_db: Database) -> TaskService:
    return TaskService(demo_db, now=lambda: DEMO_END, actor="值班员")


@pytest.fixture
def editor(qtbot: QtBot, service: TaskService) -> TemplateEditorDialog:
    dialog = TemplateEditorDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _pick_type(editor: TemplateEditorDialog, ftype: FieldType) -> None:
    editor.type_combo.setCurrentIndex(editor.type_combo.findData(ftype.value))


def test_lists_every_template_and_shows_the_first(editor: TemplateEditorDialog, service: TaskService) -> None:
    assert editor.template_list.count() == len(service.templates(active_only=False))
    first = service.template("BZ01")
    assert editor.code == "BZ01" and editor.name_edit.text() == first.name
    assert editor.field_list.count() == len(first.fields)
    assert editor.feedback_combo.currentText() == str(first.feedback_limit_h)
    assert not editor.is_dirty()


def test_an_added_field_appears_in_the_feedback_form_of_a_new_task(
        qtbot: QtBot, editor: TemplateEditorDialog, service: TaskService) -> None:
    editor.select_template("BZ02")
    count = editor.field_list.count()
    qtbot.mouseClick(editor.add_field_button, Qt.MouseButton.LeftButton)
    _pick_type(editor, FieldType.PICK_MANY)
    editor.label_edit.setText("邻里反映")
    editor.options_edit.setPlainText("噪音\n漏水\n占道")
    qtbot.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)
    editor.feedback_combo.setCurrentText("5")
    assert editor.is_dirty()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    saved = service.template("BZ02")
    assert len(saved.fields) == count + 1 and saved.feedback_limit_h == 5
    added = saved.fields[count - 1]
    assert (added.label, added.type) == ("邻里反映", FieldType.PICK_MANY)
    assert added.options == ("噪音", "漏水", "占道")
    assert not editor.is_dirty() and "BZ02" in editor.summary.text()

    task = service.issue(IssueRequest("BZ02", service.officers()[0].id, "回访：幸福里3幢"))
    detail = service.detail(task.id)
    form = FeedbackDialog(detail.template, detail.row.title, now=DEMO_END)
    qtbot.addWidget(form)
    boxes = form.findChild(object, f"field_{added.key}").findChildren(QCheckBox)
    assert [b.text() for b in boxes] == ["噪音", "漏水", "占道"]


def test_an_invalid_field_is_refused_and_marked(qtbot: QtBot, editor: TemplateEditorDialog,
                                                service: TaskService) -> None:
    before = service.template("BZ01")
    editor.name_edit.setText("")
    qtbot.mouseClick(editor.add_field_button, Qt.MouseButton.LeftButton)
    _pick_type(editor, FieldType.PICK_ONE)
    editor.options_edit.setPlainText("只有一项")
    editor.feedback_combo.setCurrentText("abc")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    assert service.template("BZ01") == before
    bad_row = len(before.fields)
    assert editor.field_list.currentRow() == bad_row
    assert editor.field_list.item(bad_row).foreground().color().name() == "#b3261e"
    few = problem_text(TemplateProblem("form", bad_row + 1, "few_options", ""))
    assert editor.field_error.isVisible() and editor.field_error.text() == few
    assert editor.part_errors["name"].isVisible() and editor.part_errors["feedback_limit_h"].isVisible()
    assert editor.summary.isVisible() and "3" in editor.summary.text()
    # Only the marked field is wrong: the other fields carry no mark.
    assert editor.field_list.item(0).toolTip() == ""


def test_a_used_template_is_deactivated_and_an_unused_one_deleted(
        editor: TemplateEditorDialog, service: TaskService) -> None:
    used = service.list_tasks()[0].template_code
    editor.select_template(used)
    assert editor.remove_current() == "deactivated"
    assert not service.template(used).active and not editor.active_check.isChecked()
    assert editor.template_list.currentItem().text().endswith(editor.tr("(inactive)"))

    editor.new_template()
    assert editor.code is None and not editor.delete_button.isEnabled()
    editor.name_edit.setText("临时核查")
    assert editor.save()
    new_code = editor.code
    assert new_code == "BZ34" and service.template_usage(new_code) == 0
    assert editor.remove_current() == "deleted"
    assert new_code not in {t.code for t in service.templates(active_only=False)}
    assert editor.code == "BZ01"


def test_field_types_are_all_offered_with_their_options(editor: TemplateEditorDialog) -> None:
    assert [editor.type_combo.itemData(i) for i in range(editor.type_combo.count())] == \
        [t.value for t in field_type_names()]
    _pick_type(editor, FieldType.NUMBER)
    assert editor.min_edit.isEnabled() and not editor.options_edit.isEnabled()
    _pick_type(editor, FieldType.PICK_ONE)
    assert editor.options_edit.isEnabled() and not editor.min_edit.isEnabled()


def test_the_tasks_screen_opens_the_editor_and_shows_renamed_templates(
        qtbot: QtBot, demo_db: Database) -> None:
    screen = TasksScreen(demo_db, now=lambda: DEMO_END)
    qtbot.addWidget(screen)

    def edit_in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, TemplateEditorDialog)
        dialog.name_edit.setText("家庭纠纷回访（加急）")
        assert dialog.save()
        dialog.reject()

    QTimer.singleShot(0, edit_in_dialog)
    qtbot.mouseClick(screen.templates_button, Qt.MouseButton.LeftButton)
    names = [screen.template_filter.itemText(i) for i in range(screen.template_filter.count())]
    assert "BZ01 家庭纠纷回访（加急）" in names

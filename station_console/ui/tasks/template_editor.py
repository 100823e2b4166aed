"""The task-template editor (标准件): the code table's texts, limits, active flag and feedback form.

A station has a few dozen templates; reading and saving one is a single small transaction
(milliseconds), so the editor talks to the service directly. Every save goes through
``TaskService.save_template``, which checks the form with the domain's schema rules; each
problem is shown beside the part or on the form field it concerns.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.tasks import (
    FEEDBACK_LIMITS_H,
    PICK_TYPES,
    FieldType,
    TaskError,
    TemplateProblem,
    new_field_key,
)
from station_console.services.tasks import TaskService, TemplateDraft, TemplateInvalid
from station_console.ui.tasks.labels import refusal_text

ERROR_STYLE = "color: #b3261e;"
ERROR_FG = QColor("#b3261e")
INACTIVE_FG = QColor("#8a9199")
MAX_SIGNOFF_MIN = 24 * 60
# lupdate finds calls named ``translate`` with a literal context.
translate = QCoreApplication.translate


def field_type_names() -> dict[FieldType, str]:
    """Field type -> translated name."""
    return {
        FieldType.PICK_ONE: translate("TemplateEditor", "Pick one"),
        FieldType.PICK_MANY: translate("TemplateEditor", "Pick many"),
        FieldType.YES_NO: translate("TemplateEditor", "Yes / no"),
        FieldType.NUMBER: translate("TemplateEditor", "Number"),
        FieldType.DATETIME: translate("TemplateEditor", "Date and time"),
        FieldType.SHORT_TEXT: translate("TemplateEditor", "Short text"),
        FieldType.LONG_TEXT: translate("TemplateEditor", "Long text"),
    }


def problem_text(p: TemplateProblem) -> str:
    """A translated message for one problem of a template being edited."""
    texts = {
        "no_name": translate("TemplateEditor", "Give the template a name."),
        "name_too_long": translate("TemplateEditor", "The name is too long (at most 60 characters)."),
        "not_positive": translate("TemplateEditor", "Enter a whole number of 1 or more."),
        "empty_form": translate("TemplateEditor", "The feedback form needs at least one field."),
        "not_an_object": translate("TemplateEditor", "The field is damaged; remove it and add it again."),
        "no_label": translate("TemplateEditor", "Give the field a label."),
        "duplicate_key": translate("TemplateEditor", "The field's key is used twice; remove one."),
        "unknown_type": translate("TemplateEditor", "Choose the field's type."),
        "few_options": translate("TemplateEditor", "A pick field needs at least two options, one a line."),
        "blank_option": translate("TemplateEditor", "Remove the blank option lines."),
        "duplicate_options": translate("TemplateEditor", "Each option must be different."),
        "options_not_allowed": translate("TemplateEditor", "Only pick fields have options."),
        "required_not_bool": translate("TemplateEditor", "Tick or untick “Required”."),
        "bad_bounds": translate("TemplateEditor", "Minimum and maximum must be numbers."),
        "min_above_max": translate("TemplateEditor", "The minimum is above the maximum."),
    }
    return texts.get(p.code, p.message)


def _number(text: str) -> int | float | str | None:
    """A bound as typed: a number, None when blank, the text itself when it is no number."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


class TemplateEditorDialog(QDialog):
    """List of templates on the left; the selected one's values and feedback form on the right."""

    def __init__(self, service: TaskService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateEditor")
        self.setWindowTitle(self.tr("Task templates"))
        self.resize(1180, 760)
        self.service = service
        #: The code of the template shown (None: a new one not saved yet).
        self.code: str | None = None
        self.saved: TemplateDraft | None = None
        self.fields: list[dict[str, Any]] = []
        self.field_errors: dict[int, str] = {}
        #: Set when at least one template was saved or deleted (the caller refreshes its lists).
        self.changed = False
        self._loading = False
        self._build()
        self._fill_list()
        if self.template_list.count():
            self.template_list.setCurrentRow(0)

    # layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.template_list = QListWidget()
        self.template_list.setObjectName("templateList")
        self.template_list.currentItemChanged.connect(self._template_picked)
        self.new_button = QPushButton(self.tr("New template"))
        self.new_button.clicked.connect(self.new_template)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.clicked.connect(self.delete_current)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.delete_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.template_list, 1)
        left_layout.addLayout(list_buttons)

        self.code_label = QLabel()
        self.code_label.setObjectName("templateCode")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("templateName")
        self.lead_edit = QLineEdit()
        self.basis_edit = self._text_box()
        self.measures_edit = self._text_box()
        self.standard_edit = self._text_box()
        self.signoff_spin = QSpinBox()
        self.signoff_spin.setRange(1, MAX_SIGNOFF_MIN)
        self.signoff_spin.setSuffix(self.tr(" min"))
        self.feedback_combo = QComboBox()
        self.feedback_combo.setObjectName("feedbackLimit")
        self.feedback_combo.setEditable(True)
        for hours in FEEDBACK_LIMITS_H:
            self.feedback_combo.addItem(str(hours))
        self.active_check = QCheckBox(self.tr("Active (offered when issuing tasks)"))
        self.part_errors = {part: self._error_label() for part in
                            ("name", "signoff_limit_min", "feedback_limit_h", "form")}
        limits = QHBoxLayout()
        limits.addWidget(self.signoff_spin)
        limits.addSpacing(16)
        limits.addWidget(QLabel(self.tr("Feedback within (hours)")))
        limits.addWidget(self.feedback_combo)
        limits.addStretch(1)
        values = QFormLayout()
        values.addRow(self.tr("Code"), self.code_label)
        values.addRow(self.tr("Name"), self._with_error(self.name_edit, "name"))
        values.addRow(self.tr("Lead department"), self.lead_edit)
        values.addRow(self.tr("Basis"), self.basis_edit)
        values.addRow(self.tr("Measures"), self.measures_edit)
        values.addRow(self.tr("Standard"), self.standard_edit)
        values.addRow(self.tr("Sign-off within"), limits)
        values.addRow("", self.part_errors["signoff_limit_min"])
        values.addRow("", self.part_errors["feedback_limit_h"])
        values.addRow("", self.active_check)

        form_box = QGroupBox(self.tr("Feedback form"))
        self.field_list = QListWidget()
        self.field_list.setObjectName("fieldList")
        self.field_list.currentRowChanged.connect(self._field_picked)
        self.add_field_button = QPushButton(self.tr("Add field"))
        self.add_field_button.clicked.connect(self.add_field)
        self.remove_field_button = QPushButton(self.tr("Remove"))
        self.remove_field_button.clicked.connect(self.remove_field)
        self.up_button = QPushButton(self.tr("Up"))
        self.up_button.clicked.connect(lambda: self.move_field(-1))
        self.down_button = QPushButton(self.tr("Down"))
        self.down_button.clicked.connect(lambda: self.move_field(1))
        field_buttons = QHBoxLayout()
        for b in (self.add_field_button, self.remove_field_button, self.up_button, self.down_button):
            field_buttons.addWidget(b)
        fields_left = QVBoxLayout()
        fields_left.addWidget(self.field_list, 1)
        fields_left.addLayout(field_buttons)

        self.type_combo = QComboBox()
        self.type_combo.setObjectName("fieldType")
        for ftype, name in field_type_names().items():
            self.type_combo.addItem(name, ftype.value)
        self.label_edit = QLineEdit()
        self.label_edit.setObjectName("fieldLabel")
        self.required_check = QCheckBox(self.tr("Required"))
        self.options_edit = QPlainTextEdit()
        self.options_edit.setObjectName("fieldOptions")
        self.options_edit.setPlaceholderText(self.tr("One option a line"))
        self.min_edit = QLineEdit()
        self.max_edit = QLineEdit()
        self.field_error = self._error_label()
        self.field_error.setObjectName("fieldError")
        bounds = QHBoxLayout()
        bounds.addWidget(self.min_edit)
        bounds.addWidget(QLabel(self.tr("to")))
        bounds.addWidget(self.max_edit)
        self.field_panel = QWidget()
        field_form = QFormLayout(self.field_panel)
        field_form.setContentsMargins(0, 0, 0, 0)
        field_form.addRow(self.tr("Type"), self.type_combo)
        field_form.addRow(self.tr("Label"), self.label_edit)
        field_form.addRow("", self.required_check)
        field_form.addRow(self.tr("Options"), self.options_edit)
        field_form.addRow(self.tr("Number range"), bounds)
        field_form.addRow("", self.field_error)
        self.type_combo.currentIndexChanged.connect(self._field_edited)
        self.label_edit.textChanged.connect(self._field_edited)
        self.required_check.toggled.connect(self._field_edited)
        self.options_edit.textChanged.connect(self._field_edited)
        self.min_edit.textChanged.connect(self._field_edited)
        self.max_edit.textChanged.connect(self._field_edited)
        form_columns = QHBoxLayout(form_box)
        form_columns.addLayout(fields_left, 1)
        form_columns.addWidget(self.field_panel, 1)

        self.summary = self._error_label()
        self.summary.setObjectName("templateProblems")
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("saveTemplate")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Revert"))
        self.revert_button.clicked.connect(self._revert)
        close_button = QPushButton(self.tr("Close"))
        close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        # Keeps the buttons their natural width while the summary is hidden.
        bottom.addStretch(1)
        for b in (self.save_button, self.revert_button, close_button):
            bottom.addWidget(b)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(values)
        right_layout.addWidget(form_box, 1)
        right_layout.addWidget(self.part_errors["form"])
        right_layout.addLayout(bottom)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([280, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _text_box(self) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setFixedHeight(52)
        return box

    def _error_label(self) -> QLabel:
        label = QLabel()
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        return label

    def _with_error(self, widget: QWidget, part: str) -> QWidget:
        host = QWidget()
        column = QVBoxLayout(host)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(self.part_errors[part])
        return host

    # the template list --------------------------------------------------------------------

    def _fill_list(self, select: str | None = None) -> None:
        self._loading = True
        self.template_list.clear()
        for t in self.service.templates(active_only=False):
            text = f"{t.code}  {t.name}"
            if not t.active:
                text += "  " + self.tr("(inactive)")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, t.code)
            if not t.active:
                item.setForeground(QBrush(INACTIVE_FG))
            self.template_list.addItem(item)
            if t.code == select:
                self.template_list.setCurrentItem(item)
        self._loading = False

    def _template_picked(self, current: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        if self._loading or current is None:
            return
        code = current.data(Qt.ItemDataRole.UserRole)
        if code == self.code:
            return
        if self.is_dirty() and not self._confirm_discard():
            self._loading = True
            self.template_list.setCurrentItem(previous)
            self._loading = False
            return
        self.show_template(code)

    def _confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Unsaved changes"),
            self.tr("The changes to this template are not saved. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def select_template(self, code: str) -> None:
        """Show the template ``code`` (and select it in the list)."""
        for row in range(self.template_list.count()):
            if self.template_list.item(row).data(Qt.ItemDataRole.UserRole) == code:
                self.template_list.setCurrentRow(row)
                return

    def show_template(self, code: str) -> None:
        """Load a template into the editor."""
        self.code = code
        self._load(self.service.template_draft(code))

    def new_template(self) -> None:
        """Start a new template with one field; it gets its code when saved."""
        if self.is_dirty() and not self._confirm_discard():
            return
        self.code = None
        self._loading = True
        self.template_list.clearSelection()
        self.template_list.setCurrentItem(None)
        self._loading = False
        label = self.tr("Result")
        self._load(TemplateDraft(name="", form=({"key": "f1", "label": label, "type": "short_text",
                                                 "required": True},)))
        self.name_edit.setFocus()

    def _load(self, draft: TemplateDraft) -> None:
        self._loading = True
        self.saved = draft
        self.code_label.setText(self.code or self.tr("(new: the code is given when saved)"))
        self.name_edit.setText(draft.name)
        self.lead_edit.setText(draft.lead_department)
        self.basis_edit.setPlainText(draft.basis)
        self.measures_edit.setPlainText(draft.measures)
        self.standard_edit.setPlainText(draft.standard)
        self.signoff_spin.setValue(draft.signoff_limit_min)
        self.feedback_combo.setCurrentText(str(draft.feedback_limit_h))
        self.active_check.setChecked(draft.active)
        self.fields = [dict(f) for f in draft.form]
        self.field_errors = {}
        self._loading = False
        self._show_problems([])
        self._fill_fields(0)
        self.delete_button.setEnabled(self.code is not None)

    # the form's fields --------------------------------------------------------------------

    def _field_text(self, index: int) -> str:
        f = self.fields[index]
        try:
            kind = field_type_names()[FieldType(f.get("type"))]
        except ValueError:
            kind = str(f.get("type"))
        mark = " *" if f.get("required", True) else ""
        return f"{index + 1}. {f.get('label', '')}{mark} · {kind}"

    def _fill_fields(self, select: int) -> None:
        self._loading = True
        self.field_list.clear()
        for index in range(len(self.fields)):
            item = QListWidgetItem(self._field_text(index))
            error = self.field_errors.get(index)
            if error:
                item.setForeground(QBrush(ERROR_FG))
                item.setToolTip(error)
            self.field_list.addItem(item)
        self._loading = False
        if self.fields:
            self.field_list.setCurrentRow(max(0, min(select, len(self.fields) - 1)))
        else:
            self._field_picked(-1)

    def _field_picked(self, row: int) -> None:
        if self._loading:
            return
        self.field_panel.setEnabled(row >= 0)
        self.remove_field_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < len(self.fields) - 1)
        self._loading = True
        f = self.fields[row] if row >= 0 else {}
        index = self.type_combo.findData(f.get("type", FieldType.SHORT_TEXT.value))
        self.type_combo.setCurrentIndex(max(index, 0))
        self.label_edit.setText(str(f.get("label", "")))
        self.required_check.setChecked(bool(f.get("required", True)))
        self.options_edit.setPlainText("\n".join(str(o) for o in f.get("options", ())))
        self.min_edit.setText("" if f.get("min") is None else str(f["min"]))
        self.max_edit.setText("" if f.get("max") is None else str(f["max"]))
        self._loading = False
        self._enable_type_widgets()
        error = self.field_errors.get(row, "")
        self.field_error.setText(error)
        self.field_error.setVisible(bool(error))

    def _enable_type_widgets(self) -> None:
        ftype = FieldType(self.type_combo.currentData())
        self.options_edit.setEnabled(ftype in PICK_TYPES)
        for edit in (self.min_edit, self.max_edit):
            edit.setEnabled(ftype == FieldType.NUMBER)

    def _field_edited(self) -> None:
        row = self.field_list.currentRow()
        if self._loading or row < 0:
            return
        self._enable_type_widgets()
        ftype = FieldType(self.type_combo.currentData())
        f: dict[str, Any] = {"key": self.fields[row]["key"], "label": self.label_edit.text().strip(),
                             "type": ftype.value, "required": self.required_check.isChecked()}
        if ftype in PICK_TYPES:
            f["options"] = [line.strip() for line in self.options_edit.toPlainText().splitlines()
                            if line.strip()]
        if ftype == FieldType.NUMBER:
            for name, edit in (("min", self.min_edit), ("max", self.max_edit)):
                bound = _number(edit.text())
                if bound is not None:
                    f[name] = bound
        self.fields[row] = f
        self.field_list.item(row).setText(self._field_text(row))

    def add_field(self) -> None:
        """Append a short-text field and select it for editing."""
        key = new_field_key(f.get("key", "") for f in self.fields)
        self.fields.append({"key": key, "label": self.tr("New field"), "type": FieldType.SHORT_TEXT.value,
                            "required": True})
        self._shift_errors()
        self._fill_fields(len(self.fields) - 1)
        self.label_edit.selectAll()
        self.label_edit.setFocus()

    def remove_field(self) -> None:
        """Remove the selected field."""
        row = self.field_list.currentRow()
        if row >= 0:
            del self.fields[row]
            self._shift_errors()
            self._fill_fields(row)

    def move_field(self, step: int) -> None:
        """Move the selected field up (-1) or down (+1)."""
        row = self.field_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < len(self.fields):
            return
        self.fields[row], self.fields[target] = self.fields[target], self.fields[row]
        self._shift_errors()
        self._fill_fields(target)

    def _shift_errors(self) -> None:
        # Marks refer to positions; after a change of the list they would point at other fields.
        self.field_errors = {}

    # saving -------------------------------------------------------------------------------

    def draft(self) -> TemplateDraft:
        """The values as entered."""
        text = self.feedback_combo.currentText().strip()
        feedback_h = int(text) if text.isdigit() else 0
        base = self.saved or TemplateDraft(name="")
        return replace(
            base, name=self.name_edit.text().strip(), lead_department=self.lead_edit.text().strip(),
            basis=self.basis_edit.toPlainText().strip(), measures=self.measures_edit.toPlainText().strip(),
            standard=self.standard_edit.toPlainText().strip(), signoff_limit_min=self.signoff_spin.value(),
            feedback_limit_h=feedback_h, active=self.active_check.isChecked(),
            form=tuple(dict(f) for f in self.fields),
        )

    def is_dirty(self) -> bool:
        """Whether the values differ from the ones last loaded or saved."""
        return self.saved is not None and self.draft() != self.saved

    def save(self) -> bool:
        """Save the template; on problems mark each part and field and keep the dialog open."""
        try:
            row = self.service.save_template(self.code, self.draft())
        except TemplateInvalid as exc:
            self._show_problems(exc.problems)
            return False
        except TaskError as exc:
            QMessageBox.warning(self, self.tr("Not saved"), refusal_text(exc))
            return False
        self.changed = True
        self.code = row.code
        self._fill_list(select=row.code)
        self._load(self.service.template_draft(row.code))
        self.summary.setText(self.tr("Saved {code} {name}.").format(code=row.code, name=row.name))
        self.summary.setStyleSheet("color: #1e6b34;")
        self.summary.show()
        return True

    def _show_problems(self, problems: list[TemplateProblem]) -> None:
        for part, label in self.part_errors.items():
            texts = [problem_text(p) for p in problems if p.part == part and p.index is None]
            label.setText(" ".join(texts))
            label.setVisible(bool(texts))
        self.field_errors = {p.index - 1: problem_text(p) for p in problems
                             if p.part == "form" and p.index is not None}
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setText(self.tr("Not saved: {count} problem(s) to correct.").format(count=len(problems)))
        self.summary.setVisible(bool(problems))
        if problems and not self._loading:
            first = min(self.field_errors, default=self.field_list.currentRow())
            self._fill_fields(first)

    def _revert(self) -> None:
        if self.saved is not None:
            self._load(self.saved)

    # deleting -----------------------------------------------------------------------------

    def delete_current(self) -> None:
        """Delete the template shown, or deactivate it when tasks use it (after asking)."""
        if self.code is None:
            return
        used = self.service.template_usage(self.code)
        if used:
            question = self.tr("{count} task(s) were issued from this template, so it cannot be deleted. "
                               "Deactivate it instead? It is then no longer offered when issuing tasks."
                               ).format(count=used)
        else:
            question = self.tr("Delete the template {code}? No task uses it.").format(code=self.code)
        answer = QMessageBox.question(self, self.tr("Delete template"), question)
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_current()

    def remove_current(self) -> str:
        """Delete the template shown, or deactivate it when tasks use it; returns what was done."""
        assert self.code is not None
        code = self.code
        if self.service.template_usage(code):
            self.service.update_template(code, active=False)
            done = "deactivated"
        else:
            self.service.delete_template(code)
            done = "deleted"
            code = ""
        self.changed = True
        self.code = None
        self.saved = None
        self._fill_list(select=code or None)
        if code:
            self.show_template(code)
        elif self.template_list.count():
            self.template_list.setCurrentRow(0)
        return done

"""Dialogs of the task queues: the feedback form built from a template, issuing, reasons, reassigning."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.tasks import (
    FieldType,
    FormField,
    FormProblem,
    TaskError,
    TaskSource,
    validate_answers,
)
from station_console.services.tasks import IssueRequest, OfficerChoice, TaskService, TemplateRow
from station_console.store.database import Database
from station_console.ui.tasks.labels import refusal_text

ERROR_STYLE = "color: #b3261e;"
# lupdate finds calls named ``translate`` with a literal context.
translate = QCoreApplication.translate


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class _FieldEditor:
    """The widget of one form field and how to read and write its answer."""

    def __init__(self, f: FormField, now: datetime, parent: QWidget) -> None:
        self.field = f
        self.widget: QWidget
        self._checks: list[QCheckBox] = []
        self._group: QButtonGroup | None = None
        if f.type == FieldType.PICK_ONE:
            combo = QComboBox(parent)
            combo.addItem(translate("FeedbackDialog", "(choose)"), None)
            for option in f.options:
                combo.addItem(option, option)
            self.widget = combo
        elif f.type == FieldType.PICK_MANY:
            host = QWidget(parent)
            grid = QGridLayout(host)
            grid.setContentsMargins(0, 0, 0, 0)
            for i, option in enumerate(f.options):
                box = QCheckBox(option, host)
                self._checks.append(box)
                grid.addWidget(box, i // 3, i % 3)
            self.widget = host
        elif f.type == FieldType.YES_NO:
            host = QWidget(parent)
            row = QHBoxLayout(host)
            row.setContentsMargins(0, 0, 0, 0)
            self._group = QButtonGroup(host)
            choices = ((1, translate("FeedbackDialog", "Yes")), (0, translate("FeedbackDialog", "No")))
            for value, text in choices:
                button = QRadioButton(text, host)
                self._group.addButton(button, value)
                row.addWidget(button)
            row.addStretch(1)
            self.widget = host
        elif f.type == FieldType.DATETIME:
            edit = QDateTimeEdit(QDateTime(now), parent)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
            self.widget = edit
        elif f.type == FieldType.LONG_TEXT:
            text = QPlainTextEdit(parent)
            text.setFixedHeight(70)
            self.widget = text
        else:
            line = QLineEdit(parent)
            if f.type == FieldType.NUMBER:
                bounds = [b for b in (f.minimum, f.maximum) if b is not None]
                line.setPlaceholderText("–".join(f"{b:g}" for b in bounds))
            self.widget = line
        self.widget.setObjectName(f"field_{f.key}")

    def value(self) -> Any:
        w = self.widget
        if self.field.type == FieldType.PICK_ONE:
            assert isinstance(w, QComboBox)
            return w.currentData()
        if self.field.type == FieldType.PICK_MANY:
            return [b.text() for b in self._checks if b.isChecked()]
        if self.field.type == FieldType.YES_NO:
            assert self._group is not None
            checked = self._group.checkedId()
            return None if checked < 0 else bool(checked)
        if self.field.type == FieldType.DATETIME:
            assert isinstance(w, QDateTimeEdit)
            return w.dateTime().toString("yyyy-MM-dd HH:mm")
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        assert isinstance(w, QLineEdit)
        return w.text()

    def set_value(self, value: Any) -> None:
        w = self.widget
        if value is None:
            return
        if self.field.type == FieldType.PICK_ONE:
            assert isinstance(w, QComboBox)
            w.setCurrentIndex(max(w.findData(value), 0))
        elif self.field.type == FieldType.PICK_MANY:
            for b in self._checks:
                b.setChecked(b.text() in value)
        elif self.field.type == FieldType.YES_NO:
            assert self._group is not None
            button = self._group.button(1 if value else 0)
            button.setChecked(True)
        elif self.field.type == FieldType.DATETIME:
            assert isinstance(w, QDateTimeEdit)
            w.setDateTime(QDateTime.fromString(str(value), "yyyy-MM-dd HH:mm"))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(str(value))
        else:
            assert isinstance(w, QLineEdit)
            w.setText(str(value))


class FeedbackDialog(QDialog):
    """The feedback form (答题卡) generated from a template's schema, checked before it closes."""

    def __init__(self, template: TemplateRow, title: str, *, now: datetime,
                 answers: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedbackDialog")
        self.setWindowTitle(self.tr("Feedback: {title}").format(title=title))
        self.setMinimumSize(620, 560)
        self.template = template
        self.cleaned: dict[str, Any] = {}
        heading = QLabel(f"<b>{template.name}</b> · {template.lead_department}")
        standard = QLabel(self.tr("Standard: {text}").format(text=template.standard))
        standard.setWordWrap(True)
        standard.setStyleSheet("color: #44505c;")
        form_host = QWidget()
        outer = QVBoxLayout(form_host)
        form = QFormLayout()
        outer.addLayout(form)
        # Spare height goes below the last field, not between the fields.
        outer.addStretch(1)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.editors: dict[str, _FieldEditor] = {}
        self.errors: dict[str, QLabel] = {}
        for f in template.fields:
            editor = _FieldEditor(f, now, form_host)
            self.editors[f.key] = editor
            error = QLabel()
            error.setStyleSheet(ERROR_STYLE)
            error.setObjectName(f"error_{f.key}")
            error.hide()
            self.errors[f.key] = error
            cell = QWidget(form_host)
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(editor.widget)
            column.addWidget(error)
            label = f.label + (" *" if f.required else "")
            form.addRow(label, cell)
            if answers:
                editor.set_value(answers.get(f.key))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_host)
        self.summary = QLabel()
        self.summary.setObjectName("feedbackProblems")
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setWordWrap(True)
        self.summary.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(standard)
        layout.addWidget(scroll, 1)
        layout.addWidget(QLabel(self.tr("Fields marked * are required.")))
        layout.addWidget(self.summary)
        layout.addWidget(_buttons(self))

    def answers(self) -> dict[str, Any]:
        """The answers as entered (not yet checked)."""
        return {key: editor.value() for key, editor in self.editors.items()}

    def show_problems(self, problems: list[FormProblem]) -> None:
        """Mark each field with its problem and list them under the form."""
        by_key = {p.key: p for p in problems}
        for key, label in self.errors.items():
            problem = by_key.get(key)
            label.setText(self._problem_text(problem) if problem else "")
            label.setVisible(problem is not None)
        self.summary.setText(self.tr("{count} answer(s) need attention.").format(count=len(problems)))
        self.summary.setVisible(bool(problems))

    def _problem_text(self, p: FormProblem) -> str:
        texts = {
            "required": self.tr("An answer is required."),
            "not_an_option": self.tr("Pick one of the listed options."),
            "not_yes_no": self.tr("Answer yes or no."),
            "not_a_number": self.tr("Enter a number."),
            "too_small": self.tr("The number is too small."),
            "too_large": self.tr("The number is too large."),
            "not_a_datetime": self.tr("Enter a date and time."),
            "multiline": self.tr("Keep it to one line."),
            "too_long": self.tr("The text is too long."),
        }
        return texts.get(p.code, p.message)

    def accept(self) -> None:
        cleaned, problems = validate_answers(self.template.fields, self.answers())
        if problems:
            self.show_problems(problems)
            return
        self.cleaned = cleaned
        super().accept()


class ReasonDialog(QDialog):
    """A required reason (return, cancel)."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.text = QPlainTextEdit()
        self.text.setFixedHeight(90)
        self.hint = QLabel()
        self.hint.setStyleSheet(ERROR_STYLE)
        self.hint.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt))
        layout.addWidget(self.text)
        layout.addWidget(self.hint)
        layout.addWidget(_buttons(self))

    def reason(self) -> str:
        return self.text.toPlainText().strip()

    def accept(self) -> None:
        if not self.reason():
            self.hint.setText(self.tr("Give a reason."))
            self.hint.show()
            return
        super().accept()


def _officer_combo(officers: list[OfficerChoice], selected: int | None, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.addItem(translate("IssueTaskDialog", "(choose the officer)"), None)
    for o in officers:
        combo.addItem(o.label, o.id)
    if selected is not None:
        combo.setCurrentIndex(max(combo.findData(selected), 0))
    return combo


class ReassignDialog(ReasonDialog):
    """Another officer and the reason for the change."""

    def __init__(self, officers: list[OfficerChoice], current: int, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Reassign task"), self.tr("Why is the task reassigned?"), parent)
        self.officer = _officer_combo([o for o in officers if o.id != current], None, self)
        form = QFormLayout()
        form.addRow(self.tr("New officer"), self.officer)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(0, form)

    def officer_id(self) -> int | None:
        data = self.officer.currentData()
        return int(data) if data is not None else None

    def accept(self) -> None:
        if self.officer_id() is None:
            self.hint.setText(self.tr("Choose the officer who takes the task over."))
            self.hint.show()
            return
        super().accept()


class IssueTaskDialog(QDialog):
    """Issue a task, from an incident (template and community officer proposed) or by hand."""

    def __init__(self, db: Database, incident_id: int | None = None, *, service: TaskService | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("issueTaskDialog")
        self.service = service or TaskService(db)
        self.incident_id = incident_id
        self.issued_task_no = ""
        self.setWindowTitle(self.tr("Issue task"))
        self.setMinimumWidth(560)
        self.templates = self.service.templates()
        self.template = QComboBox()
        self.template.setObjectName("templateCombo")
        for t in self.templates:
            self.template.addItem(f"{t.code} {t.name}（{t.feedback_limit_h}h）", t.code)
        self.officer = _officer_combo(self.service.officers(), None, self)
        self.officer.setObjectName("officerCombo")
        self.title_edit = QLineEdit()
        self.detail = QPlainTextEdit()
        self.detail.setFixedHeight(90)
        self.source_label = QLabel(self.tr("Issued by hand"))
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setStyleSheet("color: #44505c;")
        self.hint = QLabel()
        self.hint.setStyleSheet(ERROR_STYLE)
        self.hint.setWordWrap(True)
        self.hint.hide()
        if incident_id is not None:
            proposal = self.service.propose_from_incident(incident_id)
            self.source_label.setText(self.tr("From incident {no} ({community})").format(
                no=proposal.incident_no, community=proposal.community_name or "—"))
            if proposal.template_code:
                self.template.setCurrentIndex(self.template.findData(proposal.template_code))
            if proposal.officer_id is not None:
                self.officer.setCurrentIndex(max(self.officer.findData(proposal.officer_id), 0))
            self.title_edit.setText(proposal.title)
            self.detail.setPlainText(proposal.detail)
            self._community = proposal.community_id
        else:
            self._community = None
        self.template.currentIndexChanged.connect(self._show_template)
        self._show_template()
        form = QFormLayout()
        form.addRow(self.tr("Source"), self.source_label)
        form.addRow(self.tr("Template"), self.template)
        form.addRow("", self.info)
        form.addRow(self.tr("Officer"), self.officer)
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Instructions"), self.detail)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(_buttons(self))

    def _show_template(self) -> None:
        code = self.template.currentData()
        t = next((t for t in self.templates if t.code == code), None)
        if t is None:
            self.info.clear()
            return
        self.info.setText(self.tr("Lead: {dept} · sign-off within {so} min · feedback within {fb} h\n"
                                  "Measures: {measures}").format(
            dept=t.lead_department, so=t.signoff_limit_min, fb=t.feedback_limit_h, measures=t.measures))

    def accept(self) -> None:
        officer = self.officer.currentData()
        if officer is None:
            self.hint.setText(self.tr("Choose the officer who receives the task."))
            self.hint.show()
            return
        request = IssueRequest(
            template_code=str(self.template.currentData()), assignee_id=int(officer),
            title=self.title_edit.text(), detail=self.detail.toPlainText(),
            incident_ids=(self.incident_id,) if self.incident_id is not None else (),
            community_id=self._community,
            source=TaskSource.MANUAL if self.incident_id is None else TaskSource.INCIDENT,
        )
        try:
            row = self.service.issue(request)
        except TaskError as exc:
            self.hint.setText(refusal_text(exc))
            self.hint.show()
            return
        self.issued_task_no = row.task_no
        super().accept()

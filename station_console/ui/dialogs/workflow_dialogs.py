"""Small dialogs of the incident workflow: resolve with an outcome, and free-text prompts
(close feedback, reopen reason, note)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.workflow import OUTCOMES
from station_console.ui.models.incident_labels import outcome_names


class ResolveDialog(QDialog):
    """Resolve: the outcome code (required) and an optional note."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resolveDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.outcome = QComboBox()
        self.outcome.setObjectName("outcomeCombo")
        self.outcome.addItem(self.tr("(choose the outcome)"), "")
        names = outcome_names()
        for code in OUTCOMES:
            self.outcome.addItem(names[code], code)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("Optional note for the timeline"))
        self.note.setFixedHeight(80)
        form = QFormLayout()
        form.addRow(self.tr("Outcome"), self.outcome)
        form.addRow(self.tr("Note"), self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def outcome_code(self) -> str:
        return str(self.outcome.currentData() or "")

    def set_outcome(self, code: str) -> None:
        self.outcome.setCurrentIndex(max(self.outcome.findData(code), 0))

    def note_text(self) -> str:
        return self.note.toPlainText()


class TextDialog(QDialog):
    """A titled prompt for one piece of free text (feedback, reason, note)."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("textDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("dialogText")
        self.editor.setFixedHeight(110)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.editor)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.editor.toPlainText()

"""The import dialog: choose a file and a profile, preview, check, then import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_console.services.importer import (
    ImportCancelled,
    ImportSummary,
    PreviewRow,
    import_feed,
    preview,
)
from station_console.services.importer_profiles import (
    ProfileError,
    parse_profile,
    profile_names,
    profile_path,
    save_profile,
)
from station_console.store.database import Database
from station_console.ui.sync.labels import issue_text, outcome_text
from station_console.ui.workers import Jobs, Progress, Worker

PREVIEW_COLUMNS = ("incident_no", "received_at", "category_code", "priority", "status", "source",
                   "address", "lat", "lon", "community_id", "grid_id", "in_jurisdiction", "caller_phone",
                   "description")
PREVIEW_ROWS = 20


class ImportDialog(QDialog):
    """Import one feed file; every step that reads the file runs on a worker."""

    imported = Signal(object)

    def __init__(self, db: Database, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.db = db
        self.data_dir = data_dir
        self.jobs = Jobs()
        self.setWindowTitle(self.tr("Import an incident feed"))
        self.resize(1100, 720)

        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(self.tr("CSV, TSV, XLSX, JSON or NDJSON file"))
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self._choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(choose)

        self.profile_box = QComboBox()
        self.profile_box.setObjectName("profileBox")
        self.profile_box.addItems(profile_names(data_dir))
        self.profile_box.currentTextChanged.connect(self._load_profile_text)
        save = QPushButton(self.tr("Save profile as…"))
        save.clicked.connect(self._save_profile)
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile_box, 1)
        profile_row.addWidget(save)

        self.accept_valid = QCheckBox(
            self.tr("Import the valid rows and write the rejected ones beside the file"))

        form = QFormLayout()
        form.addRow(self.tr("Feed file"), file_row)
        form.addRow(self.tr("Mapping profile"), profile_row)
        form.addRow("", self.accept_valid)

        self.profile_edit = QPlainTextEdit()
        self.profile_edit.setObjectName("profileEditor")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.profile_edit.setFont(mono)
        self.preview_table = QTableWidget(0, len(PREVIEW_COLUMNS) + 2)
        self.preview_table.setObjectName("previewTable")
        # Problems come right after the line number: they are what the user must read first.
        self.preview_table.setHorizontalHeaderLabels(
            [self.tr("Line"), self.tr("Problems"), *self._column_titles()])
        header = self.preview_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(0, 50)
        header.resizeSection(1, 260)
        header.resizeSection(3, 150)
        self.preview_table.verticalHeader().setVisible(False)
        self.report = QPlainTextEdit()
        self.report.setObjectName("importReport")
        self.report.setReadOnly(True)
        self.report.setPlaceholderText(self.tr("Preview shows the first rows as they will be stored; Check "
                                               "reads the whole file and lists every problem."))
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.preview_table)
        right.addWidget(self.report)
        right.setSizes([420, 220])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.profile_edit)
        split.addWidget(right)
        split.setSizes([330, 770])

        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        self.preview_button = QPushButton(self.tr("Preview"))
        self.check_button = QPushButton(self.tr("Check"))
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        close = QPushButton(self.tr("Close"))
        self.preview_button.clicked.connect(self.run_preview)
        self.check_button.clicked.connect(lambda: self.run_import(dry_run=True))
        self.import_button.clicked.connect(lambda: self.run_import(dry_run=False))
        self.cancel_button.clicked.connect(self._cancel)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        for button in (self.preview_button, self.check_button, self.import_button, self.cancel_button, close):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._load_profile_text(self.profile_box.currentText())

    def _column_titles(self) -> list[str]:
        titles = {
            "incident_no": self.tr("Number"), "received_at": self.tr("Received"),
            "category_code": self.tr("Category"), "priority": self.tr("Priority"),
            "status": self.tr("Status"), "source": self.tr("Source"), "address": self.tr("Address"),
            "lat": self.tr("Latitude"), "lon": self.tr("Longitude"), "community_id": self.tr("Community"),
            "grid_id": self.tr("Grid"), "in_jurisdiction": self.tr("In jurisdiction"),
            "caller_phone": self.tr("Caller phone"), "description": self.tr("Description"),
        }
        return [titles[c] for c in PREVIEW_COLUMNS]

    # inputs -----------------------------------------------------------------------------

    def set_file(self, path: Path) -> None:
        self.file_edit.setText(str(path))

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a feed file"), self.file_edit.text(),
            self.tr("Feeds (*.csv *.tsv *.txt *.xlsx *.json *.ndjson *.jsonl);;All files (*)"))
        if path:
            self.set_file(Path(path))

    def _load_profile_text(self, name: str) -> None:
        if not name:
            return
        try:
            self.profile_edit.setPlainText(profile_path(name, self.data_dir).read_text(encoding="utf-8-sig"))
        except (ProfileError, OSError) as exc:
            self.status.setText(str(exc))

    def _save_profile(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save profile"), self.tr("Profile name:"),
                                        text=self.profile_box.currentText())
        if not ok or not name.strip():
            return
        try:
            save_profile(name.strip(), self.profile_edit.toPlainText(), self.data_dir)
        except (ProfileError, OSError) as exc:
            self.status.setText(self.tr("The profile was not saved: {error}").format(error=exc))
            return
        if self.profile_box.findText(name.strip()) < 0:
            self.profile_box.addItem(name.strip())
        self.profile_box.setCurrentText(name.strip())
        self.status.setText(self.tr("Profile {name} saved.").format(name=name.strip()))

    def _inputs(self) -> tuple[Path, Any] | None:
        path = Path(self.file_edit.text().strip())
        if not self.file_edit.text().strip() or not path.is_file():
            self.status.setText(self.tr("Choose an existing feed file first."))
            return None
        try:
            profile = parse_profile(self.profile_edit.toPlainText(),
                                    self.profile_box.currentText() or "edited")
        except ProfileError as exc:
            self.status.setText(self.tr("The profile cannot be used: {error}").format(error=exc))
            return None
        return path, profile

    # work -------------------------------------------------------------------------------

    def _busy(self, busy: bool) -> None:
        for button in (self.preview_button, self.check_button, self.import_button):
            button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)

    def _start(self, fn: Callable[[Progress], Any], finished: Callable[[Any], None]) -> Worker:

        def done(result: Any) -> None:
            self._busy(False)
            finished(result)

        def failed(exc: BaseException, _trace: str) -> None:
            self._busy(False)
            if isinstance(exc, ImportCancelled):
                self.status.setText(self.tr("Cancelled; the database is as it was."))
            else:
                self.status.setText(self.tr("The import failed: {error}").format(error=exc))

        def on_progress(done_units: int, total: int) -> None:
            self.progress.setMaximum(max(1, total))
            self.progress.setValue(min(done_units, max(1, total)))

        self._busy(True)
        self.progress.setValue(0)
        return self.jobs.start(fn, done, failed, on_progress)

    def _cancel(self) -> None:
        self.jobs.cancel_all()

    def run_preview(self) -> Worker | None:
        """Show the first rows as they will be stored, with their problems."""
        inputs = self._inputs()
        if inputs is None:
            return None
        path, profile = inputs
        db = self.db
        self.status.setText(self.tr("Reading the first rows…"))
        return self._start(lambda _p: preview(db, path, profile, PREVIEW_ROWS), self._show_preview)

    def _show_preview(self, rows: list[PreviewRow]) -> None:
        table = self.preview_table
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = [str(row.line), "; ".join(issue_text(i) for i in row.issues),
                      *(_cell(row.values.get(c)) for c in PREVIEW_COLUMNS)]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if row.issues:
                    item.setForeground(Qt.GlobalColor.darkRed)
                table.setItem(r, c, item)
        bad = sum(1 for row in rows if row.issues)
        self.status.setText(self.tr("Preview of {count} rows; {bad} with problems.").format(
            count=len(rows), bad=bad))

    def run_import(self, dry_run: bool) -> Worker | None:
        """Check (dry run) or import the whole file on a worker, with progress and cancel."""
        inputs = self._inputs()
        if inputs is None:
            return None
        path, profile = inputs
        db, accept = self.db, self.accept_valid.isChecked()
        self.status.setText((self.tr("Checking {name}…") if dry_run
                             else self.tr("Importing {name}…")).format(name=path.name))
        return self._start(
            lambda p: import_feed(db, path, profile, dry_run=dry_run, accept_valid=accept, progress=p.report),
            self._show_summary)

    def _show_summary(self, summary: ImportSummary) -> None:
        self.status.setText(self.tr(
            "{outcome}: read {read}, inserted {inserted}, updated {updated}, unchanged {unchanged}, "
            "rejected {rejected}; {outside} outside the jurisdiction.").format(
            outcome=outcome_text(summary.outcome), read=summary.read, inserted=summary.inserted,
            updated=summary.updated, unchanged=summary.unchanged, rejected=summary.rejected,
            outside=summary.outside_jurisdiction))
        lines = [issue_text(i) for i in summary.issues]
        if summary.repeats_flagged:
            lines.append(self.tr("{count} calls flagged as repeat calls.").format(
                count=summary.repeats_flagged))
        if summary.repeats_unchecked:
            lines.append(self.tr(
                "{count} calls are older than the repeat window and were not checked for repeat calls: "
                "scan them with Closed loops → Repeat calls → Scan history.").format(
                count=summary.repeats_unchecked))
        if summary.issue_count > len(summary.issues):
            lines.append(self.tr("… and {count} more problems").format(
                count=summary.issue_count - len(summary.issues)))
        if summary.unknown_categories:
            lines.append(self.tr("Unknown categories: {values}").format(values=", ".join(
                f"{k} ({v})" for k, v in summary.unknown_categories.items())))
        if summary.rejects_file:
            lines.append(self.tr("Rejected rows were written to {path}").format(path=summary.rejects_file))
        self.report.setPlainText("\n".join(lines) if lines else self.tr("No problems."))
        self.imported.emit(summary)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ")
    return str(value).replace("\n", " ⏎ ")

"""The security policy tab (security officer): passwords, lockout, idle lock, audit retention,
and the archive-then-purge of audit records older than the retention."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.security import POLICY_FIELDS, POLICY_MINIMUMS, PasswordPolicy, PermissionDenied
from station_console.services.accounts import AccountError, load_policy, save_policy
from station_console.services.audit import AuditService
from station_console.store.database import Database
from station_console.ui.admin.accounts_tab import error_text, show_error
from station_console.ui.admin.labels import policy_field_names
from station_console.ui.workers import Jobs, Progress

#: Highest values the spin boxes offer (the minimums come from the domain).
POLICY_MAXIMUMS = {"min_length": 64, "min_classes": 4, "expiry_days": 3650, "history": 24,
                   "max_failures": 20, "lockout_minutes": 1440, "idle_lock_minutes": 480,
                   "audit_retention_days": 3650 * 3}


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class PurgeDialog(QDialog):
    """Choose the archive file and the date before which audit records are archived and removed."""

    def __init__(self, retention_days: int, *, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Archive and purge audit records"))
        self.setMinimumWidth(520)
        latest = (today or date.today()) - timedelta(days=retention_days)
        layout = QVBoxLayout(self)
        note = QLabel(self.tr(
            "Records older than the chosen date are first written to the archive file (CSV with "
            "their hashes), then removed. Records of the last {days} days are always kept.")
            .format(days=retention_days))
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.before = QDateEdit(_qdate(latest))
        self.before.setCalendarPopup(True)
        self.before.setDisplayFormat("yyyy-MM-dd")
        self.before.setMaximumDate(_qdate(latest))
        form.addRow(self.tr("Purge records before:"), self.before)
        row = QHBoxLayout()
        self.archive = QLineEdit()
        self.archive.setReadOnly(True)
        self.archive.setPlaceholderText(self.tr("choose the archive file first"))
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self._choose)
        row.addWidget(self.archive, 1)
        row.addWidget(choose)
        form.addRow(self.tr("Archive file:"), row)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Archive and purge"))
        self.ok_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.archive.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text)))

    def _choose(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Archive file"),
            f"audit-archive-before-{_pydate(self.before.date()):%Y%m%d}.csv",
            self.tr("CSV files (*.csv)"))
        if name:
            self.set_archive(Path(name))

    def set_archive(self, path: Path) -> None:
        self.archive.setText(str(path))

    def cutoff(self) -> datetime:
        return datetime.combine(_pydate(self.before.date()), time())

    def archive_path(self) -> Path:
        return Path(self.archive.text())


class PolicyTab(QWidget):
    """The password policy's fields as spin boxes with their minimums; save stores them."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.audit = AuditService(db)
        self.jobs = Jobs()
        layout = QVBoxLayout(self)
        box = QGroupBox(self.tr("Passwords, sign-in and sessions"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        labels = policy_field_names()
        self.spins: dict[str, QSpinBox] = {}
        for name in POLICY_FIELDS:
            spin = QSpinBox()
            spin.setRange(POLICY_MINIMUMS[name], POLICY_MAXIMUMS[name])
            spin.setFixedWidth(120)
            spin.setToolTip(self.tr("At least {minimum}").format(minimum=POLICY_MINIMUMS[name]))
            self.spins[name] = spin
            form.addRow(labels[name], spin)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Revert"))
        self.revert_button.clicked.connect(self.load)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        layout.addWidget(box)

        retention = QGroupBox(self.tr("Audit retention"))
        v = QVBoxLayout(retention)
        note = QLabel(self.tr(
            "Audit records are kept at least as many days as set above. Older records can be "
            "archived to a file and then removed; the chain stays verifiable."))
        note.setWordWrap(True)
        v.addWidget(note)
        row = QHBoxLayout()
        self.purge_button = QPushButton(self.tr("Archive and purge…"))
        self.purge_button.clicked.connect(self.purge)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        row.addWidget(self.purge_button)
        row.addWidget(self.progress)
        row.addStretch(1)
        v.addLayout(row)
        layout.addWidget(retention)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def activated(self) -> None:
        self.load()

    def shutdown(self) -> None:
        self.jobs.wait()

    @property
    def busy(self) -> bool:
        return self.jobs.busy

    def load(self) -> None:
        for name, value in asdict(load_policy(self.db)).items():
            self.spins[name].setValue(int(value))

    def policy(self) -> PasswordPolicy:
        return PasswordPolicy(**{name: spin.value() for name, spin in self.spins.items()})

    def save(self) -> None:
        try:
            save_policy(self.db, self.policy())
        except (AccountError, PermissionDenied) as exc:
            show_error(self, self.tr("The policy was not saved"), exc)
            return
        self.status.setText(self.tr("The security policy is saved."))

    # retention --------------------------------------------------------------------------

    def purge(self) -> None:
        dialog = PurgeDialog(load_policy(self.db).audit_retention_days, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.start_purge(dialog.cutoff(), dialog.archive_path())

    def start_purge(self, cutoff: datetime, archive: Path) -> None:
        """Archive and remove the records before ``cutoff`` in the background."""
        if self.jobs.busy:
            return
        self.purge_button.setEnabled(False)
        self.progress.show()
        self.status.setText(self.tr("Archiving and purging audit records…"))

        def work(_progress: Progress) -> int:
            return self.audit.purge_before(cutoff, archive)

        def done(count: int) -> None:
            self._purge_ended()
            self.status.setText(self.tr(
                "{count} audit records before {date} were archived to {file} and removed.")
                .format(count=count, date=f"{cutoff:%Y-%m-%d}", file=archive))

        def failed(exc: BaseException, _trace: str) -> None:
            self._purge_ended()
            self.status.setText(self.tr("Nothing was purged: {error}").format(
                error=error_text(exc)))
            QMessageBox.warning(self, self.tr("Archive and purge"), self.status.text())

        self.jobs.start(work, done, failed)

    def _purge_ended(self) -> None:
        self.purge_button.setEnabled(True)
        self.progress.hide()

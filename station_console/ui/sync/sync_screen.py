"""The data exchange screen: feed import, the drop folder (监听目录), change packages and backups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_console.services.backup import (
    ROTATING_PATTERN,
    BackupCancelled,
    BackupResult,
    backup_database,
    backup_rotating,
    restore_database,
)
from station_console.services.changes import (
    SEALED_SUFFIX,
    ApplyResult,
    ExportOptions,
    ExportResult,
    PackageError,
    SyncCancelled,
    SyncSetupError,
    apply_package,
    export_package,
    list_conflicts,
    list_peers,
    load_key,
    mark_reviewed,
    station_id,
    station_key_if_any,
)
from station_console.services.crypto import KeyFile
from station_console.services.feeds import InboxResult, StableFiles, inbox_files, process_inbox_file
from station_console.services.importer import ImportSummary
from station_console.services.importer_profiles import ProfileError, load_profile, profile_names
from station_console.store.database import Database
from station_console.ui.models.incident_labels import status_names
from station_console.ui.sync.import_dialog import ImportDialog
from station_console.ui.sync.labels import outcome_text
from station_console.ui.sync.package_dialogs import KeysDialog, package_error_text
from station_console.ui.widgets.screen import HeaderLabel, Screen
from station_console.ui.workers import Jobs, Worker

# How often the drop folder is looked at; a file must look the same twice to be taken.
INBOX_POLL_MS = 2000
BACKUP_CHECK_MS = 10 * 60 * 1000
BACKUP_EVERY = timedelta(hours=24)


class DropFolderWatcher(QObject):
    """Imports files that land in an inbox folder once they stop growing, one at a time."""

    processed = Signal(object)

    def __init__(self, db: Database, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.data_dir = data_dir
        self.inbox: Path | None = None
        self.profile_name = ""
        self.stable = StableFiles()
        self.jobs = Jobs()
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda _path: self.poll())
        self.timer = QTimer(self)
        self.timer.setInterval(INBOX_POLL_MS)
        self.timer.timeout.connect(self.poll)

    def start(self, inbox: Path, profile_name: str) -> None:
        """Watch ``inbox``; files already there are handled too."""
        self.stop()
        inbox.mkdir(parents=True, exist_ok=True)
        self.inbox, self.profile_name = inbox, profile_name
        self.watcher.addPath(str(inbox))
        self.timer.start()
        self.poll()

    def stop(self) -> None:
        self.timer.stop()
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        self.inbox = None

    @property
    def running(self) -> bool:
        return self.inbox is not None

    def poll(self) -> None:
        """Take the next file that has finished arriving (others wait for the next look)."""
        if self.inbox is None or self.jobs.busy:
            return
        ready = self.stable.ready(inbox_files(self.inbox))
        if not ready:
            return
        path = ready[0]
        self.stable.forget(path)
        try:
            profile, error = load_profile(self.profile_name, self.data_dir), ""
        except ProfileError as exc:
            profile, error = None, str(exc)
        db = self.db

        def done(result: Any) -> None:
            self.processed.emit(result)
            self.poll()

        self.jobs.start(lambda _p: process_inbox_file(db, path, profile, error), done,
                        lambda exc, _trace: self.processed.emit(exc))


class SyncScreen(Screen):
    """Feeds in, backups out; the drop folder runs while the console is open."""

    screen_id = "sync"
    data_changed = Signal()

    def __init__(self, db: Database, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncScreen")
        self.db = db
        self.settings = settings
        self.data_dir = Path(settings.fileName()).resolve().parent
        self.jobs = Jobs()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(HeaderLabel(self.title()))

        feed_box = QGroupBox(self.tr("Feed import"))
        import_button = QPushButton(self.tr("Import a feed file…"))
        import_button.setObjectName("importButton")
        import_button.clicked.connect(self.open_import_dialog)
        feed_help = QLabel(self.tr("CSV, TSV, XLSX, JSON or NDJSON exported by upstream systems, in UTF-8 or "
                                   "GBK. A mapping profile says which column is which; a file with "
                                   "problems is rejected whole and the database is left unchanged."))
        feed_help.setWordWrap(True)
        feed_layout = QHBoxLayout(feed_box)
        feed_layout.addWidget(feed_help, 1)
        feed_layout.addWidget(import_button)

        inbox_box = QGroupBox(self.tr("Drop folder"))
        self.inbox_edit = QLineEdit(str(settings.value("sync/inbox", str(self.data_dir / "inbox"))))
        self.inbox_edit.setObjectName("inboxFolder")
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse_inbox)
        self.inbox_profile = QComboBox()
        self.inbox_profile.setObjectName("inboxProfile")
        self.inbox_profile.addItems(profile_names(self.data_dir))
        self.inbox_profile.setCurrentText(str(settings.value("sync/inbox_profile", "110-csv")))
        self.inbox_on = QCheckBox(self.tr("Watch the folder"))
        self.inbox_on.setObjectName("inboxWatch")
        self.inbox_on.toggled.connect(self._toggle_inbox)
        self.inbox_log = QListWidget()
        self.inbox_log.setObjectName("inboxLog")
        grid = QGridLayout(inbox_box)
        grid.addWidget(QLabel(self.tr("Folder")), 0, 0)
        grid.addWidget(self.inbox_edit, 0, 1)
        grid.addWidget(browse, 0, 2)
        grid.addWidget(QLabel(self.tr("Profile")), 1, 0)
        grid.addWidget(self.inbox_profile, 1, 1)
        grid.addWidget(self.inbox_on, 1, 2)
        hint = QLabel(self.tr("Files are imported once they have finished arriving, then moved to "
                              "processed/ or failed/ with a report beside them."))
        hint.setWordWrap(True)
        grid.addWidget(hint, 2, 0, 1, 3)
        grid.addWidget(self.inbox_log, 3, 0, 1, 3)

        backup_box = QGroupBox(self.tr("Backups"))
        backup_now = QPushButton(self.tr("Back up now…"))
        backup_now.clicked.connect(self._backup_dialog)
        restore = QPushButton(self.tr("Restore from a backup…"))
        restore.clicked.connect(self._restore_dialog)
        self.backup_folder = QLineEdit(
            str(settings.value("sync/backup_folder", str(self.data_dir / "backups"))))
        self.backup_folder.setObjectName("backupFolder")
        self.auto_backup = QCheckBox(
            self.tr("Daily automatic backup into this folder (the newest 7 are kept)"))
        self.auto_backup.setChecked(settings.value("sync/auto_backup", "false") == "true")
        self.auto_backup.toggled.connect(lambda on: self.settings.setValue("sync/auto_backup", "true" if on
                                                                           else "false"))
        self.backup_status = QLabel()
        self.backup_status.setObjectName("backupStatus")
        self.backup_status.setWordWrap(True)
        bgrid = QGridLayout(backup_box)
        bgrid.addWidget(QLabel(self.tr("Folder")), 0, 0)
        bgrid.addWidget(self.backup_folder, 0, 1)
        bgrid.addWidget(backup_now, 0, 2)
        bgrid.addWidget(self.auto_backup, 1, 1)
        bgrid.addWidget(restore, 1, 2)
        bgrid.addWidget(self.backup_status, 2, 0, 1, 3)

        layout.addWidget(feed_box)
        layout.addWidget(inbox_box, 1)
        layout.addWidget(self._package_box())
        layout.addWidget(backup_box)

        self.watcher = DropFolderWatcher(db, self.data_dir, self)
        self.watcher.processed.connect(self._on_inbox_result)
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.backup_if_due)
        self.backup_timer.start()
        if settings.value("sync/inbox_on", "false") == "true":
            self.inbox_on.setChecked(True)

    def title(self) -> str:
        return self.tr("Data exchange")

    # change packages -------------------------------------------------------------------

    def _package_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Change packages with other stations"))
        self.peer_combo = QComboBox()
        self.peer_combo.setObjectName("packagePeer")
        self.peer_combo.setMinimumWidth(180)
        export = QPushButton(self.tr("Export package…"))
        export.setObjectName("exportPackage")
        export.clicked.connect(self._export_dialog)
        apply = QPushButton(self.tr("Apply package…"))
        apply.setObjectName("applyPackage")
        apply.clicked.connect(self._apply_dialog)
        keys = QPushButton(self.tr("Keys and peers…"))
        keys.setObjectName("keysButton")
        keys.clicked.connect(self.open_keys_dialog)
        self.mask_personal = QCheckBox(self.tr("Mask personal data"))
        self.mask_personal.setObjectName("maskPersonal")
        self.mask_personal.setToolTip(self.tr("Callers' names, phone and ID numbers are masked in "
                                              "the package, for a peer without clearance."))
        self.encrypt = QCheckBox(self.tr("Encrypt for the peer"))
        self.encrypt.setObjectName("encryptPackage")
        self.encrypt.setChecked(True)
        self.encrypt.setToolTip(self.tr("Only the peer's station can read the package (its card "
                                        "must carry an encryption key)."))
        self.package_status = QLabel()
        self.package_status.setObjectName("packageStatus")
        self.package_status.setWordWrap(True)
        self.conflict_list = QListWidget()
        self.conflict_list.setObjectName("conflictList")
        self.conflict_list.setMaximumHeight(110)
        reviewed = QPushButton(self.tr("Mark reviewed"))
        reviewed.clicked.connect(self._mark_reviewed)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Peer")))
        row.addWidget(self.peer_combo)
        row.addWidget(self.mask_personal)
        row.addWidget(self.encrypt)
        row.addWidget(export)
        row.addStretch(1)
        row.addWidget(apply)
        row.addWidget(keys)
        self.conflict_label = QLabel()
        conflicts = QHBoxLayout()
        conflicts.addWidget(self.conflict_list, 1)
        conflicts.addWidget(reviewed, 0, Qt.AlignmentFlag.AlignTop)
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(row)
        box_layout.addWidget(self.package_status)
        box_layout.addWidget(self.conflict_label)
        box_layout.addLayout(conflicts)
        self.refresh_packages()
        return box

    def refresh_packages(self) -> None:
        """Peers in the combo box, unreviewed conflicts in the list."""
        current = self.peer_combo.currentText()
        self.peer_combo.clear()
        peers = list_peers(self.db)
        self.peer_combo.addItems([p.name for p in peers])
        names = {p.station_id: p.name for p in peers}
        names[station_id(self.db)] = self.tr("this station")
        statuses = status_names()
        if current:
            self.peer_combo.setCurrentText(current)
        self.conflict_list.clear()
        found = list_conflicts(self.db, limit=200)
        self.conflict_label.setText(
            self.tr("Conflicts to review: {count} (the newer version was kept; the other is listed "
                    "here)").format(count=len(found)) if found else self.tr("No conflicts to review."))
        for c in found:
            if c.lost_deleted:
                lost = self.tr("a deletion")
            else:
                data = c.lost_data or {}
                status = str(data.get("status", ""))
                lost = self.tr("status {status}, {description}").format(
                    status=statuses.get(status, status), description=str(data.get("description", ""))[:40])
            item = QListWidgetItem(self.tr("{number}: kept the version of {kept} ({kept_at}); not kept: "
                                           "{lost} from {lost_origin} ({lost_at})").format(
                number=c.row_key, kept=names.get(c.kept_origin, c.kept_origin), kept_at=c.kept_at,
                lost=lost, lost_origin=names.get(c.lost_origin, c.lost_origin), lost_at=c.lost_at))
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.conflict_list.addItem(item)

    def _mark_reviewed(self) -> None:
        ids = [int(item.data(Qt.ItemDataRole.UserRole)) for item in self.conflict_list.selectedItems()]
        if ids:
            mark_reviewed(self.db, ids)
            self.refresh_packages()

    def open_keys_dialog(self) -> KeysDialog:
        dialog = KeysDialog(self.db, self.data_dir, self)
        dialog.finished.connect(lambda _result: self.refresh_packages())
        dialog.show()
        return dialog

    def _package_folder(self) -> Path:
        return Path(str(self.settings.value("sync/package_folder", str(self.data_dir / "packages"))))

    def _export_dialog(self) -> None:
        peer = self.peer_combo.currentText()
        if not peer:
            self.package_status.setText(self.tr("No trusted peer yet: register one under Keys and peers."))
            return
        folder = self._package_folder()
        suffix = SEALED_SUFFIX if self.encrypt.isChecked() else ".zip"
        default = folder / f"{peer}-{datetime.now():%Y%m%d-%H%M%S}{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export package to"), str(default),
                                              self.tr("Change package (*{suffix})").format(suffix=suffix))
        if path:
            self.settings.setValue("sync/package_folder", str(Path(path).parent))
            self.export_package_to(Path(path), peer)

    def export_package_to(self, path: Path, peer: str) -> Worker | None:
        """Write the changes for ``peer`` on a worker, with progress and cancel."""
        try:
            key = load_key(self.data_dir)
        except SyncSetupError as exc:
            self.package_status.setText(str(exc))
            return None
        db = self.db
        options = ExportOptions(mask_personal=self.mask_personal.isChecked(),
                                encrypt=self.encrypt.isChecked())

        def done(result: ExportResult) -> None:
            self.package_status.setText(
                self.tr("Package {sequence} for {peer} written: {rows} changed incidents, {deleted} "
                        "deletions, {events} events → {path}").format(
                    sequence=result.sequence, peer=result.peer, rows=result.rows,
                    deleted=result.tombstones, events=result.events, path=result.path))
            self.refresh_packages()

        return self._run_package(
            lambda p: export_package(db, path, peer, key, options=options, progress=p.report),
            self.tr("Writing the package for {peer}…").format(peer=peer), done)

    def _apply_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Apply package"), str(self._package_folder()),
                                              self.tr("Change package (*{sealed} *.zip)").format(
                                                  sealed=SEALED_SUFFIX))
        if path:
            self.apply_package_from(Path(path))

    def apply_package_from(self, path: Path) -> Worker | None:
        """Verify and apply a package on a worker, with progress and cancel."""
        db = self.db
        try:
            key = station_key_if_any(self.data_dir)
        except SyncSetupError as exc:
            self.package_status.setText(str(exc))
            return None

        def done(r: ApplyResult) -> None:
            self.package_status.setText(
                self.tr("{name}: package {sequence} from {peer} applied: {rows} rows, inserted "
                        "{inserted}, updated {updated}, deleted {deleted}, unchanged {unchanged}, "
                        "conflicts {conflicts}, new events {events}").format(
                    name=path.name, sequence=r.sequence, peer=r.peer, rows=r.rows, inserted=r.inserted,
                    updated=r.updated, deleted=r.deleted, unchanged=r.unchanged, conflicts=r.conflicts,
                    events=r.events_inserted))
            self.refresh_packages()
            if r.inserted or r.updated or r.deleted:
                self.data_changed.emit()

        return self._run_package(lambda p: apply_package(db, path, key=key, progress=p.report),
                                 self.tr("Applying {name}…").format(name=path.name), done)

    def _run_package(self, fn: Callable[[Any], Any], label: str,
                     finished: Callable[[Any], None]) -> Worker:
        dialog = QProgressDialog(label, self.tr("Cancel"), 0, 100, self)
        dialog.setObjectName("packageProgress")
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)

        def done(result: Any) -> None:
            dialog.close()
            finished(result)

        def failed(exc: BaseException, _trace: str) -> None:
            dialog.close()
            if isinstance(exc, SyncCancelled):
                self.package_status.setText(self.tr("Cancelled; nothing was changed or written."))
            elif isinstance(exc, PackageError):
                self.package_status.setText(self.tr("Refused, nothing applied: {reason}").format(
                    reason=package_error_text(exc)))
            else:
                self.package_status.setText(self.tr("Failed: {error}").format(error=exc))

        def on_progress(done_units: int, total: int) -> None:
            dialog.setMaximum(max(1, total))
            dialog.setValue(min(done_units, max(1, total)))

        worker = self.jobs.start(fn, done, failed, on_progress)
        dialog.canceled.connect(worker.progress.cancel)
        return worker

    # import ----------------------------------------------------------------------------

    def open_import_dialog(self, path: Path | None = None) -> ImportDialog:
        """Open the import dialog (non-modal, so the board stays usable)."""
        dialog = ImportDialog(self.db, self.data_dir, self)
        if path is not None:
            dialog.set_file(path)
        dialog.imported.connect(self._on_import)
        dialog.show()
        return dialog

    def _on_import(self, summary: ImportSummary) -> None:
        if summary.inserted or summary.updated:
            self.data_changed.emit()

    # drop folder -----------------------------------------------------------------------

    def _browse_inbox(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the drop folder"),
                                                  self.inbox_edit.text())
        if folder:
            self.inbox_edit.setText(folder)

    def _toggle_inbox(self, on: bool) -> None:
        self.settings.setValue("sync/inbox_on", "true" if on else "false")
        self.settings.setValue("sync/inbox", self.inbox_edit.text())
        self.settings.setValue("sync/inbox_profile", self.inbox_profile.currentText())
        self.inbox_edit.setEnabled(not on)
        self.inbox_profile.setEnabled(not on)
        if on:
            try:
                self.watcher.start(Path(self.inbox_edit.text()).expanduser(),
                                   self.inbox_profile.currentText())
            except OSError as exc:
                self.inbox_log.insertItem(0, self.tr("Cannot watch the folder: {error}").format(error=exc))
                self.inbox_on.setChecked(False)
        else:
            self.watcher.stop()

    def _on_inbox_result(self, result: Any) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        if isinstance(result, InboxResult):
            if result.summary is not None:
                s = result.summary
                text = self.tr("{time} {name}: {outcome}; inserted {inserted}, updated {updated}, "
                               "unchanged {unchanged}, rejected {rejected} → {folder}").format(
                    time=stamp, name=result.name, outcome=outcome_text(s.outcome), inserted=s.inserted,
                    updated=s.updated, unchanged=s.unchanged, rejected=s.rejected,
                    folder=result.moved_to.parent.name)
                if s.inserted or s.updated:
                    self.data_changed.emit()
            else:
                text = self.tr("{time} {name}: not imported ({error}) → {folder}").format(
                    time=stamp, name=result.name, error=result.error, folder=result.moved_to.parent.name)
        else:
            text = self.tr("{time} drop folder problem: {error}").format(time=stamp, error=result)
        self.inbox_log.insertItem(0, text)

    # backups ---------------------------------------------------------------------------

    def _run(self, fn: Callable[[Any], Any], label: str, finished: Callable[[Any], None]) -> Worker:
        dialog = QProgressDialog(label, self.tr("Cancel"), 0, 100, self)
        dialog.setObjectName("backupProgress")
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)

        def done(result: Any) -> None:
            dialog.close()
            finished(result)

        def failed(exc: BaseException, _trace: str) -> None:
            dialog.close()
            if isinstance(exc, BackupCancelled):
                self.backup_status.setText(self.tr("Backup cancelled; no file was written."))
            else:
                self.backup_status.setText(self.tr("Failed: {error}").format(error=exc))

        def on_progress(done_units: int, total: int) -> None:
            dialog.setMaximum(max(1, total))
            dialog.setValue(min(done_units, max(1, total)))

        worker = self.jobs.start(fn, done, failed, on_progress)
        dialog.canceled.connect(worker.progress.cancel)
        return worker

    def _backup_done(self, result: BackupResult) -> None:
        self.backup_status.setText(
            self.tr("Backup written, verified and encrypted (key {key_id}): {path} ({incidents} incidents).")
            .format(key_id=result.key_id, path=result.path, incidents=result.incidents))

    def _backup_key(self) -> KeyFile | None:
        """Backups are encrypted with the key file beside the database (created on first use)."""
        return KeyFile.beside(self.db.path) if self.db.path is not None else None

    def backup_to(self, path: Path) -> Worker:
        """Back up to an encrypted file on a worker, with progress and cancel."""
        db, key = self.db, self._backup_key()
        return self._run(lambda p: backup_database(db, path, progress=p.report, secret=key),
                         self.tr("Backing up to {name}…").format(name=path.name), self._backup_done)

    def _backup_dialog(self) -> None:
        folder = Path(self.backup_folder.text()).expanduser()
        default = folder / f"station-{datetime.now():%Y%m%d-%H%M%S}.db.enc"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Back up to"), str(default),
                                              self.tr("Encrypted backup (*.enc)"))
        if path:
            self.settings.setValue("sync/backup_folder", str(Path(path).parent))
            self.backup_to(Path(path))

    def backup_if_due(self) -> Worker | None:
        """The automatic backup: when switched on and the newest backup is a day old."""
        if not self.auto_backup.isChecked() or self.jobs.busy:
            return None
        folder = Path(self.backup_folder.text()).expanduser()
        newest = max((p.stat().st_mtime for p in folder.glob(ROTATING_PATTERN)), default=0.0)
        if datetime.now() - datetime.fromtimestamp(newest) < BACKUP_EVERY:
            return None
        db, key = self.db, self._backup_key()
        return self._run(lambda p: backup_rotating(db, folder, progress=p.report, secret=key),
                         self.tr("Automatic backup…"), self._backup_done)

    def _restore_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Restore from"), self.backup_folder.text(),
                                              self.tr("Backup (*.enc *.db *.bak)"))
        if not path:
            return
        answer = QMessageBox.question(
            self, self.tr("Restore"),
            self.tr("Replace everything in the database with {name}? A copy of the current database is "
                    "kept beside it first.").format(name=Path(path).name))
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_from(Path(path))

    def restore_from(self, path: Path) -> Worker | None:
        """Restore a verified backup (the current database is copied first)."""
        if self.db.path is None:
            return None
        db = self.db
        target = db.path

        def work(_p: Any) -> Path:
            # Connections of the pool would keep reading the old pages: drop them first.
            db.engine.dispose()
            kept = restore_database(target, path, secret=KeyFile.beside(target))
            Database.open(target).close()
            return kept

        def done(kept: Path) -> None:
            self.backup_status.setText(self.tr("Restored {name}; the previous database was kept as {kept}.")
                                       .format(name=path.name, kept=kept))
            self.data_changed.emit()

        return self._run(work, self.tr("Restoring {name}…").format(name=path.name), done)

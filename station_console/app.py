"""Composition root of the GUI: builds the application, the store and the main window."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QSettings, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from station_console import APP_NAME, __version__
from station_console.config import Paths, resource_path
from station_console.domain.security import ANONYMOUS
from station_console.services.accounts import has_accounts
from station_console.services.station import StationProfile, station_profile
from station_console.store.database import Database, StoreError
from station_console.ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, install_cjk_font, install_translators
from station_console.ui.main_window import MainWindow
from station_console.ui.session import ChangePasswordDialog, FirstAccountsDialog, SignInDialog
from station_console.ui.smoke import SmokeRecorder, run_smoke
from station_console.ui.workers import Progress, run_in_background


def prepare_web_engine() -> None:
    """What QtWebEngine (the map) needs before the QApplication exists."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to run its sandbox as root (CI, some station installs).
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        # No GPU and no GL context offscreen: render the web view in software from the start
        # instead of letting Qt try OpenGL and Vulkan first (and warn about both).
        os.environ.setdefault("QT_QUICK_BACKEND", "software")
        os.environ.setdefault("QSG_RHI_BACKEND", "null")
    import PySide6.QtWebEngineWidgets  # noqa: F401  (must be imported before QApplication)

    from station_console.ui.map.tiles import register_tile_scheme

    register_tile_scheme()


def create_application() -> QApplication:
    """The QApplication (reused when one exists, as under pytest-qt)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        prepare_web_engine()
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setWindowIcon(QIcon(str(resource_path("icons", "station_console.png"))))
    return app


def open_settings(paths: Paths) -> QSettings:
    """Per-installation UI settings (window state, language), an INI file in the data folder."""
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    return QSettings(str(paths.settings_file), QSettings.Format.IniFormat)


def prepare_application(app: QApplication, language: str) -> None:
    """Translations, the bundled CJK font and the style sheet."""
    install_translators(app, language)
    install_cjk_font(app)
    app.setStyleSheet(resource_path("qss", "console.qss").read_text(encoding="utf-8"))


def open_station_database(db_path: Path | str) -> Database:
    """Open the database; on first run (no file yet) build the demo station with progress.

    A server's database (a URL) is opened as it is: it is created with the 'demo' command.
    """
    if isinstance(db_path, str) or db_path.exists():
        return Database.open(db_path)
    db = Database.open(db_path, create=True)
    try:
        build_demo_with_progress(db)
    except BaseException:
        db.close()
        raise
    return db


def build_demo_with_progress(db: Database) -> None:
    """Generate the demo station in the background while a progress dialog shows how far it got."""
    from station_console.services.demo import DemoCancelled, generate_demo

    dialog = QProgressDialog(
        QApplication.translate("App", "Building the demo station on first start…"),
        QApplication.translate("App", "Cancel"), 0, 100,
    )
    dialog.setWindowTitle(QApplication.translate("App", "Station Console"))
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    loop = QEventLoop()
    outcome: dict[str, object] = {}

    def work(progress: Progress) -> None:
        generate_demo(db, progress=progress.report)

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)

    def on_failed(exc: BaseException, _trace: str) -> None:
        outcome["error"] = exc
        loop.quit()

    worker = run_in_background(
        work, finished=lambda _result: loop.quit(), failed=on_failed, progress=on_progress
    )
    dialog.canceled.connect(worker.progress.cancel)
    dialog.show()
    loop.exec()
    dialog.close()
    error = outcome.get("error")
    if isinstance(error, DemoCancelled):
        raise StoreError(
            QApplication.translate("App", "Building the demo station was cancelled; {path} was "
                                   "left empty.").format(path=db.label)
        )
    if isinstance(error, BaseException):
        raise error


def run_gui(db_path: Path | str, paths: Paths, *, smoke: bool = False, language: str | None = None,
            started: float | None = None, shots: Path | None = None) -> int:
    """Run the main window until it closes (or, with ``smoke``, visit every screen and exit;
    ``shots`` is a folder for a screenshot of each screen on the way)."""
    started = time.perf_counter() if started is None else started
    recorder = SmokeRecorder() if smoke else None
    app = create_application()
    settings = open_settings(paths)
    chosen = language or str(settings.value("ui/language", DEFAULT_LANGUAGE))
    chosen = chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE
    prepare_application(app, chosen)
    try:
        db = open_station_database(db_path)
    except StoreError as exc:
        print(f"station-console: {exc}", file=sys.stderr)
        if not smoke:
            QMessageBox.critical(
                None, QApplication.translate("App", "Station Console"),
                QApplication.translate("App", "The database cannot be opened; nothing was changed.")
                + "\n\n" + str(exc),
            )
        return 2
    try:
        profile = station_profile(db)
        if recorder is not None:
            if not (profile and profile.is_demo):
                print("station-console: gui --smoke runs on a demo database only (it signs in "
                      "as no one); give --db a demo database.", file=sys.stderr)
                return 2
            window = MainWindow(db, profile, settings)
            try:
                return run_smoke(app, window, recorder, started, shots=shots, language=chosen)
            finally:
                dispose(window)
        return run_signed_in(app, db, profile, settings)
    finally:
        db.close()


def dispose(window: MainWindow) -> None:
    """Delete the window (and its map page) now, while the application still exists.

    Left to the interpreter's exit, the web engine's profile can go before the map's page
    ("Release of profile requested but WebEnginePage still not deleted") and the process
    crashes on its way out.
    """
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def run_signed_in(app: QApplication, db: Database, profile: StationProfile | None,
                  settings: QSettings) -> int:
    """Sign in, run the window; after a sign-out, ask for the next person's sign-in."""
    if not has_accounts(db) and not FirstAccountsDialog(db).exec():
        return 0
    while True:
        db.identity = ANONYMOUS
        dialog = SignInDialog(db, station_name=profile.name if profile else "",
                              demo=bool(profile and profile.is_demo))
        if not dialog.exec() or dialog.result_ is None:
            return 0
        signed = dialog.result_
        if signed.must_change_password or signed.password_expired:
            reason = (QApplication.translate("App", "This is an initial password: choose your own "
                                             "before you go on.")
                      if signed.must_change_password else
                      QApplication.translate("App", "Your password has expired: choose a new "
                                             "one before you go on."))
            if not ChangePasswordDialog(db, reason=reason).exec():
                return 0
        window = MainWindow(db, profile, settings)
        window.show()
        code = app.exec()
        signed_out = window.signed_out
        dispose(window)
        if not signed_out:
            return code

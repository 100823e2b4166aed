"""The main window: navigation between screens, menus and the status bar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QDateTime, QLocale, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from station_console import __version__
from station_console.domain.security import Identity, Perm
from station_console.services.audit import Action, log
from station_console.services.district import is_district
from station_console.services.station import StationProfile
from station_console.store.database import Database
from station_console.ui.admin.admin_screen import AdminScreen
from station_console.ui.board.board_screen import BoardScreen
from station_console.ui.dashboard.dashboard_screen import dashboard_screen_for
from station_console.ui.district.district_screen import district_screen_for
from station_console.ui.i18n import LANGUAGES
from station_console.ui.loops.loops_screen import LoopsScreen
from station_console.ui.map.map_screen import map_screen_for
from station_console.ui.session import ChangePasswordDialog, IdleLock, identity_label
from station_console.ui.sync.sync_screen import SyncScreen
from station_console.ui.tasks.tasks_screen import TasksScreen
from station_console.ui.widgets.screen import Screen


@dataclass(frozen=True)
class ScreenSpec:
    """A place in the navigation, how to build its screen and who may open it (any of)."""

    screen_id: str
    factory: Callable[[MainWindow], Screen]
    needs: frozenset[Perm] = frozenset({Perm.VIEW_INCIDENTS})

    def allowed(self, identity: Identity) -> bool:
        return bool(identity.permissions & self.needs)


class MainWindow(QMainWindow):
    """The console's one window. Screens are built once and kept; switching is instant."""

    screen_changed = Signal(str)

    def __init__(self, db: Database, station: StationProfile | None, settings: QSettings) -> None:
        super().__init__()
        self.db = db
        self.station = station
        self.settings = settings
        #: Set when the person signed out (the application shows the sign-in again).
        self.signed_out = False
        self.setObjectName("mainWindow")
        self.setMinimumSize(1024, 680)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(148)
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stack = QStackedWidget()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.screens: dict[str, Screen] = {}
        for spec in self.screen_specs():
            if not spec.allowed(db.identity):
                continue
            screen = spec.factory(self)
            self.screens[spec.screen_id] = screen
            self.stack.addWidget(screen)
            item = QListWidgetItem(screen.title())
            item.setData(Qt.ItemDataRole.UserRole, spec.screen_id)
            item.setSizeHint(QSize(140, 46))
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._on_nav_row)

        self._build_menus()
        self._build_status_bar()
        self.idle_lock = IdleLock(db, self)
        self._restore_state()

    def screen_specs(self) -> list[ScreenSpec]:
        """The screens, in navigation order."""
        return [
            ScreenSpec("board", lambda window: BoardScreen(window.db, window.settings, window.statusBar())),
            ScreenSpec("map", map_screen_for),
            ScreenSpec("tasks", lambda window: TasksScreen(window.db, window.statusBar())),
            ScreenSpec("loops", lambda window: LoopsScreen(window.db)),
            ScreenSpec("dashboard", dashboard_screen_for, frozenset({Perm.VIEW_DASHBOARD})),
            *([ScreenSpec("district", district_screen_for, frozenset({Perm.VIEW_DASHBOARD}))]
              if is_district(self.db) else []),
            ScreenSpec("sync", lambda window: SyncScreen(window.db, window.settings),
                       frozenset({Perm.IMPORT, Perm.EXPORT, Perm.BACKUP, Perm.MANAGE_KEYS})),
            ScreenSpec("admin", lambda window: AdminScreen(window.db), frozenset({
                Perm.MANAGE_ACCOUNTS, Perm.ASSIGN_ROLES, Perm.SECURITY_POLICY, Perm.READ_AUDIT})),
        ]

    # navigation -------------------------------------------------------------------------

    def show_screen(self, screen_id: str) -> Screen:
        """Bring a screen to the front (as the navigation does) and return it."""
        row = list(self.screens).index(screen_id)
        self.nav.setCurrentRow(row)
        return self.screens[screen_id]

    def current_screen_id(self) -> str:
        return list(self.screens)[self.stack.currentIndex()]

    def _on_nav_row(self, row: int) -> None:
        if row < 0:
            return
        screen_id = list(self.screens)[row]
        screen = self.screens[screen_id]
        self.stack.setCurrentWidget(screen)
        screen.activated()
        self._update_title(screen)
        self.screen_changed.emit(screen_id)

    def _update_title(self, screen: Screen) -> None:
        station = self.station.name if self.station else self.tr("No station")
        self.setWindowTitle(
            self.tr("Station Console") + f" — {station} — {screen.title()}"
        )

    # menus ------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        lock_action = QAction(self.tr("&Lock the console"), self)
        lock_action.setObjectName("lockAction")
        lock_action.setShortcut(QKeySequence("Ctrl+L"))
        lock_action.triggered.connect(lambda: self.idle_lock.lock())
        file_menu.addAction(lock_action)
        password_action = QAction(self.tr("Change &password…"), self)
        password_action.triggered.connect(self._change_password)
        password_action.setEnabled(self.db.identity.account_id is not None)
        file_menu.addAction(password_action)
        sign_out = QAction(self.tr("Sign &out"), self)
        sign_out.setObjectName("signOutAction")
        sign_out.triggered.connect(self._sign_out)
        sign_out.setEnabled(self.db.identity.account_id is not None)
        file_menu.addAction(sign_out)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        for index, (screen_id, screen) in enumerate(self.screens.items(), start=1):
            action = QAction(screen.title(), self)
            action.setShortcut(QKeySequence(f"Ctrl+{index}"))
            action.triggered.connect(lambda _=False, sid=screen_id: self.show_screen(sid))
            view_menu.addAction(action)

        settings_menu = self.menuBar().addMenu(self.tr("&Settings"))
        language_menu = settings_menu.addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        names = {"zh_CN": "中文（简体）", "en": "English"}
        current = self.settings.value("ui/language", "zh_CN")
        for code in LANGUAGES:
            action = QAction(names[code], self, checkable=True)
            action.setChecked(code == current)
            action.setData(code)
            group.addAction(action)
            language_menu.addAction(action)
        group.triggered.connect(self._on_language)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About Station Console"), self)
        about.triggered.connect(self._show_about)
        help_menu.addAction(about)

    def _change_password(self) -> None:
        if ChangePasswordDialog(self.db, parent=self).exec():
            QMessageBox.information(self, self.tr("Change password"),
                                    self.tr("Your password was changed."))

    def _sign_out(self) -> None:
        """Close the window; the application then asks for a sign-in again."""
        self.signed_out = True
        log(self.db, Action.LOGOUT, object_type="user_account",
            object_id=self.db.identity.account_id or "")
        self.close()

    def _on_language(self, action: QAction) -> None:
        code = str(action.data())
        if code == self.settings.value("ui/language", "zh_CN"):
            return
        self.settings.setValue("ui/language", code)
        QMessageBox.information(
            self, self.tr("Language"),
            self.tr("The new language is used from the next start of the console."),
        )

    def _show_about(self) -> None:
        QMessageBox.about(
            self, self.tr("About Station Console"),
            "\n".join([
                self.tr("Station Console {version}").format(version=__version__),
                self.tr("The comprehensive command room workstation of a police station."),
                self.tr("Database: {path}").format(path=self.db.label),
            ]),
        )

    # status bar -------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.station_label = QLabel(self.station.name if self.station else self.tr("No station"))
        self.station_label.setObjectName("statusStation")
        demo = self.tr("demo data") if self.station and self.station.is_demo else ""
        self.db_label = QLabel(self.tr("Database: {path}").format(path=self.db.label)
                               + (f"  ({demo})" if demo else ""))
        self.db_label.setToolTip(self.db.label)
        self.clock_label = QLabel()
        self.clock_label.setObjectName("statusClock")
        self.user_label = QLabel(identity_label(self.db.identity))
        self.user_label.setObjectName("statusUser")
        bar.addWidget(self.station_label)
        bar.addWidget(self.db_label, 1)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.clock_label)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._tick()

    def _tick(self) -> None:
        now = QDateTime.currentDateTime()
        self.clock_label.setText(QLocale().toString(now, "yyyy-MM-dd HH:mm:ss dddd"))

    # state ------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 800)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        last = str(self.settings.value("window/screen", "board"))
        self.show_screen(last if last in self.screens else next(iter(self.screens)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.idle_lock.watch(self.windowHandle())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/screen", self.current_screen_id())
        self.settings.sync()
        self._clock.stop()
        self.idle_lock.stop()
        for screen in self.screens.values():
            screen.shutdown()
        super().closeEvent(event)

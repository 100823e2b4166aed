"""Signing in, changing a password, the first accounts and the idle lock.

The sign-in runs before the main window exists. The idle lock covers the whole screen with an
application-modal window: whatever the operator had open (a half-typed intake form, a dialog)
stays as it was underneath and is there again after the password is given.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.security import Identity, Role
from station_console.services.accounts import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    AccountError,
    AccountProblem,
    AccountService,
    LoginError,
    Problem,
    SignIn,
    change_password,
    load_policy,
    sign_in,
    unlock_session,
)
from station_console.services.audit import Action, log
from station_console.store.database import Database


def role_label(role: Role | None) -> str:
    """The role's name in the interface language."""
    return {
        Role.OPERATOR: QApplication.translate("Session", "Duty operator"),
        Role.LEADER: QApplication.translate("Session", "Duty leader / chief"),
        Role.COMMUNITY: QApplication.translate("Session", "Community officer"),
        Role.SYSADMIN: QApplication.translate("Session", "System administrator"),
        Role.SECURITY: QApplication.translate("Session", "Security officer"),
        Role.AUDITOR: QApplication.translate("Session", "Auditor"),
    }.get(role, QApplication.translate(
        "Session", "System")) if role else QApplication.translate("Session", "System")


def identity_label(identity: Identity) -> str:
    name = identity.display_name or identity.username
    return f"{name} ({role_label(identity.role)})"


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("formError")
    label.setWordWrap(True)
    label.hide()
    return label


def _show_error(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setVisible(bool(message))


class SignInDialog(QDialog):
    """User name and password; on a demo database also the demo accounts to try."""

    def __init__(self, db: Database, *, station_name: str, demo: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.result_: SignIn | None = None
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Station Console — sign in"))
        layout = QVBoxLayout(self)
        heading = QLabel(station_name or self.tr("Station Console"))
        heading.setObjectName("screenHeader")
        layout.addWidget(heading)
        form = QFormLayout()
        self.username = QLineEdit()
        self.username.setObjectName("signInUser")
        self.password = QLineEdit()
        self.password.setObjectName("signInPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Quit"))
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if demo:
            layout.addWidget(self._demo_accounts())
        self.username.setFocus()

    def _demo_accounts(self) -> QWidget:
        box = QFrame()
        box.setObjectName("demoAccounts")
        inner = QVBoxLayout(box)
        note = QLabel(self.tr("Demo database: every demo account's password is {password}. "
                              "Double-click an account to fill it in.").format(
                                  password=DEMO_PASSWORD))
        note.setWordWrap(True)
        inner.addWidget(note)
        table = QTableWidget(len(DEMO_ACCOUNTS), 2)
        table.setObjectName("demoAccountTable")
        table.setHorizontalHeaderLabels([self.tr("User name"), self.tr("Role")])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, (username, _display, role) in enumerate(DEMO_ACCOUNTS):
            table.setItem(row, 0, QTableWidgetItem(username))
            table.setItem(row, 1, QTableWidgetItem(role_label(role)))
        table.horizontalHeader().setStretchLastSection(True)
        table.resizeColumnsToContents()
        table.setMinimumHeight(table.verticalHeader().length() + 32)

        def fill(row: int, _col: int) -> None:
            self.username.setText(DEMO_ACCOUNTS[row][0])
            self.password.setText(DEMO_PASSWORD)
            self.password.setFocus()

        table.cellDoubleClicked.connect(fill)
        inner.addWidget(table)
        return box

    def try_sign_in(self) -> None:
        try:
            self.result_ = sign_in(self.db, self.username.text(), self.password.text())
        except LoginError as exc:
            self.password.clear()
            _show_error(self.error, problem_text(exc))
            return
        self.accept()


def problem_text(exc: AccountProblem) -> str:
    """Why a sign-in or account change was refused, in the interface language."""
    p = exc.params
    if exc.problem is Problem.PASSWORD_WEAK:
        weak = {
            "length": QApplication.translate("Session", "at least {n} characters"),
            "classes": QApplication.translate(
                "Session", "at least {k} of: lower case, upper case, digits, symbols"),
            "username": QApplication.translate("Session", "must not contain the user name"),
        }
        needs = QApplication.translate("Session", "; ").join(
            weak[w].format(n=p["n"], k=p["k"]) for w in p["weaknesses"])  # type: ignore[attr-defined]
        return QApplication.translate("Session", "The password needs {needs}.").format(needs=needs)
    texts = {
        Problem.WRONG_CREDENTIALS: QApplication.translate("Session", "Wrong user name or password."),
        Problem.DISABLED: QApplication.translate(
            "Session", "This account is disabled. Ask the system administrator."),
        Problem.LOCKED: QApplication.translate(
            "Session", "This account is locked after repeated failures until "
                           "{until}. Try again then, or ask the system administrator to unlock it."),
        Problem.LOCKED_NOW: QApplication.translate("Session", "Wrong password. The account is now locked for "
                               "{minutes} minutes."),
        Problem.ACCOUNT_GONE: QApplication.translate(
            "Session", "The account no longer exists or is disabled."),
        Problem.WRONG_PASSWORD: QApplication.translate("Session", "Wrong password."),
        Problem.WRONG_CURRENT: QApplication.translate("Session", "The current password is wrong."),
        Problem.PASSWORD_REUSED: QApplication.translate(
            "Session", "The new password must differ from the last "
                                    "{history}."),
        Problem.BAD_USERNAME: QApplication.translate(
            "Session", "A user name is letters, digits, '.', '_' or '-' only."),
        Problem.USERNAME_TAKEN: QApplication.translate(
            "Session", "There is already an account '{username}'."),
        Problem.NO_ACCOUNT: QApplication.translate("Session", "There is no account {account}."),
        Problem.OWN_ROLE: QApplication.translate("Session", "Nobody may change their own role."),
        Problem.OWN_DISABLE: QApplication.translate("Session", "You cannot disable your own account."),
        Problem.SETTING_MINIMUM: QApplication.translate("Session", "{setting} must be at least {minimum}."),
        Problem.TOKEN_FILE: QApplication.translate(
            "Session", "Cannot read the token file {path}: it holds one line, "
                               "'user name:token', as the administrator saved it."),
    }
    return texts[exc.problem].format(**p)


class ChangePasswordDialog(QDialog):
    """Change the signed-in account's password (forced after an initial or expired one)."""

    def __init__(self, db: Database, *, reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("changePasswordDialog")
        self.setWindowTitle(self.tr("Change password"))
        layout = QVBoxLayout(self)
        if reason:
            why = QLabel(reason)
            why.setWordWrap(True)
            layout.addWidget(why)
        policy = load_policy(db)
        rules = QLabel(self.tr("At least {n} characters and {k} of: lower case, upper case, "
                               "digits, symbols; not one of your last {h} passwords.").format(
                                   n=policy.min_length, k=policy.min_classes, h=policy.history))
        rules.setWordWrap(True)
        layout.addWidget(rules)
        form = QFormLayout()
        self.old = QLineEdit()
        self.new = QLineEdit()
        self.again = QLineEdit()
        for name, edit in (("oldPassword", self.old), ("newPassword", self.new),
                           ("repeatPassword", self.again)):
            edit.setObjectName(name)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Current password"), self.old)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("New password again"), self.again)
        layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_change)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def try_change(self) -> None:
        if self.new.text() != self.again.text():
            _show_error(self.error, self.tr("The two new passwords differ."))
            return
        try:
            change_password(self.db, self.old.text(), self.new.text())
        except AccountError as exc:
            _show_error(self.error, problem_text(exc))
            return
        self.accept()


class FirstAccountsDialog(QDialog):
    """A database without accounts (made before accounts existed): create the three
    administrative accounts that level-3 rules keep apart."""

    ROLES = (Role.SYSADMIN, Role.SECURITY, Role.AUDITOR)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("firstAccountsDialog")
        self.setWindowTitle(self.tr("Create the first accounts"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "This database has no accounts yet. Create the system administrator, the security "
            "officer and the auditor; the administrator then creates the duty accounts."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.fields: dict[Role, tuple[QLineEdit, QLineEdit]] = {}
        for role in self.ROLES:
            user, password = QLineEdit(), QLineEdit()
            user.setObjectName(f"user_{role.value}")
            password.setObjectName(f"password_{role.value}")
            password.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(role_label(role) + " — " + self.tr("user name"), user)
            form.addRow(role_label(role) + " — " + self.tr("password"), password)
            self.fields[role] = (user, password)
        layout.addLayout(form)
        self.error = _error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_create)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def try_create(self) -> None:
        names = [user.text().strip() for user, _pw in self.fields.values()]
        if len(set(names)) != len(names) or not all(names):
            _show_error(self.error, self.tr("Give three different user names."))
            return
        service = AccountService(self.db)
        try:
            for role, (user, password) in self.fields.items():
                service.create(user.text().strip(), role_label(role), role,
                               password=password.text(), must_change=False)
        except AccountError as exc:
            _show_error(self.error, problem_text(exc))
            return
        self.accept()


class LockScreen(QDialog):
    """Covers the console while the operator is away; only their password opens it again."""

    unlocked = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.db = db
        self.setObjectName("lockScreen")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        panel = QFrame()
        panel.setObjectName("lockPanel")
        panel.setMaximumWidth(420)
        inner = QVBoxLayout(panel)
        title = QLabel(self.tr("The console is locked"))
        title.setObjectName("screenHeader")
        inner.addWidget(title)
        who = QLabel(self.tr("Signed in: {who}. Enter your password to go on; your work "
                             "is kept as you left it.").format(who=identity_label(db.identity)))
        who.setWordWrap(True)
        inner.addWidget(who)
        self.password = QLineEdit()
        self.password.setObjectName("unlockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.returnPressed.connect(self.try_unlock)
        inner.addWidget(self.password)
        self.error = _error_label()
        inner.addWidget(self.error)
        row = QVBoxLayout()
        row.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        row.addWidget(panel)
        outer.addLayout(row)
        outer.addStretch(2)

    def try_unlock(self) -> None:
        try:
            unlock_session(self.db, self.password.text())
        except LoginError as exc:
            self.password.clear()
            _show_error(self.error, problem_text(exc))
            return
        self.password.clear()
        _show_error(self.error, "")
        self.accept()
        self.unlocked.emit()

    def reject(self) -> None:
        """Escape does not open a locked console."""


class IdleLock(QObject):
    """Locks the console after the policy's idle minutes without keyboard or mouse input.

    Input is watched on the application's top-level windows (each ``QWindow`` as it first gets
    the focus), not with an application-wide filter: every event of every object would then
    pass through Python, and PySide6 re-enters such a filter while it wraps a new object.
    """

    locked = Signal()

    INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                              QEvent.Type.MouseMove, QEvent.Type.Wheel,
                              QEvent.Type.TouchBegin})

    def __init__(self, db: Database, window: QWidget, *,
                 clock: Callable[[], datetime] = datetime.now, check_ms: int = 5000) -> None:
        super().__init__(window)
        self.db = db
        self.window = window
        self.clock = clock
        self.last_input = clock()
        self.idle_minutes = load_policy(db).idle_lock_minutes
        self.screen: LockScreen | None = None
        self._watched: set[int] = set()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(check_ms)
        QGuiApplication.instance().focusWindowChanged.connect(self.watch)  # type: ignore[union-attr]
        if window.windowHandle() is not None:
            self.watch(window.windowHandle())

    def watch(self, target: QWindow | None) -> None:
        """Count input to this top-level window as activity."""
        key = id(target)
        if target is None or key in self._watched:
            return
        self._watched.add(key)
        target.installEventFilter(self)
        target.destroyed.connect(lambda _=None: self._watched.discard(key))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.INPUT_EVENTS and self.screen is None:
            self.last_input = self.clock()
        return False

    def check(self) -> None:
        if self.screen is None and (self.clock() - self.last_input).total_seconds() \
                >= self.idle_minutes * 60:
            self.lock()

    def lock(self) -> None:
        """Lock now (the menu's Lock command, or idle time reached)."""
        if self.screen is not None:
            return
        log(self.db, Action.SESSION_LOCK, object_type="user_account",
            object_id=self.db.identity.account_id or "")
        self.screen = LockScreen(self.db, self.window)
        self.screen.unlocked.connect(self._on_unlocked)
        geometry = self.window.screen().geometry() if self.window.screen() else None
        if geometry is not None and self.window.isVisible():
            self.screen.setGeometry(geometry)
        self.screen.show()
        self.screen.password.setFocus()
        self.locked.emit()

    def _on_unlocked(self) -> None:
        screen, self.screen = self.screen, None
        self.last_input = self.clock()
        if screen is not None:
            screen.deleteLater()

    def stop(self) -> None:
        self.timer.stop()
        app = QGuiApplication.instance()
        if app is not None:
            app.focusWindowChanged.disconnect(self.watch)  # type: ignore[attr-defined]

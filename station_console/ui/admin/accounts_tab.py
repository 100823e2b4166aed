"""The accounts tab: who may sign in, with what role, and the administrator's actions on them.

The system administrator creates accounts for the business roles, resets passwords, unlocks and
disables; only the security officer changes roles (三员分立). A new password or a service
account's token is shown once, in a dialog that can copy it (or save the token to a file), and
is never kept by the screen.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.security import BUSINESS_ROLES, Perm, PermissionDenied, Role
from station_console.services.accounts import (
    Account,
    AccountError,
    AccountProblem,
    AccountService,
    token_line,
)
from station_console.services.tasks import TaskService
from station_console.store.database import Database
from station_console.ui.admin.labels import refusal_text, role_names
from station_console.ui.session import problem_text

ACCOUNT_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMN_WIDTHS = (120, 200, 150, 220, 90, 140, 140)


def error_text(exc: BaseException) -> str:
    """What to tell the user about a refused change."""
    if isinstance(exc, PermissionDenied):
        return refusal_text(exc)
    if isinstance(exc, AccountProblem):
        return problem_text(exc)
    return str(exc)


def show_error(parent: QWidget, title: str, exc: BaseException) -> None:
    QMessageBox.warning(parent, title, error_text(exc))


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else "—"


class SecretDialog(QDialog):
    """Shows a new password or token once, with a copy button (and for a token, save to file)."""

    def __init__(self, title: str, explanation: str, secret: str, *, token_of: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.secret = secret
        self.username = token_of
        layout = QVBoxLayout(self)
        note = QLabel(explanation)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.field = QLineEdit(secret)
        self.field.setReadOnly(True)
        self.field.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.field.setMinimumWidth(460)
        layout.addWidget(self.field)
        row = QHBoxLayout()
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.clicked.connect(self.copy)
        row.addWidget(self.copy_button)
        self.save_button: QPushButton | None = None
        if token_of:
            self.save_button = QPushButton(self.tr("Save token to file…"))
            self.save_button.clicked.connect(self._choose_file)
            row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel()
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.secret)
        self.status.setText(self.tr("Copied to the clipboard."))

    def _choose_file(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save token"), f"{self.username}.token",
                                              self.tr("Token files (*.token);;All files (*)"))
        if name:
            self.save_to(Path(name))

    def save_to(self, path: Path) -> None:
        """Write the token file (``user name:token``) so only its owner can read it."""
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(token_line(self.username, self.secret))
            if os.name == "posix":
                path.chmod(0o600)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Save token"),
                                self.tr("Cannot write {path}: {error}").format(
                                    path=path, error=exc.strerror or exc))
            return
        self.status.setText(self.tr("Saved to {path}.").format(path=path))


class AccountDialog(QDialog):
    """A new person's account (user name, name, role, linked officer) or a service account.

    The account is created when OK is pressed; a refusal is shown and the dialog stays open
    with what was typed. ``secret`` then holds the initial password or token.
    """

    def __init__(self, db: Database, service: AccountService, *, service_account: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = service
        self.service_account = service_account
        self.secret = ""
        self.username_created = ""
        self.setWindowTitle(self.tr("New service account") if service_account
                            else self.tr("New account"))
        self.setMinimumWidth(420)
        form = QFormLayout(self)
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("letters, digits, '.', '_' or '-'"))
        form.addRow(self.tr("User name:"), self.username)
        self.display_name = QLineEdit()
        if not service_account:
            form.addRow(self.tr("Name:"), self.display_name)
        self.role = QComboBox()
        identity = db.identity
        for role, label in role_names().items():
            if role in BUSINESS_ROLES or identity.can(Perm.ASSIGN_ROLES):
                self.role.addItem(label, role)
        form.addRow(self.tr("Role:"), self.role)
        self.officer = QComboBox()
        self.officer.addItem(self.tr("(none)"), None)
        if not service_account:
            try:
                officers = TaskService(db).officers()
            except PermissionDenied:
                officers = []
            for officer in officers:
                self.officer.addItem(officer.label, officer.id)
            form.addRow(self.tr("Linked officer:"), self.officer)
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form.addRow(buttons)

    def _role_changed(self) -> None:
        community = self.role.currentData() == Role.COMMUNITY
        self.officer.setEnabled(community)
        if not community:
            self.officer.setCurrentIndex(0)

    def accept(self) -> None:
        username = self.username.text().strip()
        display = self.display_name.text().strip()
        role = Role(self.role.currentData())
        if not username or (not self.service_account and not display):
            QMessageBox.warning(self, self.windowTitle(),
                                self.tr("Enter the user name and the person's name."))
            return
        try:
            if self.service_account:
                self.secret = self.accounts.create_service(username, role)
            else:
                self.secret = self.accounts.create(username, display, role,
                                                   officer_id=self.officer.currentData())
        except (AccountError, PermissionDenied) as exc:
            show_error(self, self.tr("The account was not created"), exc)
            return
        self.username_created = username
        super().accept()


class AccountsTab(QWidget):
    """The list of accounts and the actions the signed-in role may take on them."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.service = AccountService(db)
        self._accounts: list[Account] = []
        identity = db.identity
        manage = identity.can(Perm.MANAGE_ACCOUNTS)

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.new_button = QPushButton(self.tr("New account…"))
        self.new_button.clicked.connect(self.new_account)
        self.new_service_button = QPushButton(self.tr("New service account…"))
        self.new_service_button.clicked.connect(self.new_service_account)
        self.reset_button = QPushButton(self.tr("Reset password…"))
        self.reset_button.clicked.connect(self.reset_password)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.clicked.connect(self.unlock)
        self.disable_button = QPushButton(self.tr("Disable"))
        self.disable_button.clicked.connect(self.toggle_disabled)
        self.role_button = QPushButton(self.tr("Change role…"))
        self.role_button.clicked.connect(self.change_role)
        self._manage_buttons = (self.new_button, self.new_service_button, self.reset_button,
                                self.unlock_button, self.disable_button)
        for button in self._manage_buttons:
            button.setVisible(manage)
            bar.addWidget(button)
        self.role_button.setVisible(identity.can(Perm.ASSIGN_ROLES))
        bar.addWidget(self.role_button)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.table = QTableWidget(0, len(COLUMN_WIDTHS))
        self.table.setHorizontalHeaderLabels([
            self.tr("User name"), self.tr("Name"), self.tr("Role"), self.tr("State"),
            self.tr("Service account"), self.tr("Last sign-in"), self.tr("Password changed")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        layout.addWidget(self.status)
        self._update_buttons()

    # reading ----------------------------------------------------------------------------

    def activated(self) -> None:
        self.reload()

    def shutdown(self) -> None:
        """Nothing runs in the background here."""

    @property
    def busy(self) -> bool:
        return False

    def reload(self) -> None:
        """Read the accounts again, keeping the selected one selected."""
        selected = self.selected_account()
        try:
            self._accounts = self.service.accounts()
        except PermissionDenied as exc:
            self._accounts = []
            self.status.setText(refusal_text(exc))
        roles = role_names()
        now = datetime.now()
        self.table.setRowCount(len(self._accounts))
        for row, account in enumerate(self._accounts):
            cells = [account.username, account.display_name, roles[account.role],
                     self._state(account, now), self.tr("Yes") if account.service else "",
                     _when(account.last_login_at), _when(account.password_changed_at)]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setData(ACCOUNT_ROLE, account.id)
                self.table.setItem(row, column, item)
            if selected is not None and account.id == selected.id:
                self.table.selectRow(row)
        self._update_buttons()

    def _state(self, account: Account, now: datetime) -> str:
        if account.disabled:
            return self.tr("Disabled")
        if account.locked(now):
            assert account.locked_until is not None
            return self.tr("Locked until {time}").format(time=f"{account.locked_until:%m-%d %H:%M}")
        if account.must_change_password and not account.service:
            return self.tr("Active (must change password)")
        return self.tr("Active")

    def selected_account(self) -> Account | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if not rows or min(rows) >= len(self._accounts):
            return None
        return self._accounts[min(rows)]

    def select_username(self, username: str) -> None:
        for row, account in enumerate(self._accounts):
            if account.username == username:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        account = self.selected_account()
        for button in (self.reset_button, self.unlock_button, self.disable_button,
                       self.role_button):
            button.setEnabled(account is not None)
        if account is not None:
            self.reset_button.setEnabled(not account.service)
            self.unlock_button.setEnabled(account.locked(datetime.now())
                                          or account.failed_attempts > 0)
            self.disable_button.setText(self.tr("Enable") if account.disabled
                                        else self.tr("Disable"))

    # actions ----------------------------------------------------------------------------

    def new_account(self) -> None:
        dialog = AccountDialog(self.db, self.service, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.reload()
        self.select_username(dialog.username_created)
        self.show_secret(
            self.tr("Initial password"),
            self.tr("The initial password of {user}. Hand it over now: it is shown only this "
                    "once, and must be changed at the first sign-in.").format(
                        user=dialog.username_created),
            dialog.secret)

    def new_service_account(self) -> None:
        dialog = AccountDialog(self.db, self.service, service_account=True, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.reload()
        self.select_username(dialog.username_created)
        self.show_secret(
            self.tr("Service account token"),
            self.tr("The token of {user}, for scripts that sign in as a service account. It "
                    "is shown only this once: copy it or save it to a file that only the "
                    "script's user can read.").format(user=dialog.username_created),
            dialog.secret, token_of=dialog.username_created)

    def show_secret(self, title: str, explanation: str, secret: str, *,
                    token_of: str = "") -> None:
        SecretDialog(title, explanation, secret, token_of=token_of, parent=self).exec()

    def reset_password(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Reset password"),
            self.tr("Give {user} a new initial password? The old one stops working at once.")
            .format(user=account.username))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            secret = self.service.reset_password(account.id)
        except (AccountError, PermissionDenied) as exc:
            show_error(self, self.tr("The password was not reset"), exc)
            return
        self.reload()
        self.show_secret(
            self.tr("New password"),
            self.tr("The new initial password of {user}. It is shown only this once and must "
                    "be changed at the next sign-in.").format(user=account.username),
            secret)

    def unlock(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        try:
            self.service.unlock(account.id)
        except (AccountError, PermissionDenied) as exc:
            show_error(self, self.tr("The account was not unlocked"), exc)
            return
        self.status.setText(self.tr("{user} is unlocked.").format(user=account.username))
        self.reload()

    def toggle_disabled(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        disable = not account.disabled
        if disable:
            answer = QMessageBox.question(
                self, self.tr("Disable account"),
                self.tr("Disable {user}? They can no longer sign in until the account is "
                        "enabled again.").format(user=account.username))
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            self.service.set_disabled(account.id, disable)
        except (AccountError, PermissionDenied) as exc:
            show_error(self, self.tr("The account was not changed"), exc)
            return
        self.status.setText((self.tr("{user} is disabled.") if disable
                             else self.tr("{user} is enabled.")).format(user=account.username))
        self.reload()

    def change_role(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        names = role_names()
        roles = list(names)
        label, ok = QInputDialog.getItem(
            self, self.tr("Change role"),
            self.tr("New role of {user}:").format(user=account.username),
            [names[r] for r in roles], roles.index(account.role), False)
        if not ok or label == names[account.role]:
            return
        role = roles[[names[r] for r in roles].index(label)]
        try:
            self.service.set_role(account.id, role)
        except (AccountError, PermissionDenied) as exc:
            show_error(self, self.tr("The role was not changed"), exc)
            return
        self.status.setText(self.tr("{user} is now {role}.").format(
            user=account.username, role=names[role]))
        self.reload()

"""The Administration screen: accounts, the security policy and the audit trail, each tab shown
only to a role that may use it (三员分立: the administrator, the security officer and the auditor
each see their own). The services check every action again; hiding a tab is only convenience.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from station_console.domain.security import Identity, Perm
from station_console.store.database import Database
from station_console.ui.admin.accounts_tab import AccountsTab
from station_console.ui.admin.audit_tab import AuditTab
from station_console.ui.admin.policy_tab import PolicyTab
from station_console.ui.widgets.screen import HeaderLabel, Screen, wait_until

AdminTab = AccountsTab | PolicyTab | AuditTab


class AdminScreen(Screen):
    """Tabs for the signed-in identity; rebuilt when someone else signs in."""

    screen_id = "admin"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(HeaderLabel(self.title()))
        self.tabs = QTabWidget()
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs, 1)
        self.empty = QLabel(self.tr("Your role has no administration tasks."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.empty)
        self._identity: Identity | None = None
        self._active = False
        self.build_tabs()

    def title(self) -> str:
        return self.tr("Administration")

    def build_tabs(self) -> None:
        """The tabs the current identity's permissions allow."""
        self._identity = identity = self.db.identity
        self.tabs.blockSignals(True)
        for tab in self.tab_widgets():
            tab.shutdown()
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            widget.deleteLater()
        if identity.can(Perm.MANAGE_ACCOUNTS) or identity.can(Perm.ASSIGN_ROLES):
            self.tabs.addTab(AccountsTab(self.db), self.tr("Accounts"))
        if identity.can(Perm.SECURITY_POLICY):
            self.tabs.addTab(PolicyTab(self.db), self.tr("Security policy"))
        if identity.can(Perm.READ_AUDIT):
            self.tabs.addTab(AuditTab(self.db), self.tr("Audit trail"))
        self.tabs.blockSignals(False)
        self.tabs.setVisible(self.tabs.count() > 0)
        self.empty.setVisible(self.tabs.count() == 0)

    def tab_widgets(self) -> list[AdminTab]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]  # type: ignore[misc]

    def tab_names(self) -> list[str]:
        """Which tabs are shown: "accounts", "policy", "audit"."""
        kinds = {AccountsTab: "accounts", PolicyTab: "policy", AuditTab: "audit"}
        return [kinds[type(tab)] for tab in self.tab_widgets()]

    def show_tab(self, name: str) -> AdminTab:
        """Bring a tab to the front and return it."""
        index = self.tab_names().index(name)
        self.tabs.setCurrentIndex(index)
        return self.tab_widgets()[index]

    def activated(self) -> None:
        if self.db.identity != self._identity:
            self.build_tabs()
        self._active = True
        self._tab_changed(self.tabs.currentIndex())

    def _tab_changed(self, index: int) -> None:
        if self._active and index >= 0:
            self.tab_widgets()[index].activated()

    def shutdown(self) -> None:
        for tab in self.tab_widgets():
            tab.shutdown()

    def wait_ready(self, timeout_ms: int) -> str | None:
        if wait_until(lambda: not any(tab.busy for tab in self.tab_widgets()), timeout_ms):
            return None
        return self.tr("The administration screen is still reading.")

"""Keys and trusted peers of change packages, and the translated texts of package outcomes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.security import PermissionDenied
from station_console.services import changes
from station_console.services.atomic import write_text_atomic
from station_console.services.changes import PackageError, Reason, SyncSetupError
from station_console.store.database import Database


def package_error_text(exc: PackageError) -> str:
    """Why a package was refused, in the user's language, naming the file."""
    p = exc.params
    texts = {
        Reason.NOT_A_PACKAGE: QCoreApplication.translate(
            "PackageLabels", "not a change package, or truncated or damaged ({detail})"),
        Reason.UNKNOWN_PEER: QCoreApplication.translate(
            "PackageLabels", "sent by station {station}, which is not a trusted peer; an "
            "administrator must register its card first"),
        Reason.BAD_SIGNATURE: QCoreApplication.translate(
            "PackageLabels", "the signature does not verify: the file was altered or not signed "
            "by {peer}'s key"),
        Reason.OWN_PACKAGE: QCoreApplication.translate(
            "PackageLabels", "this station wrote the package itself"),
        Reason.FOREIGN: QCoreApplication.translate(
            "PackageLabels", "addressed to station {recipient}, not to this one"),
        Reason.REPLAYED: QCoreApplication.translate(
            "PackageLabels", "already applied (package {sequence} from {peer}; the last applied is "
            "{last}); nothing changed"),
        Reason.OUT_OF_ORDER: QCoreApplication.translate(
            "PackageLabels", "package {sequence} from {peer} comes before {expected}; apply the "
            "packages from {expected} on first"),
        Reason.BAD_MANIFEST: QCoreApplication.translate(
            "PackageLabels", "the manifest is not valid ({detail})"),
        Reason.NEWER_FORMAT: QCoreApplication.translate(
            "PackageLabels", "written in package format {version}; this program reads format "
            "{supported}. Install the newer program"),
        Reason.MEMBERS: QCoreApplication.translate(
            "PackageLabels", "the files in the package do not match its manifest ({detail})"),
        Reason.HASH_MISMATCH: QCoreApplication.translate(
            "PackageLabels", "{member} does not match its SHA-256 in the manifest"),
        Reason.COUNT_MISMATCH: QCoreApplication.translate(
            "PackageLabels", "{member} holds {found} rows, the manifest says {expected}"),
        Reason.BAD_ROW: QCoreApplication.translate(
            "PackageLabels", "{member} line {line}: {detail}"),
        Reason.UNKNOWN_CODE: QCoreApplication.translate(
            "PackageLabels", "{member} line {line}: category {code} is not known here; add it to "
            "the category table first"),
        Reason.NEEDS_KEY: QCoreApplication.translate(
            "PackageLabels", "it is encrypted for this station and this station's key is not in "
            "its data folder; restore the key file there"),
        Reason.UNDECRYPTABLE: QCoreApplication.translate(
            "PackageLabels", "it cannot be decrypted ({detail}); ask {peer} to send it again"),
    }
    return f"{exc.path.name}: {texts[exc.reason].format(**p)}"


class KeysDialog(QDialog):
    """This station's key and card; the peers whose packages it trusts (administrators)."""

    def __init__(self, db: Database, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keysDialog")
        self.setWindowTitle(self.tr("Keys and trusted peers"))
        self.db = db
        self.data_dir = data_dir
        self.resize(860, 560)

        own = QGroupBox(self.tr("This station"))
        self.name_edit = QLineEdit(changes.station_name(db))
        self.name_edit.setObjectName("stationName")
        save_name = QPushButton(self.tr("Save name"))
        save_name.clicked.connect(self._save_name)
        self.key_label = QLabel()
        self.key_label.setObjectName("keyStatus")
        self.key_label.setWordWrap(True)
        self.create_button = QPushButton(self.tr("Create signing key"))
        self.create_button.setObjectName("createKey")
        self.create_button.clicked.connect(self.create_key)
        self.card_text = QPlainTextEdit()
        self.card_text.setObjectName("peerCard")
        self.card_text.setReadOnly(True)
        self.card_text.setMaximumHeight(64)
        save_card = QPushButton(self.tr("Save card to a file…"))
        save_card.clicked.connect(self._save_card)
        grid = QGridLayout(own)
        grid.addWidget(QLabel(self.tr("Name")), 0, 0)
        grid.addWidget(self.name_edit, 0, 1)
        grid.addWidget(save_name, 0, 2)
        grid.addWidget(QLabel(self.tr("Station id")), 1, 0)
        grid.addWidget(QLabel(changes.station_id(db)), 1, 1)
        grid.addWidget(QLabel(self.tr("Key")), 2, 0)
        grid.addWidget(self.key_label, 2, 1)
        grid.addWidget(self.create_button, 2, 2)
        grid.addWidget(QLabel(self.tr("Card")), 3, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.card_text, 3, 1)
        grid.addWidget(save_card, 3, 2, Qt.AlignmentFlag.AlignTop)
        hint = QLabel(self.tr("Give the card to each peer's administrator, and compare the "
                              "fingerprint with them by phone before they register it."))
        hint.setWordWrap(True)
        grid.addWidget(hint, 4, 0, 1, 3)

        peers_box = QGroupBox(self.tr("Trusted peers"))
        self.peers = QTableWidget(0, 5)
        self.peers.setObjectName("peerTable")
        self.peers.setHorizontalHeaderLabels([
            self.tr("Name"), self.tr("Station id"), self.tr("Fingerprint"),
            self.tr("Packages sent"), self.tr("Packages applied")])
        self.peers.verticalHeader().setVisible(False)
        self.peers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.peers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.peers.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 150), (2, 170), (3, 110), (4, 110)):
            self.peers.setColumnWidth(col, width)
        add = QPushButton(self.tr("Add from a card file…"))
        add.setObjectName("addPeer")
        add.clicked.connect(self._add_dialog)
        remove = QPushButton(self.tr("Remove"))
        remove.clicked.connect(self._remove_selected)
        self.status = QLabel()
        self.status.setObjectName("keysStatus")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        peers_layout = QVBoxLayout(peers_box)
        peers_layout.addWidget(self.peers)
        peers_layout.addLayout(buttons)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(own)
        layout.addWidget(peers_box, 1)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        try:
            key = changes.load_key(self.data_dir)
        except SyncSetupError:
            key = None
        if key is None:
            self.key_label.setText(self.tr("No signing key yet: create one before exporting packages."))
            self.card_text.setPlainText("")
        else:
            card = changes.peer_card(self.db, key)
            self.key_label.setText(self.tr("Ed25519, fingerprint {fingerprint}").format(
                fingerprint=changes.fingerprint(changes.public_key_text(key))))
            self.card_text.setPlainText(card)
        self.create_button.setEnabled(key is None)
        peers = changes.list_peers(self.db)
        self.peers.setRowCount(len(peers))
        for row, p in enumerate(peers):
            values = (p.name, p.station_id, p.fingerprint, str(p.sent_sequence), str(p.received_sequence))
            for col, value in enumerate(values):
                self.peers.setItem(row, col, QTableWidgetItem(value))

    def create_key(self) -> None:
        try:
            changes.create_key(self.data_dir)
        except (SyncSetupError, OSError) as exc:
            self.status.setText(str(exc))
        self.refresh()

    def _save_name(self) -> None:
        try:
            changes.set_station_name(self.db, self.name_edit.text())
        except SyncSetupError as exc:
            self.status.setText(str(exc))
        self.refresh()

    def _save_card(self) -> None:
        card = self.card_text.toPlainText()
        if not card:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save card"),
                                              str(self.data_dir / "station.card"),
                                              self.tr("Peer card (*.card *.txt)"))
        if path:
            write_text_atomic(Path(path), card + "\n")
            self.status.setText(self.tr("Card saved to {path}.").format(path=path))

    def add_peer(self, card_path: Path, name: str) -> bool:
        """Register the card in a file under ``name``; the status says what happened."""
        try:
            peer = changes.trust_peer(self.db, card_path.read_text(encoding="utf-8"), name)
        except PermissionDenied:
            self.status.setText(self.tr("Only the security officer registers peers."))
            return False
        except (SyncSetupError, OSError, UnicodeDecodeError) as exc:
            self.status.setText(self.tr("Not registered: {error}").format(error=exc))
            return False
        self.status.setText(self.tr("{name} is trusted (fingerprint {fingerprint}).").format(
            name=peer.name, fingerprint=peer.fingerprint))
        self.refresh()
        return True

    def _add_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Peer card"), str(self.data_dir),
                                              self.tr("Peer card (*.card *.txt);;All files (*)"))
        if not path:
            return
        try:
            card = changes.parse_card(Path(path).read_text(encoding="utf-8"))
        except (SyncSetupError, OSError, UnicodeDecodeError) as exc:
            self.status.setText(self.tr("Not registered: {error}").format(error=exc))
            return
        name, ok = QInputDialog.getText(
            self, self.tr("Trust a peer"),
            self.tr("Fingerprint {fingerprint}: compare it with the peer before you trust it.\n"
                    "Name of the peer:").format(fingerprint=changes.fingerprint(card.public_key)),
            text=card.name)
        if ok and name.strip():
            self.add_peer(Path(path), name.strip())

    def _remove_selected(self) -> None:
        row = self.peers.currentRow()
        if row < 0:
            return
        name = self.peers.item(row, 0).text()
        answer = QMessageBox.question(self, self.tr("Remove"),
                                      self.tr("Stop trusting {name}? Its packages are refused from "
                                              "then on.").format(name=name))
        if answer == QMessageBox.StandardButton.Yes:
            try:
                changes.remove_peer(self.db, name)
            except PermissionDenied:
                self.status.setText(self.tr("Only the security officer removes peers."))
                return
            self.refresh()

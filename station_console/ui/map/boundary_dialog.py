"""Choosing a GeoJSON boundary file: what it holds (communities or grids) and which property
names each area (and, for grids, its community)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_console.services.geo_import import BoundaryError, boundary_properties

#: Property names that usually hold an area's name, tried in this order for the default.
NAME_GUESSES = ("name", "名称", "NAME", "Name", "社区名称", "网格名称")
PARENT_GUESSES = ("community", "社区", "所属社区", "COMMUNITY")


@dataclass(frozen=True)
class BoundaryChoice:
    """What the user chose: the file, the kind of area, the name (and community) property."""

    path: Path
    kind: str
    name_property: str
    parent_property: str


class BoundaryDialog(QDialog):
    """File, kind and properties of a boundary import."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import boundaries"))
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setMinimumWidth(360)
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Communities"), "community")
        self.kind.addItem(self.tr("Grids"), "grid")
        self.kind.currentIndexChanged.connect(self._update)
        self.name_property = QComboBox()
        self.parent_property = QComboBox()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("boundaryMessage")
        form = QFormLayout()
        form.addRow(self.tr("GeoJSON file"), row)
        form.addRow(self.tr("Areas"), self.kind)
        form.addRow(self.tr("Name property"), self.name_property)
        form.addRow(self.tr("Community property"), self.parent_property)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Import"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr(
            "Areas are matched by name: a known name gets the new outline, a new name becomes a new "
            "area. Every incident is then given the community and grid that hold it.")))
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._update()

    def _browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Boundary file"), "", self.tr("GeoJSON (*.geojson *.json)"))
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> None:
        """Read the file's property names into the choices (the message says what is wrong)."""
        self.path.setText(str(path))
        self.name_property.clear()
        self.parent_property.clear()
        try:
            names = boundary_properties(path)
        except BoundaryError as error:
            self.message.setText(str(error))
            names = []
        else:
            self.message.setText("" if names else self.tr("The features of this file have no properties."))
        for combo, guesses in ((self.name_property, NAME_GUESSES), (self.parent_property, PARENT_GUESSES)):
            combo.addItems(names)
            for guess in guesses:
                if guess in names:
                    combo.setCurrentText(guess)
                    break
        self._update()

    def _update(self) -> None:
        self.parent_property.setEnabled(self.kind.currentData() == "grid")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.path.text()) and self.name_property.count() > 0)

    def choice(self) -> BoundaryChoice:
        """The user's choices."""
        grid = self.kind.currentData() == "grid"
        return BoundaryChoice(Path(self.path.text()), str(self.kind.currentData()),
                              self.name_property.currentText(),
                              self.parent_property.currentText() if grid else "")

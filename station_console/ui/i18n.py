"""Languages and fonts: translators for our strings and Qt's, and the bundled CJK font.

Source strings are English; the Chinese translation is the default language. The ``.ts``
sources live in ``resources/i18n``; the ``.qm`` files are compiled from them by
``python -m station_console.i18n_build`` (the setup scripts and the package build run it).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from station_console.config import resource_path

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")
CJK_FONT_FILE = "DroidSansFallbackFull.ttf"

_installed: list[QTranslator] = []


def qm_path(language: str) -> Path:
    """Compiled translation of our strings for a language."""
    return resource_path("i18n", f"station_console_{language}.qm")


def install_translators(app: QCoreApplication, language: str) -> None:
    """Install our translation and Qt's own (standard dialogs, buttons) for ``language``."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale(language))
    if language == "en":
        return  # the source strings are English
    ours = QTranslator(app)
    if not ours.load(str(qm_path(language))):
        raise FileNotFoundError(
            f"The translation {qm_path(language)} is missing. From source, run "
            "'python -m station_console.i18n_build'; in the package it is a build error."
        )
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_base = QTranslator(app)
    for tr in (ours, qt_base):
        _installed.append(tr)
    if qt_base.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt_base)
    else:
        _installed.remove(qt_base)
    app.installTranslator(ours)


def install_cjk_font(app: QApplication) -> str:
    """Register the bundled CJK font and put it in the UI font's fallback list.

    Station PCs may have no Chinese font at all; the bundled one guarantees that Chinese
    renders, while Latin text keeps the platform's own UI font.
    """
    font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", CJK_FONT_FILE)))
    if font_id < 0:
        raise RuntimeError(f"Cannot load the bundled font {resource_path('fonts', CJK_FONT_FILE)}")
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    font = QFont(app.font())
    families = [f for f in font.families() if f != family] or [font.family()]
    font.setFamilies([*families, family])
    app.setFont(font)
    return family

"""The files the package and the Windows installer are made from: version resource, icon, Inno script."""

from __future__ import annotations

import importlib.util
import re
import struct
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from station_console import __version__
from station_console.app import create_application

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "packaging" / "station_console.iss"


def load_version_info() -> ModuleType:
    """packaging/version_info.py, loaded by path as build.spec loads it."""
    spec = importlib.util.spec_from_file_location("station_console_version_info",
                                                  ROOT / "packaging" / "version_info.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def evaluate_resource(text: str) -> dict[str, object]:
    """Evaluate PyInstaller's version-file syntax with recording stand-ins for its classes.

    PyInstaller's own classes need pefile, which it installs on Windows only; the stand-ins
    keep the structure: each call becomes {"type": name, "args": ..., **keywords}.
    """
    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct")

    def recorder(name: str):  # type: ignore[no-untyped-def]
        return lambda *args, **kwargs: {"type": name, "args": args, **kwargs}

    return eval(text, {"__builtins__": {}}, {name: recorder(name) for name in names})  # type: ignore[no-any-return]


def iss_sections(text: str) -> dict[str, list[str]]:
    """Lines of each [Section] of an Inno Setup script (comments and preprocessor lines left out)."""
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


def iss_entry(line: str) -> dict[str, str]:
    """'Name: "x"; Flags: y' -> {"Name": "x", "Flags": "y"}."""
    fields = {}
    for part in re.split(r';\s*(?=\w+:)', line):
        key, _, value = part.partition(":")
        fields[key.strip()] = value.strip().strip('"')
    return fields


def test_version_resource_carries_the_program_version() -> None:
    info = load_version_info()
    assert info.app_version() == __version__
    resource = evaluate_resource(info.version_resource(__version__))
    numbers = info.numeric_version(__version__)
    assert resource["ffi"]["filevers"] == resource["ffi"]["prodvers"] == numbers  # type: ignore[index]
    tables = resource["kids"][0]["args"][0]  # type: ignore[index]
    assert {table["args"][0] for table in tables} == {"080404B0", "040904B0"}
    for table in tables:
        strings = {s["args"][0]: s["args"][1] for s in table["args"][1]}
        assert strings["ProductVersion"] == strings["FileVersion"] == __version__
        assert strings["OriginalFilename"] == "StationConsole.exe"


@pytest.mark.parametrize(("version", "numbers"), [
    ("0.1.0", (0, 1, 0, 0)), ("2.3", (2, 3, 0, 0)), ("1.4.2rc1", (1, 4, 2, 0)),
    ("1.2.3.4.5", (1, 2, 3, 4)), ("1.0.0+local7", (1, 0, 0, 0)),
])
def test_numeric_version_has_four_numbers(version: str, numbers: tuple[int, ...]) -> None:
    assert load_version_info().numeric_version(version) == numbers


def test_write_version_resource(tmp_path: Path) -> None:
    written = load_version_info().write_version_resource(tmp_path / "work" / "version_info.txt")
    assert f"StringStruct('ProductVersion', '{__version__}')" in written.read_text(encoding="utf-8")


def test_icon_files_hold_every_windows_size_and_the_window_icon_is_set(qapp: QApplication) -> None:
    ico = (ROOT / "resources" / "icons" / "station_console.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for index in range(count):
        width, height, *_rest, length, offset = struct.unpack_from("<BBBBHHII", ico, 6 + 16 * index)
        image = QImage.fromData(ico[offset:offset + length], "PNG")
        assert image.width() == (width or 256) and image.height() == (height or 256)
        sizes.add(image.width())
    assert {16, 32, 48, 256} <= sizes
    png = QImage(str(ROOT / "resources" / "icons" / "station_console.png"))
    assert (png.width(), png.height()) == (256, 256)
    assert png.pixelColor(128, 128).alpha() == 255 and png.pixelColor(0, 0).alpha() == 0
    create_application()
    assert not qapp.windowIcon().isNull()


def test_installer_script_installs_per_machine_in_both_languages_and_keeps_the_data() -> None:
    text = ISS.read_text(encoding="utf-8-sig")
    sections = iss_sections(text)
    setup = dict(line.split("=", 1) for line in sections["Setup"])
    assert setup["PrivilegesRequired"] == "admin"
    assert setup["DefaultDirName"].startswith("{autopf}\\")
    assert setup["MinVersion"] == "10.0.17763"  # Qt 6: Windows 10 1809 or newer
    assert setup["AppVersion"] == "{#AppVersion}"
    languages = [iss_entry(line)["Name"] for line in sections["Languages"]]
    assert languages == ["chinesesimplified", "english"]  # Chinese first: the default
    tasks = {iss_entry(line)["Name"]: iss_entry(line) for line in sections["Tasks"]}
    assert "unchecked" in tasks["desktopicon"]["Flags"]
    icons = [iss_entry(line) for line in sections["Icons"]]
    assert any(icon["Name"].startswith("{group}\\") and icon["Filename"].endswith("{#AppExeName}")
               for icon in icons)
    desktop = [icon for icon in icons if icon["Name"].startswith("{autodesktop}\\")]
    assert desktop and all(icon.get("Tasks") == "desktopicon" for icon in desktop)
    # The data folder (%LOCALAPPDATA%\StationConsole) is never named, so uninstall leaves it.
    assert "UninstallDelete" not in sections and "Dirs" not in sections
    entries = " ".join(line for lines in sections.values() for line in lines).lower()
    assert "appdata" not in entries
    # One version source: the product version of the built executable.
    assert re.search(r'#define AppVersion GetStringFileInfo\(AppExe, "ProductVersion"\)', text)
    assert '#define AppExeName "StationConsole.exe"' in text
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert 'name="StationConsole"' in spec and "version=str(VERSION_FILE)" in spec

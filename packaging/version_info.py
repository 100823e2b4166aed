"""The Windows version resource of StationConsole.exe, made from station_console.__version__.

build.spec writes it into PyInstaller's work folder and passes it as ``version=``; the Inno Setup
script reads the product version back from the built executable, so the program, the executable
and the installer carry one version. Run alone it prints the resource text:

    python packaging/version_info.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMPANY = "Station Console"
PRODUCT = "Station Console 派出所综合指挥室工作台"
DESCRIPTION = "Station Console"
EXE_NAME = "StationConsole.exe"
COPYRIGHT = "Station Console authors"


def app_version(root: Path = ROOT) -> str:
    """``__version__`` of the station_console package, read without importing it."""
    text = (root / "station_console" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if found is None:
        raise ValueError("station_console/__init__.py has no __version__")
    return found.group(1)


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """The four numbers of a Windows file version: '0.1.0' -> (0, 1, 0, 0); '1.2rc1' -> (1, 2, 0, 0)."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0].split("rc")[0])[:4]]
    if not numbers:
        raise ValueError(f"no version number in {version!r}")
    return (*numbers, 0, 0, 0, 0)[:4]  # type: ignore[return-value]


def version_resource(version: str) -> str:
    """The resource in PyInstaller's version-file syntax (``VSVersionInfo(...)``)."""
    numbers = numeric_version(version)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": version,
        "InternalName": "StationConsole",
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": EXE_NAME,
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }
    string_structs = ",\n".join(f"          StringStruct({key!r}, {value!r})"
                                 for key, value in strings.items())
    return (
        "VSVersionInfo(\n"
        f"  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0,\n"
        "                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),\n"
        "  kids=[\n"
        "    StringFileInfo([\n"
        # 0804 = Chinese (PRC), 04B0 = Unicode; the strings are the same in both languages.
        "      StringTable('080404B0', [\n"
        f"{string_structs}]),\n"
        "      StringTable('040904B0', [\n"
        f"{string_structs}])]),\n"
        "    VarFileInfo([VarStruct('Translation', [0x0804, 1200, 0x0409, 1200])])\n"
        "  ]\n"
        ")\n"
    )


def write_version_resource(target: Path, root: Path = ROOT) -> Path:
    """Write the resource for the checked-out version to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(version_resource(app_version(root)), encoding="utf-8")
    return target


if __name__ == "__main__":
    sys.stdout.write(version_resource(app_version()))

"""Translation tooling: extract strings into the ``.ts`` sources and compile ``.qm`` files.

``python -m station_console.i18n_build`` compiles (setup scripts and the package build run it);
``python -m station_console.i18n_build update`` re-extracts the strings from the sources with
``pyside6-lupdate`` after UI text changes (then translate the new entries in the ``.ts``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import PySide6

from station_console.config import bundle_root

TRANSLATED_LANGUAGES = ("zh_CN",)


def _tool(name: str) -> str:
    """Path of a Qt tool shipped inside the PySide6 wheel (lupdate, lrelease)."""
    base = Path(PySide6.__file__).resolve().parent
    for candidate in (base / name, base / f"{name}.exe", base / "Qt" / "libexec" / name):
        if candidate.exists():
            return str(candidate)
    raise FileNotFoundError(f"{name} is not in the PySide6 installation at {base}")


def ts_path(language: str) -> Path:
    """The translation source of a language."""
    return bundle_root() / "resources" / "i18n" / f"station_console_{language}.ts"


def ui_sources() -> list[Path]:
    """Python files whose strings are translated."""
    pkg = bundle_root() / "station_console"
    return sorted(p for p in pkg.rglob("*.py") if "ui" in p.relative_to(pkg).parts or p.name == "app.py")


def update(targets: list[Path] | None = None) -> None:
    """Extract translatable strings into the .ts files, keeping existing translations."""
    for ts in targets or [ts_path(language) for language in TRANSLATED_LANGUAGES]:
        args = [_tool("lupdate"), "-silent", "-no-obsolete", "-locations", "none",
                *map(str, ui_sources()), "-ts", str(ts)]
        subprocess.run(args, check=True)


def compile_all() -> list[Path]:
    """Compile every .ts into the .qm beside it; returns the .qm paths."""
    out = []
    for language in TRANSLATED_LANGUAGES:
        ts = ts_path(language)
        qm = ts.with_suffix(".qm")
        subprocess.run([_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
        out.append(qm)
    return out


def main(argv: list[str]) -> int:
    """``update`` re-extracts strings; no argument compiles."""
    if argv[:1] == ["update"]:
        update()
    else:
        for qm in compile_all():
            print(f"compiled {qm}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

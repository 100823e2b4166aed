"""Paths and settings that do not depend on Qt.

The data directory holds the live database, settings, logs and backups. It is chosen, in
order, from ``--data-dir``, the ``STATION_CONSOLE_DATA_DIR`` environment variable, or the
platform's per-user data folder (``%LOCALAPPDATA%\\StationConsole`` on Windows,
``~/.local/share/StationConsole`` on Linux).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from station_console import APP_NAME

ENV_DATA_DIR = "STATION_CONSOLE_DATA_DIR"
DB_FILENAME = "station.db"


def bundle_root() -> Path:
    """Directory that holds ``resources/`` and ``data/``: the repository or the PyInstaller bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """Path of a file under ``resources/`` (works from source and from the built package)."""
    return bundle_root().joinpath("resources", *parts)


def data_path(*parts: str) -> Path:
    """Path of a shipped reference file under ``data/`` (code tables, templates)."""
    return bundle_root().joinpath("data", *parts)


@dataclass(frozen=True)
class Paths:
    """Where this installation keeps its files."""

    data_dir: Path

    @property
    def default_db(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def settings_file(self) -> Path:
        return self.data_dir / "settings.ini"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """Pick the data directory from the argument, the environment or the platform default."""
    chosen = data_dir or os.environ.get(ENV_DATA_DIR)
    if chosen:
        base = Path(chosen).expanduser()
    else:
        base = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))
    return Paths(data_dir=base.resolve())

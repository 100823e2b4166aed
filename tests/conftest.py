"""Shared fixtures: offscreen Qt, a fresh database file per test, a small demo station."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

# QtWebEngine must be imported before any QApplication exists.
import PySide6.QtWebEngineWidgets  # noqa: F401
import pytest
from PySide6.QtCore import QThreadPool

from station_console.store.database import Database

#: The fixed "now" of generated test stations, so figures never depend on the day tests run.
DEMO_END = datetime(2026, 3, 15, 10, 30)
DEMO_INCIDENTS = 3000
DEMO_SEED = 7


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder, so settings and databases never leak."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("STATION_CONSOLE_DATA_DIR", str(data_dir))
    return data_dir


@pytest.fixture(autouse=True)
def _no_threads_left() -> Iterator[None]:
    """A test must not leave background work running."""
    yield
    pool = QThreadPool.globalInstance()
    assert pool.waitForDone(10_000), "background work still running after the test"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A fresh, empty station database at the newest schema."""
    database = Database.open(tmp_path / "station.db", create=True)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated demo station, built once per test run (copy it, never write it)."""
    from station_console.services.demo import generate_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = Database.open(path, create=True)
    generate_demo(database, incidents=DEMO_INCIDENTS, seed=DEMO_SEED, end=DEMO_END)
    database.close()
    return path


@pytest.fixture
def demo_db_path(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo station database file."""
    target = tmp_path / "demo.db"
    shutil.copyfile(demo_template, target)
    return target


@pytest.fixture
def demo_db(demo_db_path: Path) -> Iterator[Database]:
    """The demo station, opened."""
    database = Database.open(demo_db_path)
    yield database
    database.close()


@pytest.fixture(scope="session", autouse=True)
def _software_web_engine() -> None:
    """Offscreen QtWebEngine renders in software, as the application sets it up."""
    from station_console.app import prepare_web_engine

    prepare_web_engine()

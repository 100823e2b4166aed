"""Shared fixtures: offscreen Qt, a fresh database file per test, a small demo station."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

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
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh, empty station database at the newest schema (SQLite unless ``ON_BOTH_ENGINES``)."""
    if getattr(request, "param", "sqlite") == "postgresql":
        database = Database.open(request.getfixturevalue("pg_url"))
    else:
        database = Database.open(tmp_path / "station.db", create=True)
    yield database
    database.close()


#: Runs a test that takes ``db`` once on SQLite and once on PostgreSQL (skipped without a server).
ON_BOTH_ENGINES = pytest.mark.parametrize("db", ["sqlite", "postgresql"], indirect=True)


#: URL of a PostgreSQL database on a throwaway server (``eval "$(scripts/pg_test_server.sh start)"``);
#: without it the PostgreSQL cases are skipped.
PG_ENV = "STATION_CONSOLE_TEST_PG"


def _pg_admin(url: str) -> Any:
    """A psycopg connection (autocommit) to the server's database named in ``url``."""
    import psycopg
    from sqlalchemy.engine import make_url

    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(libpq, autocommit=True)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database migrated to the newest schema once, copied for each test."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server: set {PG_ENV} (scripts/pg_test_server.sh start prints it)")
    name = f"sc_template_{os.getpid()}"
    with _pg_admin(url) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
    Database.open(pg_create(name), create=True).close()
    yield name
    with _pg_admin(url) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def pg_create(name: str, template: str | None = None) -> str:
    """Create the database ``name`` on the test server (a copy of ``template``); returns its URL."""
    from sqlalchemy.engine import make_url

    server = os.environ[PG_ENV]
    with _pg_admin(server) as admin:
        admin.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def pg_copy(template: str) -> str:
    """A new PostgreSQL database copied from the database ``template``; returns its URL."""
    return pg_create(f"sc_test_{uuid.uuid4().hex[:12]}", template)


def pg_drop(url: str) -> None:
    """Remove a database made by ``pg_copy``."""
    from sqlalchemy.engine import make_url

    with _pg_admin(os.environ[PG_ENV]) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)")


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    """The URL of a fresh PostgreSQL database at the newest schema (dropped after the test)."""
    url = pg_copy(pg_template)
    yield url
    pg_drop(url)


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


@pytest.fixture(scope="session")
def pg_station(pg_template: str) -> Iterator[str]:
    """A station without incidents (the change-package tests' template) on PostgreSQL: the name
    of a database to copy with ``pg_copy``."""
    from sqlalchemy.engine import make_url

    from station_console.services.demo import generate_demo

    url = pg_copy(pg_template)
    database = Database.open(url)
    generate_demo(database, incidents=0, seed=3)
    database.close()
    yield str(make_url(url).database)
    pg_drop(url)


@pytest.fixture(scope="session")
def pg_demo_template(pg_template: str) -> Iterator[str]:
    """The same demo station as ``demo_template``, built once per run on PostgreSQL."""
    from sqlalchemy.engine import make_url

    from station_console.services.demo import generate_demo

    server = os.environ[PG_ENV]
    name = f"sc_demo_{os.getpid()}"
    with _pg_admin(server) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    database = Database.open(make_url(server).set(database=name).render_as_string(hide_password=False))
    generate_demo(database, incidents=DEMO_INCIDENTS, seed=DEMO_SEED, end=DEMO_END)
    database.close()
    yield name
    with _pg_admin(server) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def demo_db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """The demo station, opened (a copy on SQLite unless ``DEMO_ON_BOTH_ENGINES``)."""
    if getattr(request, "param", "sqlite") == "postgresql":
        url = pg_copy(request.getfixturevalue("pg_demo_template"))
        database = Database.open(url)
        yield database
        database.close()
        pg_drop(url)
        return
    database = Database.open(request.getfixturevalue("demo_db_path"))
    yield database
    database.close()


#: Runs a test that takes ``demo_db`` on the demo station on SQLite and on PostgreSQL.
DEMO_ON_BOTH_ENGINES = pytest.mark.parametrize("demo_db", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session", autouse=True)
def _software_web_engine() -> None:
    """Offscreen QtWebEngine renders in software, as the application sets it up."""
    from station_console.app import prepare_web_engine

    prepare_web_engine()


@pytest.fixture(scope="session")
def district_template(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A district database (SQLite) holding the packages of 3 generated stations of a few hundred
    incidents each, built once per run: (district file, the stations' files, keys and packages)."""
    from tests.unit.district_helpers import build_district

    return build_district(tmp_path_factory.mktemp("district"), end=DEMO_END)

"""A small generated district: demo stations whose change packages a district database applies."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from station_console.services.changes import (
    ExportOptions,
    apply_package,
    export_package,
    parse_card,
    peer_card,
    set_station_name,
    station_id,
    trust_peer,
)
from station_console.services.demo import DISTRICT_STATIONS, generate_demo
from station_console.store.database import Database
from station_console.store.dialect import driver_sql

DISTRICT_NAME = "西湖分局"


@dataclass(frozen=True)
class DistrictFiles:
    """The stations' own database files (by peer name and station id) and the packages each
    sent to the district, in order."""

    stations: dict[str, Path]
    station_ids: dict[str, str]
    cards: dict[str, str]
    keys: dict[str, Ed25519PrivateKey]
    packages: dict[str, list[Path]]
    district_id: str


def station_peer_name(k: int) -> str:
    return f"{DISTRICT_STATIONS[k - 1]}所"


def build_stations(folder: Path, *, stations: int = 3, incidents: int = 300, days: int = 28,
                   end: datetime, district: Database) -> DistrictFiles:
    """Generate ``stations`` demo stations (stations 1.. of the demo district, seeds differ),
    introduce each to ``district`` both ways, and have each export its full package for it."""
    folder.mkdir(parents=True, exist_ok=True)
    district_key = Ed25519PrivateKey.generate()
    set_station_name(district, DISTRICT_NAME)
    card = peer_card(district, district_key)
    files: dict[str, Path] = {}
    ids: dict[str, str] = {}
    cards: dict[str, str] = {}
    keys: dict[str, Ed25519PrivateKey] = {}
    packages: dict[str, list[Path]] = {}
    for k in range(1, stations + 1):
        name = station_peer_name(k)
        path = folder / f"station{k}.db"
        db = Database.open(path, create=True)
        try:
            generate_demo(db, incidents=incidents, seed=500 + k, days=days, end=end, station_no=k)
            key = Ed25519PrivateKey.generate()
            keys[name], cards[name] = key, peer_card(db, key)
            trust_peer(district, parse_card(cards[name]), name)
            trust_peer(db, parse_card(card), DISTRICT_NAME)
            out = folder / f"{name}-1.zip"
            export_package(db, out, DISTRICT_NAME, key, options=ExportOptions(full=True))
            ids[name] = station_id(db)
        finally:
            db.close()
        files[name] = path
        packages[name] = [out]
    return DistrictFiles(files, ids, cards, keys, packages, station_id(district))


def apply_all(district: Database, files: DistrictFiles, *, introduce: bool = False) -> None:
    """Apply every station's packages to the district database; with ``introduce``, first make it
    the district they were addressed to (its station id) and trust their cards (another copy of
    the district, e.g. on PostgreSQL)."""
    if introduce:
        with district.write() as conn:
            conn.exec_driver_sql(
                driver_sql(conn, "UPDATE app_meta SET value = ? WHERE key = 'sync_station_id'"),
                (files.district_id,))
        set_station_name(district, DISTRICT_NAME)
        for name, card in files.cards.items():
            trust_peer(district, parse_card(card), name)
    for paths in files.packages.values():
        for path in paths:
            apply_package(district, path)


def build_district(folder: Path, *, stations: int = 3, incidents: int = 300, days: int = 28,
                   end: datetime) -> tuple[Path, DistrictFiles]:
    """A district database file holding the packages of ``stations`` generated stations."""
    path = folder / "district.db"
    db = Database.open(path, create=True)
    try:
        generate_demo(db, incidents=0, seed=3, end=end)
        files = build_stations(folder, stations=stations, incidents=incidents, days=days, end=end,
                               district=db)
        apply_all(db, files)
    finally:
        db.close()
    return path, files


def copy_district(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target

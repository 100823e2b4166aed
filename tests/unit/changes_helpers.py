"""Replicas for change-package tests: copies of one small station, each its own station id."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.engine import Connection

from station_console.services.changes import PeerCard, parse_card, peer_card, trust_peer
from station_console.store.database import Database
from station_console.store.dialect import driver_sql

CATEGORIES = ("0101", "0201", "0301")


def build_template(path: Path | str) -> Path | str:
    """An empty station (code tables, areas, officers) without incidents."""
    from station_console.services.demo import generate_demo

    db = Database.open(path, create=True)
    generate_demo(db, incidents=0, seed=3)
    db.close()
    return path


@dataclass
class Replica:
    name: str
    db: Database
    key: Ed25519PrivateKey
    station: str

    def card(self) -> PeerCard:
        return parse_card(peer_card(self.db, self.key))


def make_replicas(template: Path, folder: Path, names: tuple[str, ...],
                  servers: dict[str, str] | None = None) -> list[Replica]:
    """Copies of the template, each with a fresh station id and key, all trusting each other.

    A name in ``servers`` opens that PostgreSQL URL (a copy of the same station) instead.
    """
    replicas = []
    for i, name in enumerate(names):
        if servers and name in servers:
            db = Database.open(servers[name])
        else:
            path = folder / f"{name}.db"
            shutil.copyfile(template, path)
            db = Database.open(path)
        station = f"{i + 1:x}".rjust(16, "a")
        with db.write() as conn:
            _sql(conn, "UPDATE app_meta SET value = ? WHERE key = 'sync_station_id'", (station,))
        replicas.append(Replica(name, db, Ed25519PrivateKey.generate(), station))
    for r in replicas:
        for other in replicas:
            if other is not r:
                trust_peer(r.db, other.card(), other.name)
    return replicas


def close_all(replicas: list[Replica]) -> None:
    for r in replicas:
        r.db.close()


def incident_values(number: str, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "incident_no": number, "source": "110", "category_code": CATEGORIES[0], "priority": 2,
        "status": "new", "received_at": "2026-03-01 08:00:00.000000", "caller_name": "张三",
        "caller_phone": "13812345678", "caller_id_no": "330102199001011234", "address": "文三路1号",
        "description": "", "outcome_code": "", "feedback": "", "is_repeat": False,
        "is_diverted": False, "in_jurisdiction": True, "updated_at": "2026-03-01 08:00:00.000000",
    }
    values.update(fields)
    return values


def _sql(conn: Connection, sql: str, params: Any = None) -> Any:
    return conn.exec_driver_sql(driver_sql(conn, sql), params)


def insert_incidents(db: Database, numbers: list[str]) -> None:
    """Many incidents in one transaction (as an import writes them)."""
    rows = [incident_values(n) for n in numbers]
    cols = ", ".join(rows[0])
    marks = ", ".join("?" * len(rows[0]))
    with db.write() as conn:
        _sql(conn, f"INSERT INTO incident ({cols}) VALUES ({marks})", [tuple(r.values()) for r in rows])


def insert_incident(db: Database, number: str, **fields: Any) -> int:
    """An incident written the way any service writes one (no sync columns)."""
    values = incident_values(number, **fields)
    cols = ", ".join(values)
    marks = ", ".join("?" * len(values))
    with db.write() as conn:
        return int(_sql(conn, f"INSERT INTO incident ({cols}) VALUES ({marks}) RETURNING id",
                        tuple(values.values())).scalar_one())


def update_incident(db: Database, number: str, **fields: Any) -> None:
    sets = ", ".join(f"{k} = ?" for k in fields)
    with db.write() as conn:
        _sql(conn, f"UPDATE incident SET {sets} WHERE incident_no = ?", (*fields.values(), number))


def delete_incident(db: Database, number: str) -> None:
    with db.write() as conn:
        _sql(conn, "DELETE FROM incident WHERE incident_no = ?", (number,))


def copy_file(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target

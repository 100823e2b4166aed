"""The station's own profile, as the UI shows it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from station_console.store.database import Database


@dataclass(frozen=True)
class StationProfile:
    """Name and place of the station this database belongs to."""

    code: str
    name: str
    district: str
    city: str
    is_demo: bool


def station_profile(db: Database) -> StationProfile | None:
    """The station row and the demo flag, or None for a database without a station yet."""
    with db.read() as conn:
        row = conn.execute(
            text("SELECT code, name, district, city FROM station ORDER BY id LIMIT 1")
        ).first()
        demo = conn.execute(text("SELECT value FROM app_meta WHERE key = 'demo'")).scalar()
    if row is None:
        return None
    return StationProfile(row.code, row.name, row.district, row.city, demo == "1")

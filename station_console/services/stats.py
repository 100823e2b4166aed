"""Counts and headline figures of a station database (the ``stats`` command)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from station_console.domain.categories import POLICE_ARRIVAL_LIMIT_S
from station_console.store.database import Database
from station_console.store.dialect import seconds_between
from station_console.store.models import METADATA


def table_counts(db: Database) -> dict[str, int]:
    """Rows per table of the station schema."""
    with db.read() as conn:
        return {
            name: int(conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())
            for name in sorted(METADATA.tables)
        }


def headline_figures(db: Database) -> dict[str, Any]:
    """Incidents, areas, officers, the non-police share and the 5-minute arrival rate.

    The arrival rate counts police incidents whose arrival was recorded; an incident counts
    as on time when the unit arrived within 5 minutes of receipt. Merged duplicate calls are
    left out of every figure (they are one event).
    """
    with db.read() as conn:
        secs = seconds_between(conn, "i.received_at", "i.arrived_at")
        row = conn.execute(
            text(
                f"""
                SELECT count(*) AS incidents,
                       coalesce(sum(CASE WHEN c.is_police THEN 0 ELSE 1 END), 0) AS non_police,
                       coalesce(sum(CASE WHEN c.is_police AND i.arrived_at IS NOT NULL
                                         THEN 1 ELSE 0 END), 0) AS police_arrived,
                       coalesce(sum(CASE WHEN c.is_police AND i.arrived_at IS NOT NULL
                                          AND {secs} <= :limit THEN 1 ELSE 0 END), 0) AS on_time,
                       min(i.received_at) AS first_at,
                       max(i.received_at) AS last_at
                  FROM incident i JOIN incident_category c ON c.code = i.category_code
                 WHERE i.merged_into_id IS NULL
                """
            ),
            {"limit": POLICE_ARRIVAL_LIMIT_S},
        ).mappings().one()
        station = conn.execute(text("SELECT name FROM station ORDER BY id LIMIT 1")).scalar()
        officers = conn.execute(text("SELECT count(*) FROM officer WHERE active")).scalar_one()
        communities = conn.execute(text("SELECT count(*) FROM community")).scalar_one()
    incidents = int(row["incidents"])
    arrived = int(row["police_arrived"])
    return {
        "station": station,
        "incidents": incidents,
        "officers": int(officers),
        "communities": int(communities),
        "non_police_share": round(int(row["non_police"]) / incidents, 4) if incidents else None,
        "arrival_5min_rate": round(int(row["on_time"]) / arrived, 4) if arrived else None,
        "first_received_at": _iso(row["first_at"]),
        "last_received_at": _iso(row["last_at"]),
    }


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat(sep=" ") if hasattr(value, "isoformat") else str(value)

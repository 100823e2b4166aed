"""Everything the closed loops hold about one incident, for the board's detail pane."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from station_console.services.disputes import DisputeRow, DisputeService
from station_console.services.diversion import DiversionRow, DiversionService
from station_console.services.repeats import GroupRow, RepeatService
from station_console.services.tasks import TaskRow, TaskService
from station_console.store.database import Database
from station_console.store.models import IncidentCategory


@dataclass(frozen=True)
class IncidentLoops:
    """An incident's diversions, disputes, repeat groups and tasks."""

    incident_id: int
    diversions: list[DiversionRow]
    disputes: list[DisputeRow]
    repeat_groups: list[GroupRow]
    tasks: list[TaskRow]

    @property
    def empty(self) -> bool:
        return not (self.diversions or self.disputes or self.repeat_groups or self.tasks)


def incident_loops(db: Database, incident_id: int) -> IncidentLoops:
    """Read the loops of one incident (the repeat check reads its neighbourhood: run it off the UI thread)."""
    return IncidentLoops(
        incident_id,
        DiversionService(db).for_incident(incident_id),
        DisputeService(db).for_incident(incident_id),
        RepeatService(db).groups_for_incident(incident_id),
        TaskService(db).tasks_for_incident(incident_id),
    )


def non_police_codes(db: Database) -> frozenset[str]:
    """Codes of the incident categories that are not police matters (the ones that can be diverted)."""
    table = IncidentCategory.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        return frozenset(conn.execute(select(table.c.code).where(table.c.is_police.is_(False))).scalars())

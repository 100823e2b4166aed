"""Everything the closed loops hold about one incident, for the board's detail pane, and the
merge the one-event detector proposes for it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from station_console.services.disputes import DisputeRow, DisputeService
from station_console.services.diversion import DiversionRow, DiversionService
from station_console.services.repeats import GroupRow, RepeatService
from station_console.services.tasks import TaskRow, TaskService
from station_console.services.warnings import WarningRow, WarningService
from station_console.store.database import Database
from station_console.store.models import IncidentCategory


@dataclass(frozen=True)
class MergeProposal:
    """Calls of one event (same place, minutes apart): merge the later ones into the first."""

    main_id: int
    main_no: str
    duplicate_ids: tuple[int, ...]
    duplicate_nos: tuple[str, ...]


@dataclass(frozen=True)
class IncidentLoops:
    """An incident's diversions, disputes, repeat groups, tasks and warning orders."""

    incident_id: int
    diversions: list[DiversionRow]
    disputes: list[DisputeRow]
    repeat_groups: list[GroupRow]
    tasks: list[TaskRow]
    warnings: list[WarningRow] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.diversions or self.disputes or self.repeat_groups or self.tasks or self.warnings)

    @property
    def merge_proposal(self) -> MergeProposal | None:
        """The one-event group this incident is in, as a merge into its first call (None without one)."""
        for g in self.repeat_groups:
            if g.kind == "event" and len(g.incident_ids) >= 2:
                return MergeProposal(g.incident_ids[0], g.incident_nos[0], g.incident_ids[1:],
                                     g.incident_nos[1:])
        return None


def incident_loops(db: Database, incident_id: int) -> IncidentLoops:
    """Read the loops of one incident (the repeat check reads its neighbourhood: run it off the UI thread)."""
    return IncidentLoops(
        incident_id,
        DiversionService(db).for_incident(incident_id),
        DisputeService(db).for_incident(incident_id),
        RepeatService(db).groups_for_incident(incident_id),
        TaskService(db).tasks_for_incident(incident_id),
        WarningService(db).for_incident(incident_id),
    )


def non_police_codes(db: Database) -> frozenset[str]:
    """Codes of the incident categories that are not police matters (the ones that can be diverted)."""
    table = IncidentCategory.__table__  # type: ignore[attr-defined]
    with db.read() as conn:
        return frozenset(conn.execute(select(table.c.code).where(table.c.is_police.is_(False))).scalars())

"""The incident workflow: which status changes are allowed, and the response clocks.

Pure rules: no Qt, no SQL. A refused change raises ``WorkflowError`` carrying a machine code
(the UI turns it into a translated message) and an English text (CLI, logs). Clocks take the
current time as an argument so that they can be checked at any fixed ``now``, including
across midnight: every computation is on full datetimes, never on times of day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from station_console.domain.categories import DISPATCH_LIMIT_S
from station_console.domain.enums import IncidentStatus, UnitStatus


class Action(StrEnum):
    """What the operator can do to an incident."""

    DISPATCH = "dispatch"  # 派警 (again from dispatched: reassign to another unit)
    ARRIVE = "arrive"      # 到场
    RESOLVE = "resolve"    # 处置完毕
    CLOSE = "close"        # 办结 (feedback written)
    REOPEN = "reopen"      # 重新打开
    MERGE = "merge"        # 合并重复警情 (the duplicate is closed under the main incident)


#: Status after each action, and the statuses each action may start from.
TARGET: Mapping[Action, IncidentStatus] = {
    Action.DISPATCH: IncidentStatus.DISPATCHED,
    Action.ARRIVE: IncidentStatus.ARRIVED,
    Action.RESOLVE: IncidentStatus.RESOLVED,
    Action.CLOSE: IncidentStatus.CLOSED,
    Action.REOPEN: IncidentStatus.NEW,
    Action.MERGE: IncidentStatus.CLOSED,
}
ALLOWED_FROM: Mapping[Action, frozenset[IncidentStatus]] = {
    Action.DISPATCH: frozenset({IncidentStatus.NEW, IncidentStatus.DISPATCHED}),
    Action.ARRIVE: frozenset({IncidentStatus.DISPATCHED}),
    Action.RESOLVE: frozenset({IncidentStatus.ARRIVED}),
    Action.CLOSE: frozenset({IncidentStatus.RESOLVED}),
    Action.REOPEN: frozenset({IncidentStatus.RESOLVED, IncidentStatus.CLOSED}),
    Action.MERGE: frozenset(IncidentStatus),
}


class Refusal(StrEnum):
    """Why a change was refused (the UI has a translated message for each)."""

    WRONG_STATUS = "wrong_status"
    MERGED = "merged"                  # the incident was merged into another
    NO_ASSIGNEE = "no_assignee"        # dispatch needs a unit or an officer
    UNIT_BUSY = "unit_busy"
    UNIT_OFF_DUTY = "unit_off_duty"
    SAME_UNIT = "same_unit"            # reassigning to the unit already on it
    NO_OUTCOME = "no_outcome"
    UNKNOWN_OUTCOME = "unknown_outcome"
    NO_FEEDBACK = "no_feedback"
    NO_REASON = "no_reason"
    MERGE_INTO_SELF = "merge_into_self"
    MERGE_TARGET_MERGED = "merge_target_merged"
    NOTHING_TO_MERGE = "nothing_to_merge"
    EMPTY_NOTE = "empty_note"
    NOT_FOUND = "not_found"
    UNIT_ON_CALL = "unit_on_call"      # a unit on a call cannot go off duty
    SAME_DUTY = "same_duty"            # the unit already has that duty state
    CHANGED_MEANWHILE = "changed_meanwhile"  # someone else changed it since the operator looked


class WorkflowError(Exception):
    """A refused change. ``code`` says why, ``params`` hold the facts for the message."""

    def __init__(self, code: Refusal, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


#: Outcome codes for resolving an incident (处置结果).
OUTCOMES = (
    "handled",       # 现场处置完毕
    "mediated",      # 调解成功
    "case_opened",   # 受案 / 立案
    "referred",      # 移交其他部门
    "diverted",      # 非警务分流
    "false_alarm",   # 无效警情 / 误报
    "no_finding",    # 查无此事
)
#: Outcome given to a duplicate call when it is merged into the main incident.
MERGED_OUTCOME = "merged"


@dataclass(frozen=True)
class IncidentState:
    """What the rules need to know of an incident."""

    id: int
    status: IncidentStatus
    unit_id: int | None = None
    merged_into_id: int | None = None


def check_transition(state: IncidentState, action: Action) -> IncidentStatus:
    """The status ``action`` leads to from ``state``; raises ``WorkflowError`` when not allowed."""
    if state.merged_into_id is not None:
        raise WorkflowError(
            Refusal.MERGED,
            f"incident {state.id} was merged into incident {state.merged_into_id}; "
            "work on the main incident instead",
            main_id=state.merged_into_id,
        )
    if state.status not in ALLOWED_FROM[action]:
        raise WorkflowError(
            Refusal.WRONG_STATUS,
            f"cannot {action.value} incident {state.id}: it is {state.status.value}; "
            f"{action.value} needs {_needs(action)}",
            action=action.value, status=state.status.value,
        )
    return TARGET[action]


def _needs(action: Action) -> str:
    return " or ".join(sorted(s.value for s in ALLOWED_FROM[action]))


def check_dispatch(state: IncidentState, unit_id: int | None, unit_status: UnitStatus | None,
                   officer_id: int | None) -> IncidentStatus:
    """Dispatch (or reassign) to a patrol unit and/or an officer."""
    target = check_transition(state, Action.DISPATCH)
    if unit_id is None and officer_id is None:
        raise WorkflowError(Refusal.NO_ASSIGNEE, "choose a patrol unit or an officer to dispatch")
    if unit_id is not None:
        if unit_id == state.unit_id and state.status == IncidentStatus.DISPATCHED:
            raise WorkflowError(Refusal.SAME_UNIT, f"unit {unit_id} is already on this incident",
                                unit_id=unit_id)
        if unit_status == UnitStatus.OFF_DUTY:
            raise WorkflowError(Refusal.UNIT_OFF_DUTY, f"unit {unit_id} is off duty", unit_id=unit_id)
        if unit_status == UnitStatus.BUSY:
            raise WorkflowError(Refusal.UNIT_BUSY, f"unit {unit_id} is on another call",
                                unit_id=unit_id)
    return target


def check_duty_change(unit_id: int, current: UnitStatus, on_duty: bool) -> UnitStatus:
    """Put a unit on duty (available) or off duty; a unit on a call must finish it first."""
    if current == UnitStatus.BUSY and not on_duty:
        raise WorkflowError(Refusal.UNIT_ON_CALL, f"unit {unit_id} is on a call", unit_id=unit_id)
    if (current == UnitStatus.OFF_DUTY) != on_duty:
        raise WorkflowError(Refusal.SAME_DUTY, f"unit {unit_id} is already {current.value}",
                            unit_id=unit_id)
    return UnitStatus.AVAILABLE if on_duty else UnitStatus.OFF_DUTY


def check_resolve(state: IncidentState, outcome_code: str) -> IncidentStatus:
    """Resolve with an outcome code from ``OUTCOMES``."""
    target = check_transition(state, Action.RESOLVE)
    if not outcome_code:
        raise WorkflowError(Refusal.NO_OUTCOME, "choose the outcome of the incident")
    if outcome_code not in OUTCOMES:
        raise WorkflowError(Refusal.UNKNOWN_OUTCOME, f"unknown outcome code {outcome_code!r}",
                            outcome=outcome_code)
    return target


def check_close(state: IncidentState, feedback: str) -> IncidentStatus:
    """Close the loop: needs the written feedback."""
    target = check_transition(state, Action.CLOSE)
    if not feedback.strip():
        raise WorkflowError(Refusal.NO_FEEDBACK, "write the feedback before closing the incident")
    return target


def check_reopen(state: IncidentState, reason: str) -> IncidentStatus:
    """Reopen a resolved or closed incident; the reason goes into the event log."""
    target = check_transition(state, Action.REOPEN)
    if not reason.strip():
        raise WorkflowError(Refusal.NO_REASON, "give the reason for reopening the incident")
    return target


def check_merge(main: IncidentState, duplicates: Iterable[IncidentState]) -> list[IncidentState]:
    """Merge duplicate calls into ``main``; returns the duplicates to close under it."""
    if main.merged_into_id is not None:
        raise WorkflowError(
            Refusal.MERGE_TARGET_MERGED,
            f"incident {main.id} is itself merged into incident {main.merged_into_id}; "
            "merge into that one",
            main_id=main.merged_into_id,
        )
    dups = list(duplicates)
    if not dups:
        raise WorkflowError(Refusal.NOTHING_TO_MERGE, "select the duplicate calls to merge")
    for dup in dups:
        if dup.id == main.id:
            raise WorkflowError(Refusal.MERGE_INTO_SELF, "an incident cannot be merged into itself")
        check_transition(dup, Action.MERGE)
    return dups


def check_note(text: str) -> str:
    """A note for the event log (must say something)."""
    note = text.strip()
    if not note:
        raise WorkflowError(Refusal.EMPTY_NOTE, "the note is empty")
    return note


def allowed_actions(state: IncidentState) -> frozenset[Action]:
    """The actions whose status rule lets them run on ``state`` (for enabling buttons)."""
    if state.merged_into_id is not None:
        return frozenset()
    return frozenset(a for a, starts in ALLOWED_FROM.items() if state.status in starts)


# clocks ----------------------------------------------------------------------------------


class ClockPhase(StrEnum):
    """Which limit an open incident's clock runs against."""

    DISPATCH = "dispatch"  # while new: receipt (or reopening) to dispatch
    ARRIVAL = "arrival"    # while dispatched: receipt (or reopening) to arrival, the 5-minute target
    ON_SCENE = "on_scene"  # arrived: time keeps running, no limit


@dataclass(frozen=True)
class ClockPolicy:
    """The configurable limits: per-category limits come from the code table; each priority
    may tighten the dispatch limit (the stricter of the two applies)."""

    priority_dispatch_s: Mapping[int, int] = field(
        default_factory=lambda: {int(p): s for p, s in DISPATCH_LIMIT_S.items()}
    )

    @classmethod
    def from_text(cls, text: str) -> ClockPolicy:
        """Read ``"1=60, 2=120, 3=300"`` (priority = seconds) from a setting; the defaults
        for an empty or unreadable text."""
        limits: dict[int, int] = {}
        try:
            for part in text.replace(";", ",").split(","):
                if part.strip():
                    priority, seconds = part.split("=")
                    limits[int(priority)] = int(seconds)
        except ValueError:
            return cls()
        if not limits or min(limits.values()) <= 0:
            return cls()
        return cls(priority_dispatch_s=limits)

    def dispatch_limit_s(self, category_limit_s: int, priority: int) -> int:
        """Seconds allowed from receipt to dispatch for this category and priority."""
        by_priority = self.priority_dispatch_s.get(int(priority))
        return category_limit_s if by_priority is None else min(category_limit_s, by_priority)


DEFAULT_POLICY = ClockPolicy()


@dataclass(frozen=True)
class Clock:
    """The running clock of an open incident at a given moment."""

    phase: ClockPhase
    started_at: datetime
    elapsed_s: int
    limit_s: int | None

    @property
    def remaining_s(self) -> int | None:
        """Seconds left before the limit (negative once overdue); None without a limit."""
        return None if self.limit_s is None else self.limit_s - self.elapsed_s

    @property
    def overdue(self) -> bool:
        return self.limit_s is not None and self.elapsed_s > self.limit_s


def incident_clock(status: IncidentStatus | str, received_at: datetime, *, now: datetime,
                   dispatch_limit_s: int, arrival_limit_s: int,
                   reopened_at: datetime | None = None,
                   merged: bool = False) -> Clock | None:
    """The clock of an incident at ``now``, or None when it is not open (or was merged).

    Both limits are measured from receipt, or from the reopening for a reopened incident
    (its earlier history does not make it overdue the moment it is reopened).
    """
    state = IncidentStatus(status)
    if merged or not state.is_open:
        return None
    start = reopened_at if reopened_at is not None and reopened_at > received_at else received_at
    elapsed = max(0, int((now - start).total_seconds()))
    if state == IncidentStatus.NEW:
        return Clock(ClockPhase.DISPATCH, start, elapsed, dispatch_limit_s)
    if state == IncidentStatus.DISPATCHED:
        return Clock(ClockPhase.ARRIVAL, start, elapsed, arrival_limit_s)
    return Clock(ClockPhase.ON_SCENE, start, elapsed, None)


def format_duration(seconds: int) -> str:
    """``m:ss`` under an hour, ``h:mm:ss`` under a day, then ``Nd hh:mm`` (sign kept)."""
    sign = "-" if seconds < 0 else ""
    s = abs(int(seconds))
    days, rest = divmod(s, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours:02d}:{minutes:02d}"
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


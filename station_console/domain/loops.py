"""State machines of the closed loops: non-police diversion, disputes and warning orders.

Each loop is a table of (state, action) -> next state. Anything not in the table is refused
with a ``LoopError`` that names the item, its state and the action, so the UI can say why.
Clocks: each open state of a loop has a limit; ``step_due`` says when the current step is late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Loop(StrEnum):
    """The loop an item belongs to (the ``loop`` column of the shared event log)."""

    DIVERSION = "diversion"
    DISPUTE = "dispute"
    WARNING = "warning"


class LoopError(Exception):
    """A refused command; the message says what to do."""

    def __init__(self, message: str, *, state: str = "", action: str = "") -> None:
        super().__init__(message)
        self.state = state
        self.action = action


@dataclass(frozen=True)
class Machine:
    """One loop's transitions."""

    loop: Loop
    transitions: dict[tuple[str, str], str]
    final: frozenset[str]

    def check(self, item: str, state: str, action: str) -> str:
        """The state after ``action``; raises ``LoopError`` when it is not allowed now."""
        target = self.transitions.get((state, action))
        if target is None:
            allowed = ", ".join(sorted(self.allowed(state))) or "nothing (the loop is closed)"
            raise LoopError(f"{item} is {state}: '{action}' is not possible now; possible: {allowed}",
                            state=state, action=action)
        return target

    def allowed(self, state: str) -> frozenset[str]:
        """Actions possible in ``state``."""
        return frozenset(a for (s, a) in self.transitions if s == state)


# non-police diversion ------------------------------------------------------------------------


class DiversionState(StrEnum):
    HANDED_OVER = "handed_over"
    ACCEPTED = "accepted"
    DONE = "done"
    FED_BACK = "fed_back"
    CLOSED = "closed"        # revisited: the caller was asked whether they are satisfied
    DECLINED = "declined"    # the department refused it; divert again elsewhere
    CANCELLED = "cancelled"


class DiversionAction(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    COMPLETE = "complete"
    FEEDBACK = "feedback"
    REVISIT = "revisit"
    CANCEL = "cancel"


class DiversionMethod(StrEnum):
    PHONE = "phone"
    PLATFORM = "platform"    # the city's joint handling platform / 12345 work order
    ON_SITE = "on_site"
    DOCUMENT = "document"


_D, _DA = DiversionState, DiversionAction
DIVERSION = Machine(Loop.DIVERSION, {
    (_D.HANDED_OVER, _DA.ACCEPT): _D.ACCEPTED,
    (_D.HANDED_OVER, _DA.DECLINE): _D.DECLINED,
    (_D.HANDED_OVER, _DA.CANCEL): _D.CANCELLED,
    (_D.ACCEPTED, _DA.COMPLETE): _D.DONE,
    (_D.ACCEPTED, _DA.CANCEL): _D.CANCELLED,
    (_D.DONE, _DA.FEEDBACK): _D.FED_BACK,
    (_D.FED_BACK, _DA.REVISIT): _D.CLOSED,
}, frozenset({_D.CLOSED, _D.DECLINED, _D.CANCELLED}))

#: How long each open step of a diversion may take before it is overdue.
DIVERSION_LIMITS: dict[str, timedelta] = {
    _D.HANDED_OVER: timedelta(hours=2),      # the department accepts
    _D.ACCEPTED: timedelta(hours=72),        # the department gets it done
    _D.DONE: timedelta(hours=24),            # the department reports back
    _D.FED_BACK: timedelta(hours=72),        # the command room revisits the caller
}


# disputes --------------------------------------------------------------------------------------


class DisputeStage(StrEnum):
    REGISTERED = "registered"
    MEDIATING = "mediating"
    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"
    HANDED_OVER = "handed_over"


class DisputeAction(StrEnum):
    MEDIATE = "mediate"
    RESOLVE = "resolve"
    FAIL = "fail"            # mediation did not resolve it
    HAND_OVER = "hand_over"  # to the judicial office, the people's mediation committee, a court
    REOPEN = "reopen"        # flared again (a new linked incident)


_S, _SA = DisputeStage, DisputeAction
DISPUTE = Machine(Loop.DISPUTE, {
    (_S.REGISTERED, _SA.MEDIATE): _S.MEDIATING,
    (_S.REGISTERED, _SA.RESOLVE): _S.RESOLVED,
    (_S.MEDIATING, _SA.RESOLVE): _S.RESOLVED,
    (_S.MEDIATING, _SA.FAIL): _S.UNRESOLVED,
    (_S.UNRESOLVED, _SA.MEDIATE): _S.MEDIATING,
    (_S.UNRESOLVED, _SA.HAND_OVER): _S.HANDED_OVER,
    (_S.RESOLVED, _SA.REOPEN): _S.MEDIATING,
}, frozenset({_S.HANDED_OVER}))

#: Risk levels (1 low, 2 medium, 3 high); a dispute that flares again goes up one level.
RISK_LEVELS = (1, 2, 3)
#: Days after registration / resolution when the community officer revisits.
DISPUTE_REVISIT_DAYS = {1: 30, 2: 14, 3: 7}


def escalated_risk(level: int) -> int:
    """The risk level after a resolved dispute flared up again."""
    return min(RISK_LEVELS[-1], level + 1)


# warning orders ------------------------------------------------------------------------------


class WarningKind(StrEnum):
    ANTI_FRAUD = "anti_fraud"
    MISSING_PERSON = "missing_person"
    WANTED_PERSON = "wanted_person"
    KEY_PERSON = "key_person"
    SENSOR_ALARM = "sensor_alarm"


class WarningState(StrEnum):
    RECEIVED = "received"
    REVIEWED = "reviewed"          # second review (二次研判) done
    DISPATCHED = "dispatched"      # verification dispatched
    FED_BACK = "fed_back"          # verification feedback in
    CLOSED = "closed"


class WarningAction(StrEnum):
    REVIEW = "review"
    DISPATCH = "dispatch"
    FEEDBACK = "feedback"
    CLOSE = "close"
    DISMISS = "dismiss"            # the second review found nothing to do (false alarm)


_W, _WA = WarningState, WarningAction
WARNING = Machine(Loop.WARNING, {
    (_W.RECEIVED, _WA.REVIEW): _W.REVIEWED,
    (_W.RECEIVED, _WA.DISMISS): _W.CLOSED,
    (_W.REVIEWED, _WA.DISPATCH): _W.DISPATCHED,
    (_W.REVIEWED, _WA.DISMISS): _W.CLOSED,
    (_W.DISPATCHED, _WA.FEEDBACK): _W.FED_BACK,
    (_W.FED_BACK, _WA.CLOSE): _W.CLOSED,
}, frozenset({_W.CLOSED}))

#: Default limits (minutes) per kind and level 1 (most urgent) to 3: act (dispatch the
#: verification) within the first, answer (feedback) within the second. Anti-fraud: 5 minutes.
WARNING_LIMITS: dict[WarningKind, dict[int, tuple[int, int]]] = {
    WarningKind.ANTI_FRAUD: {1: (5, 30), 2: (5, 60), 3: (10, 120)},
    WarningKind.MISSING_PERSON: {1: (10, 60), 2: (15, 120), 3: (30, 240)},
    WarningKind.WANTED_PERSON: {1: (5, 30), 2: (10, 60), 3: (30, 180)},
    WarningKind.KEY_PERSON: {1: (15, 120), 2: (30, 240), 3: (60, 720)},
    WarningKind.SENSOR_ALARM: {1: (5, 30), 2: (10, 60), 3: (30, 240)},
}


@dataclass(frozen=True)
class StepClock:
    """The running clock of an item's current step."""

    started: datetime
    due: datetime

    def overdue(self, now: datetime) -> bool:
        return now > self.due

    def remaining_s(self, now: datetime) -> int:
        """Seconds left (negative once overdue)."""
        return int((self.due - now).total_seconds())

"""The loops' state machines: every allowed transition and the refused ones."""

from __future__ import annotations

import pytest

from station_console.domain.loops import (
    DISPUTE,
    DIVERSION,
    WARNING,
    WARNING_LIMITS,
    DisputeStage,
    LoopError,
    Machine,
    WarningKind,
    escalated_risk,
)

MACHINES = [DIVERSION, DISPUTE, WARNING]


def _states(machine: Machine) -> set[str]:
    return {s for s, _ in machine.transitions} | set(machine.transitions.values())


def _actions(machine: Machine) -> set[str]:
    return {a for _, a in machine.transitions}


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.loop.value)
def test_every_state_action_pair_is_allowed_or_refused(machine: Machine) -> None:
    for state in _states(machine):
        for action in _actions(machine):
            target = machine.transitions.get((state, action))
            if target is None:
                with pytest.raises(LoopError) as info:
                    machine.check("item 1", state, action)
                assert state in str(info.value) and action in str(info.value)
                assert info.value.state == state and info.value.action == action
            else:
                assert machine.check("item 1", state, action) == target


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.loop.value)
def test_final_states_allow_nothing(machine: Machine) -> None:
    for state in machine.final:
        assert machine.allowed(state) == frozenset()


def test_diversion_happy_path() -> None:
    state = "handed_over"
    for action in ("accept", "complete", "feedback", "revisit"):
        state = DIVERSION.check("d", state, action)
    assert state == "closed"


def test_warning_happy_path_and_dismissal() -> None:
    state = "received"
    for action in ("review", "dispatch", "feedback", "close"):
        state = WARNING.check("w", state, action)
    assert state == "closed"
    assert WARNING.check("w", "reviewed", "dismiss") == "closed"


def test_resolved_dispute_can_only_reopen() -> None:
    assert DISPUTE.allowed(DisputeStage.RESOLVED) == {"reopen"}
    assert DISPUTE.check("d", "resolved", "reopen") == "mediating"


def test_escalation_caps_at_high_risk() -> None:
    assert [escalated_risk(level) for level in (1, 2, 3)] == [2, 3, 3]


def test_anti_fraud_is_acted_on_within_five_minutes_by_default() -> None:
    assert all(limits[0] <= 10 for limits in WARNING_LIMITS[WarningKind.ANTI_FRAUD].values())
    assert WARNING_LIMITS[WarningKind.ANTI_FRAUD][1][0] == 5
    assert set(WARNING_LIMITS) == set(WarningKind)

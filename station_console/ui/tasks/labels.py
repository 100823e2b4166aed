"""Translated names of task states, actions, clocks and refusals."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from station_console.domain.tasks import ClockKind, Refusal, TaskError, TaskState

# lupdate finds calls named ``translate`` with a literal context.
translate = QCoreApplication.translate


def state_names() -> dict[TaskState, str]:
    """State code -> translated name."""
    return {
        TaskState.AWAITING_SIGNOFF: translate("TaskLabels", "Awaiting sign-off"),
        TaskState.SIGNED: translate("TaskLabels", "Signed"),
        TaskState.RETURNED: translate("TaskLabels", "Returned"),
        TaskState.FEEDBACK_FILED: translate("TaskLabels", "Feedback filed"),
        TaskState.REVIEWED: translate("TaskLabels", "Reviewed"),
        TaskState.CANCELLED: translate("TaskLabels", "Cancelled"),
    }


def clock_names() -> dict[ClockKind, str]:
    return {ClockKind.SIGNOFF: translate("TaskLabels", "sign-off"),
            ClockKind.FEEDBACK: translate("TaskLabels", "feedback")}


def action_names() -> dict[str, str]:
    """Event-log action code -> translated name."""
    return {
        "issued": translate("TaskLabels", "Issued"),
        "sign": translate("TaskLabels", "Signed"),
        "file_feedback": translate("TaskLabels", "Feedback filed"),
        "review": translate("TaskLabels", "Reviewed"),
        "return": translate("TaskLabels", "Returned"),
        "cancel": translate("TaskLabels", "Cancelled"),
        "reassign": translate("TaskLabels", "Reassigned"),
        "imported": translate("TaskLabels", "Imported"),
    }


def refusal_text(exc: TaskError) -> str:
    """A translated message for a refused task change."""
    names = state_names()
    texts = {
        Refusal.WRONG_STATE: translate("TaskLabels", "Not possible while the task is “{state}”."),
        Refusal.NO_REASON: translate("TaskLabels", "Give a reason."),
        Refusal.SAME_ASSIGNEE: translate("TaskLabels", "The task is already with this officer."),
        Refusal.NO_ASSIGNEE: translate("TaskLabels", "Choose an active officer."),
        Refusal.INVALID_FEEDBACK: translate("TaskLabels",
                                            "The feedback form has problems; check the marked fields."),
        Refusal.NOT_FOUND: translate("TaskLabels", "The task no longer exists."),
        Refusal.UNKNOWN_TEMPLATE: translate("TaskLabels", "Choose a task template."),
        Refusal.NO_TITLE: translate("TaskLabels", "Give the task a title."),
        Refusal.NOT_YOURS: translate("TaskLabels", "This task is assigned to another officer; only "
                                                   "that officer signs for it and feeds it back."),
    }
    state = exc.params.get("state")
    state_name = names.get(TaskState(state), str(state)) if isinstance(state, str) else ""
    return texts[exc.code].format(state=state_name)

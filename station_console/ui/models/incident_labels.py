"""Translated names, symbols and colours of incident codes, shared by the board, its dialogs
and the export. Status and priority always carry a symbol and a word, never colour alone."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from station_console.domain.enums import IncidentSource, IncidentStatus, Priority, UnitStatus
from station_console.domain.intake import FieldProblem
from station_console.domain.workflow import OUTCOMES, Refusal, WorkflowError
from station_console.services.incidents import EXPORT_COLUMNS, ExportLabels, Flag

# lupdate finds calls named ``translate`` with a literal context.
translate = QCoreApplication.translate


def status_names() -> dict[str, str]:
    return {
        IncidentStatus.NEW: translate("IncidentLabels", "New"),
        IncidentStatus.DISPATCHED: translate("IncidentLabels", "Dispatched"),
        IncidentStatus.ARRIVED: translate("IncidentLabels", "On scene"),
        IncidentStatus.RESOLVED: translate("IncidentLabels", "Resolved"),
        IncidentStatus.CLOSED: translate("IncidentLabels", "Closed"),
    }


STATUS_SYMBOLS = {
    IncidentStatus.NEW: "◆",
    IncidentStatus.DISPATCHED: "➤",
    IncidentStatus.ARRIVED: "●",
    IncidentStatus.RESOLVED: "✓",
    IncidentStatus.CLOSED: "■",
}
STATUS_COLOURS = {
    IncidentStatus.NEW: QColor("#c62828"),
    IncidentStatus.DISPATCHED: QColor("#e65100"),
    IncidentStatus.ARRIVED: QColor("#1565c0"),
    IncidentStatus.RESOLVED: QColor("#2e7d32"),
    IncidentStatus.CLOSED: QColor("#616161"),
}


def priority_names() -> dict[int, str]:
    return {
        Priority.URGENT: translate("IncidentLabels", "Urgent"),
        Priority.HIGH: translate("IncidentLabels", "High"),
        Priority.NORMAL: translate("IncidentLabels", "Normal"),
    }


PRIORITY_SYMBOLS = {Priority.URGENT: "▲▲▲", Priority.HIGH: "▲▲", Priority.NORMAL: "▲"}
PRIORITY_COLOURS = {
    Priority.URGENT: QColor("#b71c1c"),
    Priority.HIGH: QColor("#bf5f00"),
    Priority.NORMAL: QColor("#455a64"),
}
#: Background of rows whose clock has passed its limit.
OVERDUE_BACKGROUND = QColor("#ffd9d6")
OVERDUE_FOREGROUND = QColor("#a00000")


def source_names() -> dict[str, str]:
    return {
        IncidentSource.CALL_110: translate("IncidentLabels", "110 call"),
        IncidentSource.PHONE: translate("IncidentLabels", "Phone"),
        IncidentSource.WALK_IN: translate("IncidentLabels", "Walk-in"),
        IncidentSource.PATROL: translate("IncidentLabels", "Patrol"),
        IncidentSource.WARNING: translate("IncidentLabels", "Warning order"),
        IncidentSource.HOTLINE: translate("IncidentLabels", "12345 hotline"),
    }


def flag_names() -> dict[str, str]:
    return {
        Flag.REPEAT: translate("IncidentLabels", "Repeat"),
        Flag.OVERDUE: translate("IncidentLabels", "Overdue"),
        Flag.DIVERTED: translate("IncidentLabels", "Diverted"),
        Flag.MERGED: translate("IncidentLabels", "Merged"),
    }


FLAG_SYMBOLS = {Flag.REPEAT: "↻", Flag.OVERDUE: "⚠", Flag.DIVERTED: "⇄", Flag.MERGED: "⊞"}


def unit_status_names() -> dict[str, str]:
    return {
        UnitStatus.AVAILABLE: translate("IncidentLabels", "Available"),
        UnitStatus.BUSY: translate("IncidentLabels", "On a call"),
        UnitStatus.OFF_DUTY: translate("IncidentLabels", "Off duty"),
    }


UNIT_STATUS_COLOURS = {
    UnitStatus.AVAILABLE: QColor("#2e7d32"),
    UnitStatus.BUSY: QColor("#e65100"),
    UnitStatus.OFF_DUTY: QColor("#757575"),
}


def outcome_names() -> dict[str, str]:
    names = {
        "handled": translate("IncidentLabels", "Handled on scene"),
        "mediated": translate("IncidentLabels", "Mediated"),
        "case_opened": translate("IncidentLabels", "Case opened"),
        "referred": translate("IncidentLabels", "Referred to another department"),
        "diverted": translate("IncidentLabels", "Diverted (non-police)"),
        "false_alarm": translate("IncidentLabels", "False alarm"),
        "no_finding": translate("IncidentLabels", "Nothing found"),
        "merged": translate("IncidentLabels", "Merged into another incident"),
    }
    assert set(OUTCOMES) <= set(names)
    return names


def event_names() -> dict[str, str]:
    return {
        "received": translate("IncidentLabels", "Received"),
        "dispatched": translate("IncidentLabels", "Dispatched"),
        "reassigned": translate("IncidentLabels", "Reassigned"),
        "arrived": translate("IncidentLabels", "Arrived on scene"),
        "resolved": translate("IncidentLabels", "Resolved"),
        "closed": translate("IncidentLabels", "Closed"),
        "reopened": translate("IncidentLabels", "Reopened"),
        "merged": translate("IncidentLabels", "Duplicate merged in"),
        "merged_into": translate("IncidentLabels", "Merged into"),
        "diverted": translate("IncidentLabels", "Diverted"),
        "note": translate("IncidentLabels", "Note"),
    }


def refusal_message(error: WorkflowError) -> str:
    """The translated reason a workflow command was refused."""
    p = error.params
    messages = {
        Refusal.WRONG_STATUS: translate(
            "IncidentLabels", "This cannot be done while the incident is “{status}”.").format(
            status=status_names().get(str(p.get("status", "")), str(p.get("status", "")))),
        Refusal.MERGED: translate(
            "IncidentLabels", "This call was merged into another incident; work on the main incident."),
        Refusal.NO_ASSIGNEE: translate("IncidentLabels", "Choose a patrol unit or an officer to dispatch."),
        Refusal.UNIT_BUSY: translate(
            "IncidentLabels", "That unit is on another call. Choose an available unit."),
        Refusal.UNIT_OFF_DUTY: translate(
            "IncidentLabels", "That unit is off duty. Choose an available unit."),
        Refusal.SAME_UNIT: translate("IncidentLabels", "That unit is already on this incident."),
        Refusal.NO_OUTCOME: translate("IncidentLabels", "Choose the outcome of the incident."),
        Refusal.UNKNOWN_OUTCOME: translate("IncidentLabels", "Unknown outcome code."),
        Refusal.NO_FEEDBACK: translate("IncidentLabels", "Write the feedback before closing the incident."),
        Refusal.NO_REASON: translate("IncidentLabels", "Give the reason for reopening the incident."),
        Refusal.MERGE_INTO_SELF: translate("IncidentLabels", "An incident cannot be merged into itself."),
        Refusal.MERGE_TARGET_MERGED: translate(
            "IncidentLabels", "The main incident is itself merged; merge into its main incident."),
        Refusal.NOTHING_TO_MERGE: translate(
            "IncidentLabels", "Select the duplicate calls to merge (Ctrl+click in the list)."),
        Refusal.EMPTY_NOTE: translate("IncidentLabels", "The note is empty."),
        Refusal.NOT_FOUND: translate("IncidentLabels", "The incident, unit or officer no longer exists."),
        Refusal.UNIT_ON_CALL: translate(
            "IncidentLabels", "That unit is on a call. Record its result before it goes off duty."),
        Refusal.SAME_DUTY: translate("IncidentLabels", "That unit already has this duty state."),
        Refusal.CHANGED_MEANWHILE: _changed_meanwhile(p),
    }
    return messages[error.code]


def _changed_meanwhile(p: dict[str, object]) -> str:
    """Who changed the incident meanwhile and how, from its timeline's last entry."""
    number = str(p.get("incident_no", ""))
    at = p.get("at")
    if not p.get("event") or at is None:
        return translate(
            "IncidentLabels", "{number} was changed on another workstation meanwhile. It is shown "
            "as it is now: check it and act again.").format(number=number)
    event = str(p["event"])
    return translate(
        "IncidentLabels", "{number} was changed meanwhile: “{event}” by {actor} at {time}. It is "
        "shown as it is now: check it and act again.").format(
        number=number, event=event_names().get(event, event),
        actor=str(p.get("actor") or "?"), time=at.strftime("%H:%M:%S") if hasattr(at, "strftime") else at)


def field_problem_message(problem: FieldProblem) -> str:
    """The translated message shown next to an intake form field."""
    return {
        FieldProblem.REQUIRED: translate("IncidentLabels", "Required."),
        FieldProblem.PHONE_FORMAT: translate(
            "IncidentLabels", "Not a mainland mobile (11 digits) or landline number with area code."),
        FieldProblem.ID_FORMAT: translate(
            "IncidentLabels", "An ID number has 18 characters: 17 digits and a digit or X."),
        FieldProblem.ID_BIRTH_DATE: translate(
            "IncidentLabels", "The birth date inside the ID number is not a real date."),
        FieldProblem.ID_CHECKSUM: translate(
            "IncidentLabels", "The last character of the ID number does not match; check for a typo."),
        FieldProblem.UNKNOWN_CODE: translate("IncidentLabels", "Not in the code table; pick from the list."),
        FieldProblem.NO_COMMUNITY: translate(
            "IncidentLabels", "The community cannot be told from the address; pick it from the list."),
        FieldProblem.IN_FUTURE: translate("IncidentLabels", "The time is in the future."),
        FieldProblem.TOO_LONG: translate("IncidentLabels", "Too long."),
        FieldProblem.OUT_OF_RANGE: translate(
            "IncidentLabels", "Out of range: latitude 0.8 to 55.8, longitude 72 to 137.8 (WGS-84); "
            "are they swapped?"),
    }[problem]


def export_headers() -> dict[str, str]:
    headers = {
        "incident_no": translate("IncidentLabels", "Incident number"),
        "received_at": translate("IncidentLabels", "Received"),
        "category": translate("IncidentLabels", "Category"),
        "priority": translate("IncidentLabels", "Priority"),
        "status": translate("IncidentLabels", "Status"),
        "source": translate("IncidentLabels", "Source"),
        "address": translate("IncidentLabels", "Address"),
        "community": translate("IncidentLabels", "Community"),
        "grid": translate("IncidentLabels", "Grid"),
        "caller_name": translate("IncidentLabels", "Caller"),
        "caller_phone": translate("IncidentLabels", "Caller phone"),
        "unit": translate("IncidentLabels", "Unit"),
        "officer": translate("IncidentLabels", "Officer"),
        "dispatched_at": translate("IncidentLabels", "Dispatched at"),
        "arrived_at": translate("IncidentLabels", "Arrived at"),
        "resolved_at": translate("IncidentLabels", "Resolved at"),
        "closed_at": translate("IncidentLabels", "Closed at"),
        "outcome_code": translate("IncidentLabels", "Outcome"),
        "flags": translate("IncidentLabels", "Flags"),
        "description": translate("IncidentLabels", "Description"),
        "feedback": translate("IncidentLabels", "Feedback"),
    }
    assert set(EXPORT_COLUMNS) == set(headers)
    return headers


def export_labels() -> ExportLabels:
    """Headers and code names of an export in the user's language."""
    return ExportLabels(
        headers=export_headers(), statuses=status_names(),
        priorities={int(k): v for k, v in priority_names().items()}, sources=source_names(),
        flags=flag_names(), outcomes=outcome_names(),
    )

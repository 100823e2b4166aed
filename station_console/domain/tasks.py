"""Community-officer tasks: states, transitions, deadline clocks and feedback-form rules.

Pure rules: no Qt, no SQL. Times are naive local datetimes and every computation is on full
datetimes (never times of day), so deadlines are right across midnight and month ends. The
current time is always an argument, so clocks and alerts can be checked at any fixed ``now``.

A refused change raises ``TaskError`` with a machine code (the UI turns it into a translated
message) and an English text (CLI, logs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

#: Sign-off limit of the standard: the command room signs and passes each task within 30 minutes.
DEFAULT_SIGNOFF_MIN = 30
#: Feedback limits the standard allows (hours).
FEEDBACK_LIMITS_H = (3, 6, 9, 24)
#: A clock is "about to expire" this long before its deadline.
DEFAULT_WARN = timedelta(minutes=10)


class TaskState(StrEnum):
    """Where a task stands."""

    AWAITING_SIGNOFF = "awaiting_signoff"  # 待签收
    SIGNED = "signed"                      # 已签收, feedback clock running
    RETURNED = "returned"                  # 已退回: feedback sent back, clock restarted
    FEEDBACK_FILED = "feedback_filed"      # 已反馈, waiting for the duty leader's review
    REVIEWED = "reviewed"                  # 已审核: closed
    CANCELLED = "cancelled"                # 已撤销

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATES


OPEN_STATES = frozenset({TaskState.AWAITING_SIGNOFF, TaskState.SIGNED, TaskState.RETURNED,
                         TaskState.FEEDBACK_FILED})
#: States in which the officer owes something (a clock of theirs is running).
CLOCK_STATES = frozenset({TaskState.AWAITING_SIGNOFF, TaskState.SIGNED, TaskState.RETURNED})


class TaskSource(StrEnum):
    """Where a task came from."""

    INCIDENT = "incident"  # from an incident (revisit, check)
    MANUAL = "manual"      # typed in by the command room
    UPSTREAM = "upstream"  # a task order file from the district centre
    DISPUTE = "dispute"
    WARNING = "warning"


class TaskAction(StrEnum):
    """What can be done to a task."""

    SIGN = "sign"
    FILE_FEEDBACK = "file_feedback"
    REVIEW = "review"
    RETURN = "return"
    CANCEL = "cancel"
    REASSIGN = "reassign"


ALLOWED_FROM: Mapping[TaskAction, frozenset[TaskState]] = {
    TaskAction.SIGN: frozenset({TaskState.AWAITING_SIGNOFF}),
    TaskAction.FILE_FEEDBACK: frozenset({TaskState.SIGNED, TaskState.RETURNED}),
    TaskAction.REVIEW: frozenset({TaskState.FEEDBACK_FILED}),
    TaskAction.RETURN: frozenset({TaskState.FEEDBACK_FILED}),
    TaskAction.CANCEL: frozenset({TaskState.AWAITING_SIGNOFF, TaskState.SIGNED, TaskState.RETURNED}),
    TaskAction.REASSIGN: frozenset({TaskState.AWAITING_SIGNOFF, TaskState.SIGNED, TaskState.RETURNED}),
}
TARGET: Mapping[TaskAction, TaskState] = {
    TaskAction.SIGN: TaskState.SIGNED,
    TaskAction.FILE_FEEDBACK: TaskState.FEEDBACK_FILED,
    TaskAction.REVIEW: TaskState.REVIEWED,
    TaskAction.RETURN: TaskState.RETURNED,
    TaskAction.CANCEL: TaskState.CANCELLED,
    # A new assignee has to sign for the task again.
    TaskAction.REASSIGN: TaskState.AWAITING_SIGNOFF,
}


class Refusal(StrEnum):
    """Why a task change was refused (the UI has a translated message for each)."""

    WRONG_STATE = "wrong_state"
    NO_REASON = "no_reason"
    SAME_ASSIGNEE = "same_assignee"
    NO_ASSIGNEE = "no_assignee"
    INVALID_FEEDBACK = "invalid_feedback"
    NOT_FOUND = "not_found"
    UNKNOWN_TEMPLATE = "unknown_template"
    NO_TITLE = "no_title"
    TEMPLATE_IN_USE = "template_in_use"
    INVALID_TEMPLATE = "invalid_template"
    NOT_YOURS = "not_yours"


class TaskError(Exception):
    """A refused task change. ``code`` says why, ``params`` hold the facts for the message."""

    def __init__(self, code: Refusal, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def check_transition(task_no: str, state: TaskState, action: TaskAction) -> TaskState:
    """The state ``action`` leads to from ``state``; raises ``TaskError`` when not allowed."""
    if state not in ALLOWED_FROM[action]:
        needs = ", ".join(sorted(s.value for s in ALLOWED_FROM[action]))
        raise TaskError(
            Refusal.WRONG_STATE,
            f"cannot {action.value} task {task_no}: it is {state.value}; {action.value} needs {needs}",
            action=action.value, state=state.value,
        )
    return TARGET[action]


def require_reason(action: TaskAction, reason: str) -> str:
    """The stripped reason; returning, cancelling and reassigning must say why."""
    cleaned = reason.strip()
    if not cleaned:
        raise TaskError(Refusal.NO_REASON, f"{action.value} needs a reason", action=action.value)
    return cleaned


# clocks -----------------------------------------------------------------------------------


def signoff_deadline(issued_at: datetime, limit_min: int = DEFAULT_SIGNOFF_MIN) -> datetime:
    """When the task must be signed for."""
    return issued_at + timedelta(minutes=limit_min)


def feedback_deadline(clock_start: datetime, limit_h: int) -> datetime:
    """When feedback is due; the clock starts at sign-off and restarts when the task is returned."""
    return clock_start + timedelta(hours=limit_h)


class ClockLevel(StrEnum):
    """How close a running clock is to its deadline."""

    OK = "ok"
    EXPIRING = "expiring"  # within the warning window
    OVERDUE = "overdue"


class ClockKind(StrEnum):
    """Which of a task's deadlines is running."""

    SIGNOFF = "signoff"
    FEEDBACK = "feedback"


def clock_level(due: datetime, now: datetime, warn: timedelta = DEFAULT_WARN) -> ClockLevel:
    """OK, about to expire (``warn`` or less left) or overdue (past the deadline)."""
    if now > due:
        return ClockLevel.OVERDUE
    if due - now <= warn:
        return ClockLevel.EXPIRING
    return ClockLevel.OK


@dataclass(frozen=True)
class RunningClock:
    """The deadline a task's assignee is working against right now."""

    kind: ClockKind
    due: datetime

    def remaining(self, now: datetime) -> timedelta:
        """Time left (negative when overdue)."""
        return self.due - now

    def level(self, now: datetime, warn: timedelta = DEFAULT_WARN) -> ClockLevel:
        return clock_level(self.due, now, warn)


def running_clock(state: TaskState, signoff_due: datetime,
                  feedback_due: datetime | None) -> RunningClock | None:
    """The clock that runs in ``state`` (none once feedback is filed or the task is closed)."""
    if state == TaskState.AWAITING_SIGNOFF:
        return RunningClock(ClockKind.SIGNOFF, signoff_due)
    if state in (TaskState.SIGNED, TaskState.RETURNED) and feedback_due is not None:
        return RunningClock(ClockKind.FEEDBACK, feedback_due)
    return None


def format_remaining(delta: timedelta) -> str:
    """A countdown such as ``2:05:09`` or, past the deadline, ``-0:03:12``; days as ``1d 02:00:00``."""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}"


@dataclass(frozen=True)
class Alert:
    """A clock that just crossed into about-to-expire or overdue."""

    task_id: int
    task_no: str
    kind: ClockKind
    level: ClockLevel
    due: datetime


@dataclass(frozen=True)
class WatchedClock:
    """What the alert tracker needs of one open task."""

    task_id: int
    task_no: str
    clock: RunningClock


@dataclass
class AlertTracker:
    """Raises each about-to-expire and overdue alert once per clock (a new deadline re-arms it)."""

    warn: timedelta = DEFAULT_WARN
    _seen: set[tuple[int, ClockKind, datetime, ClockLevel]] = field(default_factory=set)

    def update(self, clocks: Iterable[WatchedClock], now: datetime) -> list[Alert]:
        """The alerts that became due since the last call, overdue ones first."""
        alerts: list[Alert] = []
        live: set[tuple[int, ClockKind, datetime, ClockLevel]] = set()
        for item in clocks:
            level = item.clock.level(now, self.warn)
            if level == ClockLevel.OK:
                continue
            key = (item.task_id, item.clock.kind, item.clock.due, level)
            live.add(key)
            # A clock seen overdue never re-announces "about to expire".
            expiring_key = (item.task_id, item.clock.kind, item.clock.due, ClockLevel.EXPIRING)
            if level == ClockLevel.OVERDUE:
                live.add(expiring_key)
            if key not in self._seen:
                alerts.append(Alert(item.task_id, item.task_no, item.clock.kind, level, item.clock.due))
        self._seen = live
        alerts.sort(key=lambda a: (a.level != ClockLevel.OVERDUE, a.due))
        return alerts


# feedback forms ---------------------------------------------------------------------------


class FieldType(StrEnum):
    """Field types of a feedback form (答题卡)."""

    PICK_ONE = "pick_one"
    PICK_MANY = "pick_many"
    YES_NO = "yes_no"
    NUMBER = "number"
    DATETIME = "datetime"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"


SHORT_TEXT_MAX = 100
LONG_TEXT_MAX = 2000
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class FormField:
    """One question of a feedback form."""

    key: str
    label: str
    type: FieldType
    required: bool = True
    options: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


class SchemaError(ValueError):
    """A form schema that cannot be used; the message names the field and what is wrong.

    ``code`` says what is wrong (the UI has a translated text for each) and ``index`` which
    field (1-based; None for the form as a whole).
    """

    def __init__(self, message: str, code: str = "", index: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.index = index


@dataclass(frozen=True)
class FormProblem:
    """A problem with one answer: which field, the machine code and an English text."""

    key: str
    label: str
    code: str
    message: str


PICK_TYPES = (FieldType.PICK_ONE, FieldType.PICK_MANY)


def _parse_field(raw: Any, index: int, where: str, keys: set[str]) -> FormField:
    """Check one field object of a schema (``keys`` holds the keys seen before it)."""
    at = f"{where}, field {index}"

    def fail(code: str, message: str) -> SchemaError:
        return SchemaError(f"{at}{message}", code, index)

    if not isinstance(raw, dict):
        raise fail("not_an_object", ": each field must be an object with key, label and type")
    key = str(raw.get("key", "")).strip()
    label = str(raw.get("label", "")).strip()
    if not key or not label:
        raise fail("no_label", ": 'key' and 'label' are required")
    if key in keys:
        raise fail("duplicate_key", f": the key '{key}' is used twice; keys must be unique")
    try:
        ftype = FieldType(raw.get("type"))
    except ValueError:
        kinds = ", ".join(t.value for t in FieldType)
        raise fail("unknown_type",
                   f" ('{key}'): unknown type {raw.get('type')!r}; use one of {kinds}") from None
    options = tuple(str(o) for o in raw.get("options", ()))
    if ftype in PICK_TYPES:
        if len(options) < 2:
            raise fail("few_options", f" ('{key}'): a {ftype.value} field needs at least two options")
        if any(not o.strip() for o in options):
            raise fail("blank_option", f" ('{key}'): options must not be blank")
        if len(set(options)) != len(options):
            raise fail("duplicate_options", f" ('{key}'): options must be different from each other")
    elif options:
        raise fail("options_not_allowed", f" ('{key}'): only pick_one and pick_many fields have options")
    required = raw.get("required", True)
    if not isinstance(required, bool):
        raise fail("required_not_bool", f" ('{key}'): 'required' must be true or false")
    minimum, maximum = raw.get("min"), raw.get("max")
    for bound in (minimum, maximum):
        if bound is not None and (ftype != FieldType.NUMBER or not isinstance(bound, int | float)):
            raise fail("bad_bounds", f" ('{key}'): min and max are numbers, for number fields only")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise fail("min_above_max", f" ('{key}'): min {minimum:g} is above max {maximum:g}")
    return FormField(key, label, ftype, required, options,
                     None if minimum is None else float(minimum),
                     None if maximum is None else float(maximum))


def parse_form_schema(doc: Any, where: str = "form") -> tuple[FormField, ...]:
    """Check a form schema (a list of field objects) and return its fields."""
    if not isinstance(doc, list) or not doc:
        raise SchemaError(f"{where}: the form must be a non-empty list of fields", "empty_form")
    fields: list[FormField] = []
    keys: set[str] = set()
    for index, raw in enumerate(doc, start=1):
        fields.append(_parse_field(raw, index, where, keys))
        keys.add(fields[-1].key)
    return tuple(fields)


def schema_problems(doc: Any, where: str = "form") -> list[SchemaError]:
    """Every problem of a form schema, at most one per field (an editor marks them all at once)."""
    if not isinstance(doc, list) or not doc:
        return [SchemaError(f"{where}: the form must be a non-empty list of fields", "empty_form")]
    problems: list[SchemaError] = []
    keys: set[str] = set()
    for index, raw in enumerate(doc, start=1):
        try:
            keys.add(_parse_field(raw, index, where, keys).key)
        except SchemaError as exc:
            problems.append(exc)
    return problems


def field_to_dict(f: FormField) -> dict[str, Any]:
    """A form field as the schema's JSON object (what ``parse_form_schema`` reads back)."""
    doc: dict[str, Any] = {"key": f.key, "label": f.label, "type": f.type.value, "required": f.required}
    if f.options:
        doc["options"] = list(f.options)
    for name, bound in (("min", f.minimum), ("max", f.maximum)):
        if bound is not None:
            doc[name] = int(bound) if bound.is_integer() else bound
    return doc


def new_field_key(taken: Iterable[str]) -> str:
    """A key for a field added in the editor, unused among ``taken`` (answers are stored by key)."""
    used = set(taken)
    n = 1
    while f"f{n}" in used:
        n += 1
    return f"f{n}"


@dataclass(frozen=True)
class TemplateProblem:
    """A problem with a template being edited: the part (``name``, ``signoff_limit_min``,
    ``feedback_limit_h`` or ``form``), the form field (1-based) when it is one, a code and a text."""

    part: str
    index: int | None
    code: str
    message: str


TEMPLATE_NAME_MAX = 60


def template_problems(code: str, name: str, signoff_limit_min: int, feedback_limit_h: int,
                      form: Any) -> list[TemplateProblem]:
    """Everything wrong with a template's values; an empty list means it can be saved."""
    where = f"template {code}"
    problems: list[TemplateProblem] = []
    if not name.strip():
        problems.append(TemplateProblem("name", None, "no_name", f"{where}: give the template a name"))
    elif len(name.strip()) > TEMPLATE_NAME_MAX:
        problems.append(TemplateProblem("name", None, "name_too_long",
                                        f"{where}: the name is longer than {TEMPLATE_NAME_MAX} characters"))
    for part, value in (("signoff_limit_min", signoff_limit_min), ("feedback_limit_h", feedback_limit_h)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(TemplateProblem(part, None, "not_positive",
                                            f"{where}: {part} must be a whole number of 1 or more"))
    problems.extend(TemplateProblem("form", e.index, e.code, str(e)) for e in schema_problems(form, where))
    return problems


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _parse_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(str(value).strip(), fmt)
        except ValueError:
            continue
    return None


def _clean(f: FormField, value: Any) -> tuple[Any, FormProblem | None]:
    def bad(code: str, message: str) -> tuple[Any, FormProblem]:
        return None, FormProblem(f.key, f.label, code, f"{f.label}: {message}")

    if f.type == FieldType.PICK_ONE:
        if str(value) not in f.options:
            return bad("not_an_option", f"{value!r} is not one of the options")
        return str(value), None
    if f.type == FieldType.PICK_MANY:
        picked = [value] if isinstance(value, str) else list(value)
        unknown = [str(v) for v in picked if str(v) not in f.options]
        if unknown:
            return bad("not_an_option", f"{', '.join(unknown)} not among the options")
        # Keep the schema's order so exports read the same whichever order was clicked.
        return [o for o in f.options if o in {str(v) for v in picked}], None
    if f.type == FieldType.YES_NO:
        if isinstance(value, bool):
            return value, None
        text = str(value).strip().lower()
        if text in ("yes", "true", "1", "是"):
            return True, None
        if text in ("no", "false", "0", "否"):
            return False, None
        return bad("not_yes_no", "answer yes or no")
    if f.type == FieldType.NUMBER:
        try:
            number = float(value) if not isinstance(value, bool) else None
        except (TypeError, ValueError):
            number = None
        if number is None or number != number:
            return bad("not_a_number", f"{value!r} is not a number")
        if f.minimum is not None and number < f.minimum:
            return bad("too_small", f"must be at least {f.minimum:g}")
        if f.maximum is not None and number > f.maximum:
            return bad("too_large", f"must be at most {f.maximum:g}")
        return (int(number) if number.is_integer() else number), None
    if f.type == FieldType.DATETIME:
        moment = _parse_datetime(value)
        if moment is None:
            return bad("not_a_datetime", f"{value!r} is not a date and time (YYYY-MM-DD HH:MM)")
        return moment.isoformat(sep=" ", timespec="minutes"), None
    limit = SHORT_TEXT_MAX if f.type == FieldType.SHORT_TEXT else LONG_TEXT_MAX
    text = str(value).strip()
    if f.type == FieldType.SHORT_TEXT and "\n" in text:
        return bad("multiline", "must be one line")
    if len(text) > limit:
        return bad("too_long", f"is {len(text)} characters; at most {limit}")
    return text, None


def validate_answers(fields: Sequence[FormField],
                     answers: Mapping[str, Any]) -> tuple[dict[str, Any], list[FormProblem]]:
    """Check answers against the form: returns the cleaned answers and the problems found."""
    cleaned: dict[str, Any] = {}
    problems: list[FormProblem] = []
    known = {f.key for f in fields}
    for key in answers:
        if key not in known:
            problems.append(FormProblem(key, key, "unknown_field", f"{key}: not a field of this form"))
    for f in fields:
        value = answers.get(f.key)
        if _blank(value):
            if f.required:
                problems.append(FormProblem(f.key, f.label, "required", f"{f.label}: an answer is required"))
            continue
        clean, problem = _clean(f, value)
        if problem is not None:
            problems.append(problem)
        else:
            cleaned[f.key] = clean
    return cleaned, problems


def answer_text(f: FormField, value: Any, yes: str = "是", no: str = "否") -> str:
    """An answer as one line of text, for lists, exports and the PDF summary."""
    if value is None:
        return ""
    if f.type == FieldType.PICK_MANY:
        return "、".join(str(v) for v in value)
    if f.type == FieldType.YES_NO:
        return yes if value else no
    return str(value)


# figures ----------------------------------------------------------------------------------


def median_minutes(durations: Sequence[timedelta]) -> float | None:
    """The median of durations in minutes (None when there are none)."""
    if not durations:
        return None
    ordered = sorted(d.total_seconds() for d in durations)
    mid = len(ordered) // 2
    seconds = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return round(seconds / 60.0, 1)

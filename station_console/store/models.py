"""SQLModel tables of the station store.

Times are naive local station time (the station's own wall clock, Asia/Shanghai for the demo):
the command room thinks in shifts and hours of the day, and the feeds it imports are written in
local time. Coordinates are WGS-84. Geometry is GeoJSON text. The SQL stays portable between
SQLite and PostgreSQL; SQLite-only features sit in ``store.dialect``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, Text
from sqlmodel import Field, SQLModel


class AppMeta(SQLModel, table=True):
    """Key/value facts about this database (station id, demo flag, program that wrote it)."""

    __tablename__ = "app_meta"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_column=Column(Text, nullable=False))


class Station(SQLModel, table=True):
    """The police station (派出所) this database belongs to."""

    __tablename__ = "station"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    district: str = Field(default="", max_length=100)
    city: str = Field(default="", max_length=100)
    address: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)
    center_lat: float
    center_lon: float


class Community(SQLModel, table=True):
    """A community (社区) or village (村) of the jurisdiction."""

    __tablename__ = "community"

    id: int | None = Field(default=None, primary_key=True)
    station_id: int = Field(foreign_key="station.id", index=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    kind: str = Field(default="community", max_length=16)
    population: int = 0
    households: int = 0
    center_lat: float
    center_lon: float
    geometry: str = Field(sa_column=Column(Text, nullable=False))


class Grid(SQLModel, table=True):
    """A grid (网格): the smallest management cell, inside one community."""

    __tablename__ = "grid"

    id: int | None = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="community.id", index=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    grid_worker: str = Field(default="", max_length=50)
    center_lat: float
    center_lon: float
    geometry: str = Field(sa_column=Column(Text, nullable=False))


class PolicePost(SQLModel, table=True):
    """A staffed police post (警务站 / 警务室) inside the jurisdiction."""

    __tablename__ = "police_post"

    id: int | None = Field(default=None, primary_key=True)
    station_id: int = Field(foreign_key="station.id", index=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    address: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)
    lat: float
    lon: float


class KeyPlace(SQLModel, table=True):
    """A key place (重点场所): bank, school, hospital, market, heritage site, ..."""

    __tablename__ = "key_place"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    place_type: str = Field(max_length=32, index=True)
    address: str = Field(default="", max_length=200)
    contact: str = Field(default="", max_length=100)
    lat: float
    lon: float
    community_id: int | None = Field(default=None, foreign_key="community.id", index=True)
    grid_id: int | None = Field(default=None, foreign_key="grid.id")


class Officer(SQLModel, table=True):
    """A police officer (民警) or auxiliary (辅警) of the station."""

    __tablename__ = "officer"

    id: int | None = Field(default=None, primary_key=True)
    badge_no: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=50)
    kind: str = Field(max_length=16)
    team: str = Field(max_length=32, index=True)
    title: str = Field(default="", max_length=50)
    phone: str = Field(default="", max_length=40)
    post_id: int | None = Field(default=None, foreign_key="police_post.id")
    active: bool = True


class OfficerCommunity(SQLModel, table=True):
    """The communities an officer is responsible for (home communities)."""

    __tablename__ = "officer_community"

    officer_id: int = Field(foreign_key="officer.id", primary_key=True)
    community_id: int = Field(foreign_key="community.id", primary_key=True)
    is_primary: bool = True


class PatrolUnit(SQLModel, table=True):
    """A patrol unit (巡逻组 / 处警组) that incidents are dispatched to."""

    __tablename__ = "patrol_unit"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    call_sign: str = Field(default="", max_length=32)
    post_id: int | None = Field(default=None, foreign_key="police_post.id")
    leader_id: int | None = Field(default=None, foreign_key="officer.id")
    status: str = Field(default="available", max_length=16)


class PatrolUnitMember(SQLModel, table=True):
    """Officers and auxiliaries who ride with a unit."""

    __tablename__ = "patrol_unit_member"

    unit_id: int = Field(foreign_key="patrol_unit.id", primary_key=True)
    officer_id: int = Field(foreign_key="officer.id", primary_key=True)


class CategoryGroupRow(SQLModel, table=True):
    """Category groups (刑事, 治安, 非警务 ...)."""

    __tablename__ = "category_group"

    code: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=50)
    name_en: str = Field(max_length=50)
    is_police: bool = True
    sort_order: int = 0


class IncidentCategory(SQLModel, table=True):
    """The editable incident category code table, with clock limits per category."""

    __tablename__ = "incident_category"

    code: str = Field(primary_key=True, max_length=16)
    group_code: str = Field(foreign_key="category_group.code", max_length=32)
    name: str = Field(max_length=50)
    name_en: str = Field(max_length=80)
    is_police: bool = True
    is_property: bool = False
    default_priority: int = 2
    dispatch_limit_s: int = 120
    arrival_limit_s: int = 300
    active: bool = True
    sort_order: int = 0


class Incident(SQLModel, table=True):
    """An incident (警情): a call or report, and its whole timeline."""

    __tablename__ = "incident"
    __table_args__ = (
        Index("ix_incident_received", "received_at"),
        Index("ix_incident_status_received", "status", "received_at"),
        Index("ix_incident_category_received", "category_code", "received_at"),
        Index("ix_incident_community_received", "community_id", "received_at"),
        Index("ix_incident_caller_phone", "caller_phone"),
        Index("ix_incident_caller_id_no", "caller_id_no"),
        Index("ix_incident_priority_received", "priority", "received_at"),
        Index("ix_incident_updated_at", "updated_at"),
        Index("ix_incident_address", "address"),
        Index("ix_incident_repeat_received", "is_repeat", "received_at"),
        Index("ix_incident_diverted_received", "is_diverted", "received_at"),
        Index("ux_incident_sync_uuid", "sync_uuid", unique=True),
        Index("ix_incident_sync_seq", "sync_seq"),
        Index("ix_incident_origin_received", "sync_origin", "received_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_no: str = Field(max_length=40, unique=True)
    source: str = Field(max_length=16)
    category_code: str = Field(foreign_key="incident_category.code", max_length=16)
    priority: int = 2
    status: str = Field(default="new", max_length=16)
    received_at: datetime = Field(sa_type=DateTime)
    dispatched_at: datetime | None = Field(default=None, sa_type=DateTime)
    arrived_at: datetime | None = Field(default=None, sa_type=DateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=DateTime)
    closed_at: datetime | None = Field(default=None, sa_type=DateTime)
    #: When a resolved or closed incident was last reopened: its clocks restart from here.
    reopened_at: datetime | None = Field(default=None, sa_type=DateTime)
    caller_name: str = Field(default="", max_length=50)
    caller_phone: str = Field(default="", max_length=32)
    caller_id_no: str = Field(default="", max_length=32)
    address: str = Field(default="", max_length=200)
    lat: float | None = None
    lon: float | None = None
    community_id: int | None = Field(default=None, foreign_key="community.id")
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    unit_id: int | None = Field(default=None, foreign_key="patrol_unit.id")
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    outcome_code: str = Field(default="", max_length=16)
    feedback: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    merged_into_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    is_repeat: bool = False
    is_diverted: bool = False
    in_jurisdiction: bool = True
    updated_at: datetime = Field(sa_type=DateTime)
    # Change-package identity (services/changes.py): empty until the row is first stamped.
    #: The row's identity on every station (32 hex digits).
    sync_uuid: str | None = Field(default=None, max_length=32)
    #: The station whose write made the current version.
    sync_origin: str | None = Field(default=None, max_length=32)
    #: Hybrid logical clock of the current version: milliseconds << 16 | counter.
    sync_hlc: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    #: The clock of the version this one replaced (tells an edit from a concurrent one).
    sync_base: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    #: Local change counter: rows above a peer's mark go into its next package.
    sync_seq: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


class IncidentEvent(SQLModel, table=True):
    """The incident's event log: who did what, when."""

    __tablename__ = "incident_event"
    __table_args__ = (
        Index("ix_incident_event_incident_at", "incident_id", "at"),
        Index("ux_incident_event_sync_uuid", "sync_uuid", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id")
    at: datetime = Field(sa_type=DateTime)
    actor: str = Field(default="", max_length=50)
    action: str = Field(max_length=32)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    #: Change-package identity (events are never edited: no clock); empty until first stamped.
    sync_uuid: str | None = Field(default=None, max_length=32)
    #: The station that wrote the event.
    sync_origin: str | None = Field(default=None, max_length=32)


class TaskTemplate(SQLModel, table=True):
    """A standard task (标准件): what to do, by when, and the feedback form to answer with."""

    __tablename__ = "task_template"

    code: str = Field(primary_key=True, max_length=16)
    name: str = Field(max_length=60)
    kind: str = Field(default="", max_length=32)
    lead_department: str = Field(default="", max_length=60)
    basis: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    measures: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    standard: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    signoff_limit_min: int = 30
    feedback_limit_h: int = 24
    #: The feedback form (答题卡) as JSON: a list of fields with key, label, type, options, required.
    form_schema: str = Field(sa_column=Column(Text, nullable=False))
    #: Incident category codes this template suits (comma-separated), to propose it from an incident.
    category_codes: str = Field(default="", max_length=200)
    active: bool = True
    sort_order: int = 0


class Task(SQLModel, table=True):
    """A task (任务指令) given to an officer, with its sign-off and feedback clocks."""

    __tablename__ = "task"
    __table_args__ = (
        Index("ix_task_state_assignee", "state", "assignee_id"),
        Index("ix_task_assignee_issued", "assignee_id", "issued_at"),
        Index("ix_task_issued", "issued_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_no: str = Field(max_length=40, unique=True)
    #: The upstream order number of an imported task order; re-importing it changes nothing.
    external_no: str | None = Field(default=None, max_length=60, unique=True)
    template_code: str = Field(foreign_key="task_template.code", max_length=16, index=True)
    source: str = Field(max_length=16)
    title: str = Field(max_length=200)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    community_id: int | None = Field(default=None, foreign_key="community.id", index=True)
    assignee_id: int = Field(foreign_key="officer.id")
    state: str = Field(max_length=20)
    issued_by: str = Field(default="", max_length=50)
    issued_at: datetime = Field(sa_type=DateTime)
    signoff_due: datetime = Field(sa_type=DateTime)
    signed_at: datetime | None = Field(default=None, sa_type=DateTime)
    #: When the running feedback clock started: sign-off, or the last return to the officer.
    feedback_started_at: datetime | None = Field(default=None, sa_type=DateTime)
    feedback_due: datetime | None = Field(default=None, sa_type=DateTime)
    feedback_at: datetime | None = Field(default=None, sa_type=DateTime)
    #: The filled-in feedback form as JSON (field key -> answer).
    feedback: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    reviewed_at: datetime | None = Field(default=None, sa_type=DateTime)
    reviewed_by: str = Field(default="", max_length=50)
    closed_at: datetime | None = Field(default=None, sa_type=DateTime)
    return_count: int = 0
    #: Set once the task missed a deadline, so figures count it even after it was caught up.
    was_overdue: bool = False
    updated_at: datetime = Field(sa_type=DateTime)


class TaskIncident(SQLModel, table=True):
    """The incidents a task was issued from (repeat calls give several)."""

    __tablename__ = "task_incident"

    task_id: int = Field(foreign_key="task.id", primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", primary_key=True, index=True)


class TaskEvent(SQLModel, table=True):
    """The task's event log: issued, signed, fed back, returned, reassigned, ..."""

    __tablename__ = "task_event"
    __table_args__ = (Index("ix_task_event_task_at", "task_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    at: datetime = Field(sa_type=DateTime)
    actor: str = Field(default="", max_length=50)
    action: str = Field(max_length=32)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


# closed loops: repeat calls, disputes, warning orders, non-police diversion ----------------


class RepeatPattern(SQLModel, table=True):
    """A repeat-call pattern (一人多警 / 一地多警 / 一事多警) and the follow-up it got, once."""

    __tablename__ = "repeat_pattern"
    __table_args__ = (Index("ux_repeat_pattern_kind_key", "kind", "pattern_key", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    #: What makes the calls one pattern: a phone or ID number, an address key, an event anchor.
    pattern_key: str = Field(max_length=200)
    label: str = Field(default="", max_length=200)
    community_id: int | None = Field(default=None, foreign_key="community.id", index=True)
    first_at: datetime = Field(sa_type=DateTime)
    last_at: datetime = Field(sa_type=DateTime, index=True)
    call_count: int = 0
    #: The follow-up task issued when the pattern crossed its threshold (never issued twice).
    task_id: int | None = Field(default=None, foreign_key="task.id")
    created_at: datetime = Field(sa_type=DateTime)
    updated_at: datetime = Field(sa_type=DateTime)


class RepeatPatternIncident(SQLModel, table=True):
    """The calls of a repeat pattern."""

    __tablename__ = "repeat_pattern_incident"

    pattern_id: int = Field(foreign_key="repeat_pattern.id", primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", primary_key=True, index=True)


class IncidentAddressKey(SQLModel, table=True):
    """The normalised address of an incident, so that one-place rules run in SQL."""

    __tablename__ = "incident_address_key"

    incident_id: int = Field(foreign_key="incident.id", primary_key=True)
    address_key: str = Field(max_length=200, index=True)
    #: False for addresses that name a whole compound or road (too coarse for one place).
    precise: bool = True


class Department(SQLModel, table=True):
    """A department non-police calls are handed to (街道, 城管, 市场监管, 12345 ...)."""

    __tablename__ = "department"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=100)
    kind: str = Field(default="", max_length=32)
    contact: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=40)
    active: bool = True
    sort_order: int = 0


class Diversion(SQLModel, table=True):
    """A non-police call handed to a department (非警务分流) and followed to the caller's verdict."""

    __tablename__ = "diversion"
    __table_args__ = (
        Index("ix_diversion_state_handed", "state", "handed_over_at"),
        Index("ix_diversion_department_handed", "department_id", "handed_over_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    department_id: int = Field(foreign_key="department.id")
    method: str = Field(max_length=16)
    contact: str = Field(default="", max_length=100)
    state: str = Field(max_length=16)
    handed_over_at: datetime = Field(sa_type=DateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=DateTime)
    done_at: datetime | None = Field(default=None, sa_type=DateTime)
    feedback_at: datetime | None = Field(default=None, sa_type=DateTime)
    revisited_at: datetime | None = Field(default=None, sa_type=DateTime)
    closed_at: datetime | None = Field(default=None, sa_type=DateTime)
    result: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    satisfied: bool | None = None
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    was_overdue: bool = False
    updated_at: datetime = Field(sa_type=DateTime)


class DisputeCategory(SQLModel, table=True):
    """The editable dispute category code table (16 categories shipped)."""

    __tablename__ = "dispute_category"

    code: str = Field(primary_key=True, max_length=16)
    name: str = Field(max_length=50)
    name_en: str = Field(max_length=80)
    active: bool = True
    sort_order: int = 0


class Dispute(SQLModel, table=True):
    """A dispute (矛盾纠纷) in the ledger, tracked until resolved and revisited."""

    __tablename__ = "dispute"
    __table_args__ = (Index("ix_dispute_stage_registered", "stage", "registered_at"),)

    id: int | None = Field(default=None, primary_key=True)
    dispute_no: str = Field(max_length=40, unique=True)
    category_code: str = Field(foreign_key="dispute_category.code", max_length=16)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    address: str = Field(default="", max_length=200)
    community_id: int | None = Field(default=None, foreign_key="community.id", index=True)
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    risk_level: int = 1
    stage: str = Field(max_length=16)
    registered_at: datetime = Field(sa_type=DateTime)
    mediating_at: datetime | None = Field(default=None, sa_type=DateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=DateTime)
    unresolved_at: datetime | None = Field(default=None, sa_type=DateTime)
    handed_over_at: datetime | None = Field(default=None, sa_type=DateTime)
    handed_to: str = Field(default="", max_length=100)
    reopen_count: int = 0
    escalated: bool = False
    updated_at: datetime = Field(sa_type=DateTime)


class DisputeParty(SQLModel, table=True):
    """A party of a dispute (personal data: shown masked outside the ledger)."""

    __tablename__ = "dispute_party"

    id: int | None = Field(default=None, primary_key=True)
    dispute_id: int = Field(foreign_key="dispute.id", index=True)
    name: str = Field(max_length=50)
    role: str = Field(default="", max_length=32)
    phone: str = Field(default="", max_length=32)
    id_no: str = Field(default="", max_length=32)
    address: str = Field(default="", max_length=200)


class DisputeIncident(SQLModel, table=True):
    """Incidents linked to a dispute."""

    __tablename__ = "dispute_incident"

    dispute_id: int = Field(foreign_key="dispute.id", primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", primary_key=True, index=True)


class DisputeTask(SQLModel, table=True):
    """Revisit tasks scheduled for a dispute."""

    __tablename__ = "dispute_task"

    dispute_id: int = Field(foreign_key="dispute.id", primary_key=True)
    task_id: int = Field(foreign_key="task.id", primary_key=True)


class WarningLimit(SQLModel, table=True):
    """Response and feedback limits of warning orders per kind and level (editable)."""

    __tablename__ = "warning_limit"

    kind: str = Field(primary_key=True, max_length=16)
    level: int = Field(primary_key=True)
    response_limit_min: int
    feedback_limit_min: int


class WarningOrder(SQLModel, table=True):
    """A warning order (预警指令) from an upstream model, reviewed, verified and answered."""

    __tablename__ = "warning_order"
    __table_args__ = (Index("ix_warning_order_state_received", "state", "received_at"),)

    id: int | None = Field(default=None, primary_key=True)
    order_no: str = Field(max_length=60, unique=True)
    kind: str = Field(max_length=16)
    level: int = 2
    source: str = Field(default="manual", max_length=16)
    received_at: datetime = Field(sa_type=DateTime)
    subject_name: str = Field(default="", max_length=50)
    subject_phone: str = Field(default="", max_length=32)
    subject_id_no: str = Field(default="", max_length=32)
    address: str = Field(default="", max_length=200)
    community_id: int | None = Field(default=None, foreign_key="community.id", index=True)
    content: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    state: str = Field(max_length=16)
    response_due: datetime = Field(sa_type=DateTime)
    reviewed_at: datetime | None = Field(default=None, sa_type=DateTime)
    review_note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    dispatched_at: datetime | None = Field(default=None, sa_type=DateTime)
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    feedback_due: datetime | None = Field(default=None, sa_type=DateTime)
    feedback_at: datetime | None = Field(default=None, sa_type=DateTime)
    feedback: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    closed_at: datetime | None = Field(default=None, sa_type=DateTime)
    incident_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    was_overdue: bool = False
    updated_at: datetime = Field(sa_type=DateTime)


class LoopEvent(SQLModel, table=True):
    """The event log of every loop item (dispute, warning order, diversion): who did what, when."""

    __tablename__ = "loop_event"
    __table_args__ = (Index("ix_loop_event_item_at", "loop", "item_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    loop: str = Field(max_length=16)
    item_id: int
    at: datetime = Field(sa_type=DateTime)
    actor: str = Field(default="", max_length=50)
    action: str = Field(max_length=32)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class UnitDutyChange(SQLModel, table=True):
    """Who put a patrol unit on or off duty, and when (the unit status board's record)."""

    __tablename__ = "unit_duty_change"
    __table_args__ = (Index("ix_unit_duty_change_unit_at", "unit_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="patrol_unit.id")
    at: datetime = Field(sa_type=DateTime)
    actor: str = Field(default="", max_length=50)
    status: str = Field(max_length=16)


class PatrolTrackPoint(SQLModel, table=True):
    """One point of an imported patrol GPS track: who (the file's unit or officer, linked to
    the unit or officer of that name when there is one), when and where (WGS-84)."""

    __tablename__ = "patrol_track_point"
    __table_args__ = (
        Index("ix_patrol_track_point_at", "at"),
        Index("ux_patrol_track_point_subject_at", "subject", "at", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(max_length=100)
    unit_id: int | None = Field(default=None, foreign_key="patrol_unit.id")
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    at: datetime = Field(sa_type=DateTime)
    lat: float
    lon: float
    source_file: str = Field(max_length=200)
    imported_at: datetime = Field(sa_type=DateTime)


class UserAccount(SQLModel, table=True):
    """A person (or a service account for scripts) who signs in; the role sets what it may do."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=50, unique=True)
    display_name: str = Field(default="", max_length=50)
    role: str = Field(max_length=16)
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    password_hash: str = Field(default="", max_length=200)
    password_changed_at: datetime | None = Field(default=None, sa_type=DateTime)
    must_change_password: bool = Field(default=True)
    failed_attempts: int = Field(default=0)
    locked_until: datetime | None = Field(default=None, sa_type=DateTime)
    disabled: bool = Field(default=False)
    service: bool = Field(default=False)
    created_at: datetime = Field(sa_type=DateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=DateTime)


class PasswordHistory(SQLModel, table=True):
    """Earlier password hashes of an account (a new password may not repeat the recent ones)."""

    __tablename__ = "password_history"
    __table_args__ = (Index("ix_password_history_account", "account_id", "changed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="user_account.id")
    password_hash: str = Field(max_length=200)
    changed_at: datetime = Field(sa_type=DateTime)


class AuditRecord(SQLModel, table=True):
    """The audit trail: append-only, each record carrying the hash of the one before."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_user_at", "username", "at"),
        Index("ix_audit_log_object", "object_type", "object_id"),
        Index("ix_audit_log_action_at", "action", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: str = Field(max_length=32)
    username: str = Field(max_length=50)
    workstation: str = Field(default="", max_length=100)
    action: str = Field(max_length=32)
    object_type: str = Field(default="", max_length=50)
    object_id: str = Field(default="", max_length=100)
    outcome: str = Field(default="ok", max_length=16)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)


# change packages between stations (services/changes.py) ---------------------------------


class SyncPeer(SQLModel, table=True):
    """A trusted peer station: its public key and where the exchange with it stands."""

    __tablename__ = "sync_peer"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    station_id: str = Field(max_length=32, unique=True)
    #: Ed25519 public key, base64 of the 32 raw bytes.
    public_key: str = Field(max_length=64)
    #: X25519 public key packages for this peer are sealed with (base64); none from a version-1 card.
    encryption_key: str | None = Field(default=None, max_length=64)
    added_at: datetime = Field(sa_type=DateTime)
    #: Sequence number of the last package written for this peer.
    sent_sequence: int = 0
    #: Local change counters already sent (incident rows, tombstones).
    sent_row_seq: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    sent_tombstone_seq: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    #: Sequence number of the last package applied from this peer.
    received_sequence: int = 0
    #: Events (by local id) already sent.
    sent_event_id: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0,
                                                           server_default="0"))
    last_sent_at: datetime | None = Field(default=None, sa_type=DateTime)
    last_received_at: datetime | None = Field(default=None, sa_type=DateTime)


class SyncTombstone(SQLModel, table=True):
    """A deleted synced row, kept so that the deletion travels and wins over older versions."""

    __tablename__ = "sync_tombstone"
    __table_args__ = (Index("ix_sync_tombstone_seq", "seq"),
                      Index("ix_sync_tombstone_key", "table_name", "row_key"))

    table_name: str = Field(primary_key=True, max_length=32)
    row_uuid: str = Field(primary_key=True, max_length=32)
    row_key: str = Field(max_length=200)
    origin: str = Field(max_length=32)
    hlc: int = Field(sa_column=Column(BigInteger, nullable=False))
    base: int = Field(sa_column=Column(BigInteger, nullable=False))
    seq: int = Field(sa_column=Column(BigInteger, nullable=False))


class SyncConflict(SQLModel, table=True):
    """A concurrent change that lost to a newer one: the losing version, for the user to review."""

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_reviewed_at", "reviewed", "detected_at"),)

    id: int | None = Field(default=None, primary_key=True)
    table_name: str = Field(max_length=32)
    row_uuid: str = Field(max_length=32)
    row_key: str = Field(max_length=200)
    kept_origin: str = Field(max_length=32)
    kept_hlc: int = Field(sa_column=Column(BigInteger, nullable=False))
    lost_origin: str = Field(max_length=32)
    lost_hlc: int = Field(sa_column=Column(BigInteger, nullable=False))
    lost_deleted: bool = False
    #: The losing version's fields as JSON (empty for a lost deletion).
    lost_data: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    package: str = Field(default="", max_length=200)
    detected_at: datetime = Field(sa_type=DateTime)
    reviewed: bool = False


class SyncPackageLog(SQLModel, table=True):
    """Every change package written or applied, with its counts."""

    __tablename__ = "sync_package_log"

    id: int | None = Field(default=None, primary_key=True)
    direction: str = Field(max_length=8)
    peer_name: str = Field(max_length=100)
    sequence: int
    file_name: str = Field(max_length=200)
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    conflicts: int = 0
    at: datetime = Field(sa_type=DateTime)


class StationTask(SQLModel, table=True):
    """A task of a peer station as its last change package reported it: the times and state the
    dashboard's task figures judge, nothing else (no title, officer or answers).

    Tasks stay in their station's database; each package carries all of the sender's tasks this
    way, and replaces what the previous one reported, so a district compares "tasks on time" by
    the station dashboard's own definitions.
    """

    __tablename__ = "station_task"
    __table_args__ = (Index("ix_station_task_origin_issued", "origin", "issued_at"),)

    origin: str = Field(primary_key=True, max_length=32)
    task_no: str = Field(primary_key=True, max_length=40)
    state: str = Field(max_length=20)
    issued_at: datetime = Field(sa_type=DateTime)
    signoff_due: datetime = Field(sa_type=DateTime)
    signed_at: datetime | None = Field(default=None, sa_type=DateTime)
    feedback_due: datetime | None = Field(default=None, sa_type=DateTime)
    feedback_at: datetime | None = Field(default=None, sa_type=DateTime)
    #: When the package that reported it was written.
    reported_at: datetime = Field(sa_type=DateTime)


#: Every table of the station schema (what migrations must build).
METADATA = SQLModel.metadata

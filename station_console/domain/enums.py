"""Enumerations shared by every layer. Values are the codes stored in the database."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class IncidentStatus(StrEnum):
    """Where an incident stands in the command room's workflow."""

    NEW = "new"                # 待派警: received, nobody sent yet
    DISPATCHED = "dispatched"  # 已派警: a unit or officer is on the way
    ARRIVED = "arrived"        # 已到场: on scene
    RESOLVED = "resolved"      # 处置完毕: handled, feedback not yet written
    CLOSED = "closed"          # 已办结: feedback written, loop closed

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset(
    {IncidentStatus.NEW, IncidentStatus.DISPATCHED, IncidentStatus.ARRIVED}
)


class Priority(IntEnum):
    """1 is the most urgent (一级警情)."""

    URGENT = 1
    HIGH = 2
    NORMAL = 3


class IncidentSource(StrEnum):
    """How an incident reached the station."""

    CALL_110 = "110"       # 110 报警 forwarded by the district centre
    PHONE = "phone"        # 所内电话
    WALK_IN = "walk_in"    # 来所报警
    PATROL = "patrol"      # 巡逻发现
    WARNING = "warning"    # 预警指令
    HOTLINE = "12345"      # 12345 政务热线转办


class OfficerKind(StrEnum):
    """Sworn officer or auxiliary."""

    POLICE = "police"        # 民警
    AUXILIARY = "auxiliary"  # 辅警


class Team(StrEnum):
    """The two teams and one room (两队一室), plus the station's leadership."""

    LEADERSHIP = "leadership"      # 所领导
    COMMAND_ROOM = "command_room"  # 综合指挥室
    COMMUNITY = "community"        # 社区警务队
    CASE = "case"                  # 执法办案队
    PATROL = "patrol"              # 巡逻 / 快反


class UnitStatus(StrEnum):
    """Patrol unit availability on the unit status board."""

    AVAILABLE = "available"
    BUSY = "busy"
    OFF_DUTY = "off_duty"

"""Time windows of the incident board: this shift, today, the last 24 hours, 7 days, custom.

The command room works 24-hour duty shifts that change over in the morning; "this shift" is
the time since the last changeover. All windows are half-open ``[start, end)`` in naive
local station time, computed from an injected ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

#: When the duty shift changes over (交接班).
SHIFT_CHANGE = time(8, 30)


class TimePreset(StrEnum):
    """The board's time filter."""

    ALL = "all"
    SHIFT = "shift"
    TODAY = "today"
    LAST_24H = "24h"
    LAST_7D = "7d"
    CUSTOM = "custom"


@dataclass(frozen=True)
class TimeWindow:
    """Half-open window; ``None`` on a side means unbounded."""

    start: datetime | None
    end: datetime | None

    def contains(self, moment: datetime) -> bool:
        return (self.start is None or moment >= self.start) and (self.end is None or moment < self.end)


def shift_start(now: datetime, change: time = SHIFT_CHANGE) -> datetime:
    """Start of the duty shift running at ``now`` (yesterday's changeover before today's)."""
    today = datetime.combine(now.date(), change)
    return today if now >= today else today - timedelta(days=1)


def time_window(preset: TimePreset | str, now: datetime, start: datetime | None = None,
                end: datetime | None = None) -> TimeWindow:
    """The window of a preset at ``now``; ``start``/``end`` are used by ``CUSTOM`` only."""
    chosen = TimePreset(preset)
    if chosen == TimePreset.ALL:
        return TimeWindow(None, None)
    if chosen == TimePreset.SHIFT:
        return TimeWindow(shift_start(now), None)
    if chosen == TimePreset.TODAY:
        return TimeWindow(datetime.combine(now.date(), time()), None)
    if chosen == TimePreset.LAST_24H:
        return TimeWindow(now - timedelta(hours=24), None)
    if chosen == TimePreset.LAST_7D:
        return TimeWindow(now - timedelta(days=7), None)
    return TimeWindow(start, end)

"""The incident category code table (警情类别) and its defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from station_console.domain.enums import Priority

#: The 5-minute dispatch-and-arrive target of the domain notes, for police incidents.
POLICE_ARRIVAL_LIMIT_S = 5 * 60
#: Non-police calls are diverted, not raced to: a looser arrival limit.
NON_POLICE_ARRIVAL_LIMIT_S = 30 * 60
#: Receipt-to-dispatch limits by priority.
DISPATCH_LIMIT_S = {Priority.URGENT: 60, Priority.HIGH: 120, Priority.NORMAL: 300}


@dataclass(frozen=True)
class CategoryGroup:
    """A group of categories (刑事, 治安, 非警务 ...)."""

    code: str
    name: str
    name_en: str
    is_police: bool


@dataclass(frozen=True)
class Category:
    """One incident category with its clock limits."""

    code: str
    group: str
    name: str
    name_en: str
    is_police: bool
    is_property: bool
    default_priority: Priority
    dispatch_limit_s: int
    arrival_limit_s: int


def parse_code_table(doc: dict[str, Any]) -> tuple[list[CategoryGroup], list[Category]]:
    """Build groups and categories from the shipped JSON document, filling in default limits."""
    groups = [
        CategoryGroup(g["code"], g["name"], g["name_en"], bool(g["is_police"])) for g in doc["groups"]
    ]
    by_code = {g.code: g for g in groups}
    cats: list[Category] = []
    for c in doc["categories"]:
        group = by_code[c["group"]]
        prio = Priority(int(c.get("priority", Priority.HIGH)))
        arrival = POLICE_ARRIVAL_LIMIT_S if group.is_police else NON_POLICE_ARRIVAL_LIMIT_S
        cats.append(
            Category(
                code=c["code"],
                group=group.code,
                name=c["name"],
                name_en=c["name_en"],
                is_police=group.is_police,
                is_property=bool(c.get("property", False)),
                default_priority=prio,
                dispatch_limit_s=int(c.get("dispatch_limit_s", DISPATCH_LIMIT_S[prio])),
                arrival_limit_s=int(c.get("arrival_limit_s", arrival)),
            )
        )
    return groups, cats

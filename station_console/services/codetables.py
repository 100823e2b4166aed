"""The shipped code tables (incident categories and their groups) and their installation."""

from __future__ import annotations

import json

from sqlalchemy import Table, insert, select
from sqlalchemy.engine import Connection

from station_console.config import data_path
from station_console.domain.categories import Category, CategoryGroup, parse_code_table
from station_console.store.models import CategoryGroupRow, IncidentCategory

CATEGORIES_FILE = "categories.json"


def load_code_table() -> tuple[list[CategoryGroup], list[Category]]:
    """The category groups and categories shipped in ``data/categories.json``."""
    doc = json.loads(data_path(CATEGORIES_FILE).read_text(encoding="utf-8"))
    return parse_code_table(doc)


def install_code_tables(conn: Connection) -> int:
    """Insert the shipped groups and categories that the database lacks; return rows added.

    Existing rows are left alone: the station may have edited names or limits in the app.
    """
    groups, cats = load_code_table()
    group_table: Table = CategoryGroupRow.__table__  # type: ignore[attr-defined]
    cat_table: Table = IncidentCategory.__table__  # type: ignore[attr-defined]
    have_groups = set(conn.execute(select(group_table.c.code)).scalars())
    have_cats = set(conn.execute(select(cat_table.c.code)).scalars())
    new_groups = [
        {
            "code": g.code,
            "name": g.name,
            "name_en": g.name_en,
            "is_police": g.is_police,
            "sort_order": order,
        }
        for order, g in enumerate(groups, start=1)
        if g.code not in have_groups
    ]
    new_cats = [
        {
            "code": c.code,
            "group_code": c.group,
            "name": c.name,
            "name_en": c.name_en,
            "is_police": c.is_police,
            "is_property": c.is_property,
            "default_priority": int(c.default_priority),
            "dispatch_limit_s": c.dispatch_limit_s,
            "arrival_limit_s": c.arrival_limit_s,
            "active": True,
            "sort_order": order,
        }
        for order, c in enumerate(cats, start=1)
        if c.code not in have_cats
    ]
    # Groups first: categories reference them.
    if new_groups:
        conn.execute(insert(group_table), new_groups)
    if new_cats:
        conn.execute(insert(cat_table), new_cats)
    return len(new_groups) + len(new_cats)

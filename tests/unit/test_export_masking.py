"""Exports mask personal data for accounts without the permission, in every format, and
neutralise spreadsheet formulas."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from station_console.domain.security import SYSTEM
from station_console.services.accounts import DEMO_PASSWORD, sign_in
from station_console.services.incidents import ExportFormat, IncidentFilter, IncidentService, Sort
from station_console.store.database import Database
from tests.conftest import DEMO_END, DEMO_ON_BOTH_ENGINES

PHONE = "13912345678"
ID_NO = "330106198801011234"


@pytest.fixture
def marked(demo_db: Database) -> Database:
    """The newest incident carries known personal data and a formula-like address."""
    demo_db.identity = SYSTEM
    with demo_db.write() as conn:
        newest = conn.execute(text("SELECT max(id) FROM incident")).scalar_one()
        conn.execute(text(
            "UPDATE incident SET caller_name = '欧阳娜娜', caller_phone = :p, caller_id_no = :i, "
            "address = '=HYPERLINK(\"http://x\")', description = :d WHERE id = :id"),
            {"p": PHONE, "i": ID_NO, "d": f"回拨{PHONE}，身份证{ID_NO}", "id": newest})
    return demo_db


def _rows(path: Path, fmt: ExportFormat) -> list[list[str]]:
    if fmt is ExportFormat.CSV:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.reader(fh))
    sheet = load_workbook(path, read_only=True).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", [ExportFormat.CSV, ExportFormat.XLSX])
@pytest.mark.parametrize(("username", "clear"), [("zhiban", False), ("suozhang", True)])
@DEMO_ON_BOTH_ENGINES
def test_export_masks_by_permission_and_neutralises_formulas(
        marked: Database, tmp_path: Path, fmt: ExportFormat, username: str, clear: bool) -> None:
    sign_in(marked, username, DEMO_PASSWORD)
    out = tmp_path / f"export.{fmt.value}"
    IncidentService(marked).export(IncidentFilter(), Sort(), out, fmt)
    rows = _rows(out, fmt)
    body = "\n".join(",".join(r) for r in rows)
    first = rows[1]
    assert "'=HYPERLINK(\"http://x\")" in first
    if clear:
        assert PHONE in body and ID_NO in body and "欧阳娜娜" in body
    else:
        assert PHONE not in body and ID_NO not in body and "欧阳娜娜" not in body
        assert "139****5678" in body and "330106********1234" in body and "欧***" in body


@pytest.mark.parametrize(("username", "clear"), [("zhiban", False), ("suozhang", True)])
@DEMO_ON_BOTH_ENGINES
def test_warning_subjects_and_dispute_parties_are_masked_by_permission(
        demo_db: Database, username: str, clear: bool) -> None:
    from station_console.services.disputes import DisputeService
    from station_console.services.warnings import WarningService

    demo_db.identity = SYSTEM
    raw_warning = next(w for w in WarningService(demo_db).find() if w.subject_phone)
    dispute = DisputeService(demo_db).find()[0]
    raw_party = next(p for p in DisputeService(demo_db).detail(dispute.id).parties if p.phone)
    sign_in(demo_db, username, DEMO_PASSWORD)
    warning = next(w for w in WarningService(demo_db).find() if w.id == raw_warning.id)
    party = next(p for p in DisputeService(demo_db).detail(dispute.id).parties
                 if p.role == raw_party.role)
    if clear:
        assert warning.subject_phone == raw_warning.subject_phone
        assert party.phone == raw_party.phone and party.name == raw_party.name
    else:
        assert "****" in warning.subject_phone and warning.subject_phone[-4:] == \
            raw_warning.subject_phone[-4:]
        assert "****" in party.phone and party.name != raw_party.name


@DEMO_ON_BOTH_ENGINES
def test_a_person_pattern_shows_a_masked_number_to_an_operator(demo_db: Database) -> None:
    from station_console.domain.repeats import RepeatKind
    from station_console.services.repeats import RepeatService

    demo_db.identity = SYSTEM
    clear = RepeatService(demo_db).current_groups([RepeatKind.PERSON], now=DEMO_END)
    assert clear and all("*" not in g.label for g in clear)
    sign_in(demo_db, "zhiban", DEMO_PASSWORD)
    masked = RepeatService(demo_db).current_groups([RepeatKind.PERSON], now=DEMO_END)
    assert [g.key for g in masked] == [g.key for g in clear]
    assert all("****" in g.label for g in masked)

"""The daily briefing: PDF text carries the headline figures, the XLSX the same tables, the CLI."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from station_console.cli import main
from station_console.services.briefing import (
    FIGURE_NAMES,
    collect_briefing,
    format_change,
    format_value,
    headline_rows,
    write_briefing,
    write_pdf,
    write_xlsx,
)
from station_console.store.database import Database
from tests.conftest import DEMO_END, DEMO_ON_BOTH_ENGINES

DAY = (DEMO_END - timedelta(days=1)).date()


def _pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


@DEMO_ON_BOTH_ENGINES
def test_pdf_carries_the_headline_figures(demo_db: Database, tmp_path: Path) -> None:
    b = collect_briefing(demo_db, DAY, now=lambda: DEMO_END)
    path = tmp_path / "brief.pdf"
    write_pdf(b, path)
    text = _pdf_text(path).replace(" ", "")
    assert b.title in text
    assert f"{DAY.year}年{DAY.month}月{DAY.day}日" in text
    calls, rate = b.dashboard.tile("calls"), b.dashboard.tile("arrival_rate")
    assert calls.value and calls.value > 0
    assert f"共接报警情{format_value(calls)}起" in text
    assert f"5分钟到场率{format_value(rate)}" in text
    assert format_change(calls, calls.previous) in text
    assert "一、主要指标" in text and "六、分社区情况" in text
    assert not list(tmp_path.glob("*.part"))
    for key in ("disputes_opened", "disputes_resolved", "warning_on_time_rate", "task_signoff_rate",
                "task_feedback_rate"):
        assert FIGURE_NAMES[key] in text, key
    flat = text.replace("\n", "")
    warnings = b.dashboard.tile("warning_on_time_rate")
    assert warnings.base > 0
    assert f"预警按时反馈率{format_value(warnings)}" in flat
    assert f"{warnings.base}件中按时{warnings.count}件" in flat
    resolved = b.dashboard.tile("disputes_resolved")
    assert f"化解{format_value(resolved)}起" in flat


@DEMO_ON_BOTH_ENGINES
def test_xlsx_has_the_same_figures(demo_db: Database, tmp_path: Path) -> None:
    b = collect_briefing(demo_db, DAY, now=lambda: DEMO_END)
    path = tmp_path / "brief.xlsx"
    write_xlsx(b, path)
    book = load_workbook(path, read_only=True)
    rows = [list(r) for r in book["主要指标"].iter_rows(min_row=2, values_only=True)]
    assert [[c or "" for c in r] for r in rows] == headline_rows(b)
    trend = list(book["走势"].iter_rows(min_row=2, values_only=True))
    assert len(trend) == len(b.dashboard.trend)
    book.close()


@DEMO_ON_BOTH_ENGINES
def test_unknown_format_is_refused(demo_db: Database, tmp_path: Path) -> None:
    b = collect_briefing(demo_db, DAY, now=lambda: DEMO_END)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ValueError, match=r"\.pdf or \.xlsx"):
        write_briefing(b, out / "brief.docx")
    assert not list(out.iterdir())


def test_report_daily_command(demo_db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "daily.pdf"
    code = main(["--db", str(demo_db_path), "report", "daily", "--date", DAY.isoformat(), "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    text = _pdf_text(out).replace(" ", "")
    assert "年" in text
    assert all(FIGURE_NAMES[k] in text for k in ("disputes_resolved", "warning_on_time_rate",
                                                   "task_feedback_rate"))
    xlsx = tmp_path / "daily.xlsx"
    assert main(["--db", str(demo_db_path), "report", "daily", "--date", DAY.isoformat(),
                 "--out", str(xlsx)]) == 0
    book = load_workbook(xlsx, read_only=True)
    assert book.sheetnames[0] == "日报"
    names = [r[0] for r in book["主要指标"].iter_rows(min_row=2, values_only=True)]
    assert set(list(FIGURE_NAMES.values())[-5:]) <= set(names)
    book.close()


def test_report_daily_bad_input(demo_db_path: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert main(["--db", str(demo_db_path), "report", "daily", "--out", str(out / "x.txt")]) == 2
    assert ".pdf or .xlsx" in capsys.readouterr().err
    missing = out / "nowhere" / "x.pdf"
    assert main(["--db", str(demo_db_path), "report", "daily", "--out", str(missing)]) == 2
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--db", str(demo_db_path), "report", "daily", "--date", "2026-02-30", "--out", "x.pdf"])
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert not list(out.iterdir())


def test_briefing_on_an_empty_station(db: Database, tmp_path: Path) -> None:
    b = collect_briefing(db, DAY, now=lambda: datetime(2026, 3, 15, 7))
    write_pdf(b, tmp_path / "empty.pdf")
    assert "共接报警情0起" in _pdf_text(tmp_path / "empty.pdf").replace(" ", "")


@DEMO_ON_BOTH_ENGINES
def test_briefing_names_its_producer_masks_for_them_and_is_audited(
        demo_db: Database, tmp_path: Path) -> None:
    from sqlalchemy import text

    from station_console.services.accounts import DEMO_PASSWORD, sign_in
    from station_console.services.briefing import notable_rows, write_briefing

    sign_in(demo_db, "zhiban", DEMO_PASSWORD)
    b = collect_briefing(demo_db, DAY, now=lambda: DEMO_END)
    assert b.produced_by == demo_db.identity.display_name and not b.clear_personal
    path = tmp_path / "brief.pdf"
    write_briefing(b, path, db=demo_db)
    assert f"制作人{b.produced_by.replace(' ', '')}" in _pdf_text(path).replace(" ", "")
    clear = collect_briefing(demo_db, DAY, now=lambda: DEMO_END)
    object.__setattr__(clear, "clear_personal", True)
    for masked, plain in zip(notable_rows(b), notable_rows(clear), strict=True):
        assert "****" in masked[-1] or masked[-1] == plain[-1]
    with demo_db.read() as conn:
        record = conn.execute(text("SELECT username, object_id, detail FROM audit_log "
                                   "WHERE action = 'export' ORDER BY id DESC LIMIT 1")).one()
    assert record[0] == "zhiban" and record[1] == "brief.pdf" and '"masked"' in record[2]

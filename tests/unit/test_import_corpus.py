"""A generated corpus of over a thousand malformed feeds: each is rejected, nothing changes.

Kinds: damaged bytes (UTF-8 and GB18030), truncation (CSV, NDJSON, JSON arrays, XLSX), wrong
types and impossible values in every mapped field, bad dates, missing columns, wrong column
counts, duplicate numbers within a file, and JSON records that are not objects.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook
from test_import import CSV_PROFILE, HEADER, NOW, fingerprint, rows

from station_console.services.importer import Outcome, Problem, import_feed
from station_console.services.importer_profiles import Profile, load_profile, parse_profile
from tests.conftest import DEMO_ON_BOTH_ENGINES

NDJSON_PROFILE = """
[options]
format = "ndjson"
[columns]
incident_no = "id"
received_at = "time"
category = "type"
address = "where.address"
lat = "where.lat"
lon = "where.lon"
"""
MIN_CORPUS = 1000


@dataclass(frozen=True)
class Case:
    kind: str
    name: str
    data: bytes
    profile: Profile


def csv_bytes(body: list[list[str]], encoding: str, header: list[str] = HEADER) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(body)
    return buf.getvalue().encode(encoding)


def records(n: int = 5) -> list[dict]:
    return [{"id": f"N{i}", "time": f"2024-03-0{i}T08:00:00", "type": "0101",
             "where": {"address": f"竹影街{i}号", "lat": 30.2575, "lon": 120.1245}} for i in range(1, n + 1)]


def corpus() -> Iterator[Case]:
    """Every malformed input, generated (deterministic, no randomness needed)."""
    prof = parse_profile(CSV_PROFILE, "csv")
    nd = parse_profile(NDJSON_PROFILE, "nd")
    arr = parse_profile(NDJSON_PROFILE.replace('"ndjson"', '"json"'), "json")
    base_rows = rows(6)
    for encoding in ("utf-8", "gb18030"):
        data = csv_bytes(base_rows, encoding)
        start = data.index(b"\r\n") + 2
        # damaged bytes: 0xFF is never valid in UTF-8 nor in GB18030
        for pos in range(start, len(data), max(1, (len(data) - start) // 60)):
            yield Case("encoding", "feed.csv", data[:pos] + b"\xff" + data[pos:], prof)
        # truncation inside a row, before its last delimiter (cutting after a whole row is
        # indistinguishable from a shorter file)
        ends, offset = [], start
        for row in base_rows:
            one = csv_bytes([row], encoding)[len(csv_bytes([], encoding)):]
            ends.append((offset, offset + one.rindex(b",")))
            offset += len(one)
        for row_start, last_comma in ends:
            for pos in range(row_start + 1, last_comma, 6):
                yield Case("truncation", "feed.csv", data[:pos], prof)
        # wrong types and impossible values, field by field, row by row
        bad_values = {
            1: ["abc", "2024-02-30 08:00", "2024/13/1", "20241301080000", "25:00", "-1", "45356.3.3", ""],
            2: ["外星人入侵", "", "99", "盗"],
            4: ["abc", "", "200", "nan", "1e999"],
            9: ["gone", "已取消"],
            7: ["1" * 40],
            3: ["x" * 201],
            0: ["N" * 41],
        }
        for r in range(len(base_rows)):
            for col, values in bad_values.items():
                for value in values:
                    body = [list(x) for x in base_rows]
                    body[r][col] = value
                    yield Case("values", "feed.csv", csv_bytes(body, encoding), prof)
        # missing or misspelt columns
        for col in range(len(HEADER)):
            misspelt = [*HEADER[:col], HEADER[col] + "X", *HEADER[col + 1:]]
            for header in (HEADER[:col] + HEADER[col + 1:], misspelt):
                body = [r[:col] + r[col + 1:] for r in base_rows] if len(header) < len(HEADER) else base_rows
                yield Case("columns", "feed.csv", csv_bytes(body, encoding, header), prof)
        # wrong column counts
        for r in range(len(base_rows)):
            body = [list(x) for x in base_rows]
            body[r] = [*body[r], "extra"]
            yield Case("count", "feed.csv", csv_bytes(body, encoding), prof)
            body = [list(x) for x in base_rows]
            body[r] = body[r][:-2]
            yield Case("count", "feed.csv", csv_bytes(body, encoding), prof)
        # duplicate numbers within one file
        for i in range(len(base_rows)):
            for j in range(i + 1, len(base_rows)):
                body = [list(x) for x in base_rows]
                body[j][0] = body[i][0]
                yield Case("duplicate", "feed.csv", csv_bytes(body, encoding), prof)
    # NDJSON truncated anywhere inside a record; JSON arrays truncated anywhere
    lines = [json.dumps(r, ensure_ascii=False).encode() for r in records()]
    nd_data = b"\n".join(lines) + b"\n"
    boundaries, offset = set(), 0
    for line in lines:
        offset += len(line)
        boundaries.update({offset, offset + 1})
    for pos in range(1, len(nd_data), 3):
        if pos not in boundaries:
            yield Case("truncation", "feed.ndjson", nd_data[:pos], nd)
    arr_data = json.dumps(records(), ensure_ascii=False).encode()
    for pos in range(0, len(arr_data) - 1, 4):
        yield Case("truncation", "feed.json", arr_data[:pos], arr)
    # JSON records of the wrong shape or with wrong value types
    for r in range(5):
        for bad in (1, "text", None, [1, 2], True):
            recs: list = records()
            recs[r] = bad
            yield Case("json", "feed.json", json.dumps(recs).encode(), arr)
        for key, value in (("time", True), ("time", [2024]), ("type", None), ("where", "here"),
                           ("time", "2024-03-05T25:00:00")):
            recs = records()
            recs[r][key] = value
            yield Case("json", "feed.ndjson", b"\n".join(json.dumps(x).encode() for x in recs), nd)


@pytest.fixture(scope="module")
def xlsx_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["title"])
    sheet.append(["警情编号", "接警时间", "警情类型", "地址", "百度经度", "百度纬度"])
    for i in range(30):
        sheet.append([f"X{i}", 45356.5 + i, "纠纷-家庭", f"竹影街{i}号", 120.131, 30.263])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def assert_all_rejected(demo_db, tmp_path: Path, cases: list[Case]) -> None:
    before = fingerprint(demo_db)
    for case in cases:
        path = tmp_path / case.name
        path.write_bytes(case.data)
        summary = import_feed(demo_db, path, case.profile, now=NOW)
        assert summary.outcome == Outcome.REJECTED, (case.kind, case.data[-120:], summary)
        assert summary.issues and all(i.file == case.name for i in summary.issues)
        assert summary.inserted == summary.updated == 0
    assert fingerprint(demo_db) == before


def test_the_corpus_is_big_enough() -> None:
    cases = list(corpus())
    assert len(cases) + 20 >= MIN_CORPUS  # + the XLSX truncations below
    assert {c.kind for c in cases} == {"encoding", "truncation", "values", "columns", "count", "duplicate",
                                       "json"}


@pytest.mark.parametrize("kinds", [("encoding", "truncation"), ("values",), ("columns", "count", "duplicate"),
                                   ("json",)])
@DEMO_ON_BOTH_ENGINES
def test_malformed_feeds_are_rejected_whole_and_change_nothing(demo_db, tmp_path, kinds) -> None:
    assert_all_rejected(demo_db, tmp_path, [c for c in corpus() if c.kind in kinds])


@DEMO_ON_BOTH_ENGINES
def test_truncated_spreadsheets_are_rejected(demo_db, tmp_path, xlsx_bytes) -> None:
    prof = load_profile("district-xlsx", tmp_path)
    cuts = range(len(xlsx_bytes) // 21, len(xlsx_bytes) - 1, len(xlsx_bytes) // 21)
    cases = [Case("xlsx", "feed.xlsx", xlsx_bytes[:cut], prof) for cut in cuts]
    assert len(cases) >= 20
    assert_all_rejected(demo_db, tmp_path, cases)


def test_problems_name_line_and_field(demo_db, tmp_path) -> None:
    body = rows(3)
    body[1][1] = "2024-02-30 08:00"
    path = tmp_path / "feed.csv"
    path.write_bytes(csv_bytes(body, "utf-8"))
    summary = import_feed(demo_db, path, parse_profile(CSV_PROFILE, "csv"), now=NOW)
    issue = summary.issues[0]
    assert (issue.line, issue.field, issue.problem) == (4, "received_at", Problem.BAD_DATE)
    assert str(issue).startswith("feed.csv, line 4, received_at: '2024-02-30 08:00' is not a real date-time")

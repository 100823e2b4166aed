"""Feed import: CSV / TSV, XLSX and JSON / NDJSON files from upstream systems into incidents.

One import is one write transaction: the file is streamed, each row is checked and written
inside the transaction, and only a fully valid file (or, with ``accept_valid``, the valid rows
of it) is committed. A rejected file, a dry run, a cancel, a crash or a kill leave the database
exactly as it was. Re-importing a file changes nothing; a later version of a known incident
(same number) updates it. See the README section "Feed import" for the rules users rely on.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import json
import operator
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

import numpy as np
from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection

from station_console.domain.coords import CoordSystem, to_wgs84
from station_console.domain.enums import IncidentSource, IncidentStatus, Priority
from station_console.domain.feedparse import (
    cell_text,
    detect_encoding,
    parse_datetime,
    parse_float,
)
from station_console.domain.intake import Area, area_from_address, normalize_phone
from station_console.domain.security import Perm
from station_console.services import audit
from station_console.services.atomic import atomic_open
from station_console.services.geo_import import Rings, assign, polygons_of
from station_console.services.importer_profiles import DATETIME_FIELDS, Profile
from station_console.services.repeats import RepeatService
from station_console.store.auditing import rows_unrecorded, writes_checked
from station_console.store.database import Database
from station_console.store.dialect import bulk_cache, bulk_insert, search_index_suspended
from station_console.store.models import Community, Grid, Incident, IncidentCategory, IncidentEvent

INCIDENT: Table = Incident.__table__  # type: ignore[attr-defined]
EVENT: Table = IncidentEvent.__table__  # type: ignore[attr-defined]
CATEGORY: Table = IncidentCategory.__table__  # type: ignore[attr-defined]
COMMUNITY: Table = Community.__table__  # type: ignore[attr-defined]
GRID: Table = Grid.__table__  # type: ignore[attr-defined]

#: Rows converted, then located and written, per batch (numpy locates a big batch cheaply).
BATCH = 4000
#: Rows read between progress reports (each one a chance to cancel).
PROGRESS_ROWS = 1000
#: Problems kept in a summary; the count goes on beyond it.
MAX_ISSUES = 1000
#: Bytes looked at to tell UTF-8 from GB18030.
ENCODING_SAMPLE = 1 << 20
#: Above this many estimated new rows (and a tenth of the table), the text-search index is
#: rebuilt once at the end instead of row by row: ten times cheaper per row for big feeds.
BULK_ROWS = 20_000
#: Prefix of the content key of rows without an upstream number.
CONTENT_KEY_PREFIX = "H"
MAX_LEN = {"incident_no": 40, "address": 200, "caller_name": 50, "caller_phone": 32,
           "caller_id_no": 32}
STATUS_RANK = {s.value: rank for rank, s in enumerate(IncidentStatus)}
#: Chinese spellings feeds use, understood without a [statuses] / [sources] table.
STATUS_WORDS = {"待派警": "new", "未派警": "new", "新警情": "new", "已派警": "dispatched",
                "已处警": "dispatched", "处警中": "dispatched", "已到场": "arrived",
                "处置完毕": "resolved", "已处置": "resolved", "已办结": "closed", "已反馈": "closed",
                "已结束": "closed"}
SOURCE_WORDS = {"110报警": "110", "110": "110", "电话": "phone", "电话报警": "phone",
                "来所": "walk_in", "来所报警": "walk_in", "巡逻": "patrol", "巡逻发现": "patrol",
                "预警": "warning", "预警指令": "warning", "12345": "12345", "12345热线": "12345"}
PRIORITY_WORDS = {"一级": 1, "二级": 2, "三级": 3, "1级": 1, "2级": 2, "3级": 3, "紧急": 1,
                  "重要": 2, "一般": 3}

ProgressFn = Callable[[int, int], bool]


class Problem(StrEnum):
    """What is wrong; ``MESSAGES`` has the English text, the UI a translated one."""

    UNREADABLE = "unreadable"
    DECODE = "decode"
    BAD_CSV = "bad_csv"
    BAD_JSON = "bad_json"
    NOT_OBJECT = "not_object"
    EMPTY_FILE = "empty_file"
    MISSING_COLUMN = "missing_column"
    COLUMN_COUNT = "column_count"
    REQUIRED = "required"
    BAD_DATE = "bad_date"
    BAD_NUMBER = "bad_number"
    OUT_OF_RANGE = "out_of_range"
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_STATUS = "unknown_status"
    UNKNOWN_SOURCE = "unknown_source"
    UNKNOWN_PRIORITY = "unknown_priority"
    TOO_LONG = "too_long"
    DUPLICATE = "duplicate"


MESSAGES = {
    Problem.UNREADABLE: "cannot read the file ({detail}); check that it is a complete {format} file",
    Problem.DECODE: "the text is not valid {encoding} here; save the file as UTF-8 "
                    "or set encoding in the profile's [options]",
    Problem.BAD_CSV: "the file is not well-formed CSV ({detail}); is it truncated or "
                     "is a quote unbalanced?",
    Problem.BAD_JSON: "the JSON is broken ({detail}); is the file truncated?",
    Problem.NOT_OBJECT: "each record must be a JSON object, found {value}",
    Problem.EMPTY_FILE: "the file holds no data rows",
    Problem.MISSING_COLUMN: "column {column} (mapped to {target}) is not in the file; "
                            "it has: {available}. Fix [columns] in the profile",
    Problem.COLUMN_COUNT: "the row has {found} columns, the header has {expected}; "
                          "is the row cut short or a delimiter unquoted?",
    Problem.REQUIRED: "a value is required",
    Problem.BAD_DATE: "{detail}; write dates like 2024-03-05 08:07 or set datetime_formats",
    Problem.BAD_NUMBER: "not a number: {detail}",
    Problem.OUT_OF_RANGE: "{value} is out of range ({detail})",
    Problem.UNKNOWN_CATEGORY: "unknown category {value}; map it in the profile's [categories] "
                              "to a station category code or name",
    Problem.UNKNOWN_STATUS: "unknown status {value}; map it in [statuses] to new, dispatched, "
                            "arrived, resolved or closed",
    Problem.UNKNOWN_SOURCE: "unknown source {value}; map it in [sources] to 110, phone, walk_in, "
                            "patrol, warning or 12345",
    Problem.UNKNOWN_PRIORITY: "unknown priority {value}; use 1, 2 or 3, or the grade words of the README",
    Problem.TOO_LONG: "the text is {found} characters; at most {limit} fit",
    Problem.DUPLICATE: "incident number {value} appears more than once in this file",
}


@dataclass(frozen=True)
class Issue:
    """One problem, located: file, line (or spreadsheet row; 0 for the whole file) and field."""

    file: str
    line: int
    field: str
    problem: Problem
    params: dict[str, str] = field(default_factory=dict)
    unit: str = "line"

    def message(self) -> str:
        """The problem in English, e.g. for the command line."""
        return MESSAGES[self.problem].format(**self.params)

    def __str__(self) -> str:
        where = self.file if self.line == 0 else f"{self.file}, {self.unit} {self.line}"
        return f"{where}{', ' + self.field if self.field else ''}: {self.message()}"


class Outcome(StrEnum):
    """How an import ended."""

    COMMITTED = "committed"
    REJECTED = "rejected"
    DRY_RUN = "dry_run"


class ImportCancelled(Exception):
    """The user cancelled; the database was left as it was."""


@dataclass
class ImportSummary:
    """What an import read and did."""

    file: str
    outcome: Outcome = Outcome.COMMITTED
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    outside_jurisdiction: int = 0
    issue_count: int = 0
    issues: list[Issue] = field(default_factory=list)
    unknown_categories: dict[str, int] = field(default_factory=dict)
    rejects_file: str | None = None
    #: Calls of this file the repeat check flagged as repeat calls (one person / one place).
    repeats_flagged: int = 0
    #: Calls of this file older than the repeat window: not checked (``repeats --scan --since``).
    repeats_unchecked: int = 0
    seconds: float = 0.0

    @property
    def file_rejected(self) -> bool:
        return self.outcome == Outcome.REJECTED

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-ready dict (problems as located English messages)."""
        data = asdict(self)
        data["outcome"] = self.outcome.value
        data["issues"] = [{"line": i.line, "field": i.field, "problem": i.problem.value,
                           "message": i.message()} for i in self.issues]
        return data


@dataclass(frozen=True)
class PreviewRow:
    """A row as it will be stored (``values`` by column) or the problems that stop it."""

    line: int
    values: dict[str, Any]
    issues: list[Issue]


class _FileProblem(Exception):
    def __init__(self, issue: Issue) -> None:
        super().__init__(str(issue))
        self.issue = issue


class _Rollback(Exception):
    pass


# reading records -----------------------------------------------------------------------


class _CountingRaw(io.RawIOBase):
    """Counts the bytes read from a binary file, for progress in bytes."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self.pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._fh.readinto(buffer)  # type: ignore[attr-defined]
        self.pos += n
        return int(n)


@dataclass
class _Source:
    """Records of one file: ``(line, values)``; values a list (tabular) or a dict (JSON)."""

    path: Path
    profile: Profile
    fmt: str
    unit: str = "line"
    header: list[str] | None = None
    total: int = 0
    done: Callable[[], int] = lambda: 0

    def issue(self, line: int, problem: Problem, fld: str = "", **params: Any) -> Issue:
        return Issue(self.path.name, line, fld, problem, {k: str(v) for k, v in params.items()},
                     self.unit)


def detect_format(path: Path, profile: Profile) -> str:
    """The file format: the profile's, else from the extension (.csv .txt .tsv .xlsx .json .ndjson)."""
    if profile.format != "auto":
        return profile.format
    ext = path.suffix.lower()
    return {".tsv": "tsv", ".tab": "tsv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json",
            ".ndjson": "ndjson", ".jsonl": "ndjson"}.get(ext, "csv")


def _open_text(src: _Source, fh: IO[bytes]) -> tuple[IO[str], str, str]:
    """The file as text in its detected encoding, the encoding and its first line."""
    sample = fh.read(ENCODING_SAMPLE)
    at_eof = len(sample) < ENCODING_SAMPLE
    fh.seek(0)
    encoding = src.profile.encoding
    if encoding == "auto":
        encoding = detect_encoding(sample, at_eof=at_eof)
    elif encoding == "utf-8" and sample.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    counting = _CountingRaw(fh)
    src.done = lambda: counting.pos
    first = sample.split(b"\n", 1)[0].decode(encoding, errors="replace")
    return io.TextIOWrapper(io.BufferedReader(counting, 1 << 16), encoding=encoding,
                            newline=""), encoding, first


def _csv_records(src: _Source, fh: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    text, encoding, first = _open_text(src, fh)
    delimiter = src.profile.delimiter
    if delimiter is None:
        delimiter = "\t" if src.fmt == "tsv" or first.count("\t") > first.count(",") else ","
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    prev = 0
    try:
        for row in reader:
            start, prev = prev + 1, reader.line_num
            yield start, row
    except UnicodeDecodeError:
        raise _FileProblem(src.issue(prev + 1, Problem.DECODE, encoding=encoding)) from None
    except csv.Error as exc:
        raise _FileProblem(src.issue(prev + 1, Problem.BAD_CSV, detail=exc)) from None


def _json_records(src: _Source, fh: IO[bytes]) -> Iterator[tuple[int, Any]]:
    """Objects of a JSON array or of NDJSON, streamed: the file is never loaded whole."""
    text, encoding, _first = _open_text(src, fh)
    decoder = json.JSONDecoder()
    buf, pos, line, eof = "", 0, 1, False
    mode: str | None = None

    def more() -> bool:
        nonlocal buf, pos, eof
        try:
            chunk = text.read(1 << 16)
        except UnicodeDecodeError as exc:
            raise _FileProblem(src.issue(line, Problem.DECODE, encoding=encoding)) from exc
        if not chunk:
            eof = True
            return False
        buf = buf[pos:] + chunk
        pos = 0
        return True

    while True:
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n,\ufeff":
                line += buf[pos] == "\n"
                pos += 1
            if pos < len(buf) or not more():
                break
        if pos >= len(buf):
            if mode == "array":
                raise _FileProblem(src.issue(line, Problem.BAD_JSON, detail="the array is not closed"))
            return
        if mode is None:
            mode = "array" if buf[pos] == "[" else "lines"
            if mode == "array":
                pos += 1
                continue
        if buf[pos] == "]" and mode == "array":
            return
        while True:
            try:
                value, end = decoder.raw_decode(buf, pos)
                break
            except json.JSONDecodeError as exc:
                if eof or not more():
                    raise _FileProblem(src.issue(line, Problem.BAD_JSON, detail=exc.msg)) from None
        yield line, value
        line += buf.count("\n", pos, end)
        pos = end


def _xlsx_records(src: _Source, fh: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    src.unit = "row"
    try:
        book = load_workbook(fh, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _FileProblem(src.issue(0, Problem.UNREADABLE, detail=exc, format="XLSX")) from None
    try:
        sheet_ref = src.profile.sheet
        if sheet_ref is None:
            sheet = book.worksheets[0]
        elif isinstance(sheet_ref, int):
            if not 1 <= sheet_ref <= len(book.worksheets):
                raise _FileProblem(src.issue(0, Problem.UNREADABLE, format="XLSX",
                                             detail=f"there is no sheet number {sheet_ref}"))
            sheet = book.worksheets[sheet_ref - 1]
        else:
            if sheet_ref not in book.sheetnames:
                raise _FileProblem(src.issue(0, Problem.UNREADABLE, format="XLSX",
                                             detail=f"there is no sheet named {sheet_ref!r}"))
            sheet = book[sheet_ref]
        src.total = int(sheet.max_row or 0)
        counter = [0]
        src.done = lambda: counter[0]
        try:
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                counter[0] = number
                yield number, list(row)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
            raise _FileProblem(src.issue(counter[0] + 1, Problem.UNREADABLE, detail=exc,
                                         format="XLSX")) from None
    finally:
        book.close()


def _records(src: _Source, fh: IO[bytes]) -> Iterator[tuple[int, Any]]:
    if src.fmt == "xlsx":
        return _xlsx_records(src, fh)
    if src.fmt in ("json", "ndjson"):
        return _json_records(src, fh)
    return _csv_records(src, fh)


def _blank(values: Any) -> bool:
    return isinstance(values, list) and all(v is None or str(v).strip() == "" for v in values)


Getter = Callable[[Any], Any]


def _key_getter(path: str) -> Getter:
    parts = path.split(".")

    def get(record: Any) -> Any:
        value = record
        for part in parts:
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value

    return get


def _index_getter(index: int) -> Getter:
    return lambda row: row[index] if index < len(row) else None


def _resolve_columns(src: _Source, header: list[str] | None) -> dict[str, Getter]:
    getters: dict[str, Getter] = {}
    tabular = src.fmt not in ("json", "ndjson")
    for target, ref in src.profile.columns.items():
        if not tabular:
            getters[target] = _key_getter(ref.name or "")
        elif ref.index is not None:
            getters[target] = _index_getter(ref.index - 1)
        else:
            assert header is not None
            names = [cell_text(h).lstrip("\ufeff") for h in header]
            if ref.name not in names:
                shown = ", ".join(repr(n) for n in names[:40] if n)
                raise _FileProblem(src.issue(0, Problem.MISSING_COLUMN, target, column=ref.label(),
                                             target=target, available=shown or "no header"))
            getters[target] = _index_getter(names.index(ref.name))
    return getters


# converting rows -------------------------------------------------------------------------


class Locator:
    """Community and grid of points, many at once (numpy: bounding boxes, then ray casting).

    The first community (in table order) whose polygons hold a point is its community, and the
    first of that community's grids holding it its grid. A row without a point is placed in the
    community its address names, if any.
    """

    def __init__(self, conn: Connection) -> None:
        rows = conn.execute(select(COMMUNITY.c.id, COMMUNITY.c.name, COMMUNITY.c.geometry)).all()
        self.areas = [Area(r.id, r.name, r.geometry) for r in rows]
        self.community_ids = [int(r.id) for r in rows]
        self.community_polygons = [polygons_of(r.geometry) for r in rows]
        self.grids: dict[int, tuple[list[int], list[list[Rings]]]] = {}
        for r in conn.execute(select(GRID.c.id, GRID.c.community_id, GRID.c.geometry)):
            ids, polygons = self.grids.setdefault(r.community_id, ([], []))
            ids.append(int(r.id))
            polygons.append(polygons_of(r.geometry))

    def place(self, rows: Sequence[dict[str, Any]]) -> None:
        """Set ``community_id``, ``grid_id`` and ``in_jurisdiction`` of converted rows."""
        pointed = []
        for row in rows:
            if row.get("lat") is not None and row.get("lon") is not None:
                pointed.append(row)
                continue
            address = row.get("address", "")
            found = area_from_address(address, self.areas) if address else None
            row["community_id"], row["grid_id"], row["in_jurisdiction"] = (
                found.id if found else None), None, True
        if not pointed:
            return
        lat = np.fromiter((row["lat"] for row in pointed), dtype=np.float64, count=len(pointed))
        lon = np.fromiter((row["lon"] for row in pointed), dtype=np.float64, count=len(pointed))
        community = assign(lat, lon, self.community_polygons)
        grid = np.full(len(pointed), -1, dtype=np.int64)
        for index, community_id in enumerate(self.community_ids):
            grid_ids, polygons = self.grids.get(community_id, ([], []))
            members = np.nonzero(community == index)[0]
            if not grid_ids or not members.size:
                continue
            found = assign(lat[members], lon[members], polygons)
            grid[members] = np.where(found >= 0, np.asarray([*grid_ids, -1], dtype=np.int64)[found], -1)
        for row, c, g in zip(pointed, community.tolist(), grid.tolist(), strict=True):
            row["community_id"] = self.community_ids[c] if c >= 0 else None
            row["grid_id"] = g if g >= 0 else None
            row["in_jurisdiction"] = c >= 0

    def locate(self, lat: float | None, lon: float | None,
               address: str) -> tuple[int | None, int | None, bool]:
        """(community_id, grid_id, in_jurisdiction) of a point, or of an address without one."""
        row: dict[str, Any] = {"lat": lat, "lon": lon, "address": address}
        self.place([row])
        return row["community_id"], row["grid_id"], row["in_jurisdiction"]


class _Converter:
    """Turns a source record into incident column values, or into located problems."""

    def __init__(self, conn: Connection, src: _Source, getters: dict[str, Getter]) -> None:
        self.src = src
        self.profile = src.profile
        self.getters = getters
        self.categories: dict[str, tuple[str, int]] = {}
        for r in conn.execute(select(CATEGORY.c.code, CATEGORY.c.name, CATEGORY.c.default_priority)):
            self.categories[r.code] = (r.code, int(r.default_priority))
            self.categories.setdefault(r.name, (r.code, int(r.default_priority)))
        self.locator = Locator(conn)
        self.has_coords = "lat" in getters
        self.statuses = {**STATUS_WORDS, **{s.value: s.value for s in IncidentStatus},
                         **self.profile.statuses}
        self.sources = {**SOURCE_WORDS, **{s.value: s.value for s in IncidentSource},
                        **self.profile.sources}

    def _category(self, raw: str) -> str | None:
        target = self.profile.categories.get(raw)
        if target is None:
            for prefix, mapped in self.profile.category_prefixes:
                if raw.startswith(prefix):
                    target = mapped
                    break
        found = self.categories.get(target if target is not None else raw)
        return found[0] if found else None

    def convert(self, line: int, record: Any, *,
                locate: bool = True) -> tuple[dict[str, Any] | None, list[Issue]]:
        """Column values of one record, or its problems; ``locate`` False leaves the community and
        grid to ``Locator.place`` (the bulk path places a whole batch at once)."""
        issues: list[Issue] = []
        src = self.src

        def bad(fld: str, problem: Problem, **params: Any) -> None:
            issues.append(src.issue(line, problem, fld, **params))

        raw: dict[str, Any] = {t: g(record) for t, g in self.getters.items()}
        text = {t: cell_text(v) for t, v in raw.items()}
        out: dict[str, Any] = {}
        for fld in ("address", "caller_name", "caller_id_no", "description", "feedback", "incident_no"):
            if fld in text:
                out[fld] = text[fld]
        if "caller_id_no" in out:
            out["caller_id_no"] = out["caller_id_no"].upper()
        if "caller_phone" in text:
            out["caller_phone"] = normalize_phone(text["caller_phone"]) if text["caller_phone"] else ""
        for fld, limit in MAX_LEN.items():
            if len(out.get(fld, "")) > limit:
                bad(fld, Problem.TOO_LONG, found=len(out[fld]), limit=limit)
        for fld in DATETIME_FIELDS:
            if fld not in raw:
                continue
            if text[fld] == "":
                if fld == "received_at":
                    bad(fld, Problem.REQUIRED)
                out[fld] = None
                continue
            try:
                out[fld] = parse_datetime(raw[fld], self.profile.datetime_formats).replace(microsecond=0)
            except ValueError as exc:
                bad(fld, Problem.BAD_DATE, detail=exc)
        category = text.get("category", "")
        default_priority = int(Priority.HIGH)
        if not category:
            bad("category", Problem.REQUIRED)
        else:
            code = self._category(category)
            if code is None:
                bad("category", Problem.UNKNOWN_CATEGORY, value=repr(category))
            else:
                out["category_code"] = code
                default_priority = self.categories[code][1]
        if text.get("priority"):
            value = text["priority"]
            number = PRIORITY_WORDS.get(value) or (int(value) if value.isdigit() else None)
            if number not in (1, 2, 3):
                bad("priority", Problem.UNKNOWN_PRIORITY, value=repr(value))
            out["priority"] = number
        else:
            out["_default_priority"] = default_priority
        for fld, table, problem, default in (
            ("status", self.statuses, Problem.UNKNOWN_STATUS, self.profile.default_status),
            ("source", self.sources, Problem.UNKNOWN_SOURCE, self.profile.default_source),
        ):
            if text.get(fld):
                value = table.get(text[fld])
                if value is None:
                    bad(fld, problem, value=repr(text[fld]))
                out[fld] = value
            elif fld in text:
                out[fld] = default
        if self.has_coords:
            lat_t, lon_t = text["lat"], text["lon"]
            if lat_t == "" and lon_t == "":
                out["lat"] = out["lon"] = None
            elif lat_t == "" or lon_t == "":
                bad("lat" if lat_t == "" else "lon", Problem.REQUIRED)
            else:
                try:
                    lat, lon = parse_float(raw["lat"]), parse_float(raw["lon"])
                except ValueError as exc:
                    bad("lat/lon", Problem.BAD_NUMBER, detail=exc)
                else:
                    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                        bad("lat/lon", Problem.OUT_OF_RANGE, value=f"{lat}, {lon}",
                            detail="latitude -90..90, longitude -180..180; are they swapped?")
                    else:
                        if self.profile.coordinates != CoordSystem.WGS84:
                            lon, lat = to_wgs84(lon, lat, self.profile.coordinates)
                        out["lat"], out["lon"] = round(lat, 7), round(lon, 7)
        if not out.get("address") and out.get("lat") is None:
            bad("address", Problem.REQUIRED)
        if issues:
            return None, issues
        if not out.get("incident_no"):
            out["incident_no"] = content_key(out)
        if locate and (self.has_coords or "address" in out):
            self.locator.place([out])
        return out, []


def content_key(values: dict[str, Any]) -> str:
    """The stable number of a row without an upstream number (see README, "Feed import")."""
    received = values.get("received_at")
    parts = [received.isoformat(sep=" ") if isinstance(received, datetime) else "",
             values.get("category_code", ""), values.get("address", ""),
             values.get("caller_phone", ""), values.get("description", "")]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return CONTENT_KEY_PREFIX + digest[:19].upper()


# writing ------------------------------------------------------------------------------------

_INSERT_DEFAULTS: dict[str, Any] = {
    "source": IncidentSource.CALL_110.value, "status": IncidentStatus.NEW.value, "caller_name": "",
    "caller_phone": "", "caller_id_no": "", "address": "", "lat": None, "lon": None,
    "community_id": None, "grid_id": None, "description": "", "dispatched_at": None,
    "arrived_at": None, "resolved_at": None, "closed_at": None, "outcome_code": "", "feedback": "",
    "is_repeat": False, "is_diverted": False, "in_jurisdiction": True,
}
_INSERT_COLUMNS = ("incident_no", "category_code", "priority", "received_at", *_INSERT_DEFAULTS,
                   "updated_at")


_insert_tuple = operator.itemgetter(*_INSERT_COLUMNS)


def _sql_time(value: datetime | None) -> str | None:
    """A time as SQLAlchemy's DateTime stores it on SQLite."""
    return None if value is None else value.isoformat(sep=" ", timespec="microseconds")


_LOCATION = ("community_id", "grid_id", "in_jurisdiction")


class _Writer:
    """Inserts or updates batches of converted rows inside the import's transaction."""

    def __init__(self, conn: Connection, summary: ImportSummary, src: _Source, now: datetime,
                 profile: Profile) -> None:
        self.conn, self.summary, self.src, self.now = conn, summary, src, now
        last_id = conn.execute(select(func.coalesce(func.max(INCIDENT.c.id), 0))).scalar_one()
        self.first_new_id = int(last_id) + 1
        # One bit per incident that existed before: "already touched by this file".
        self.touched = bytearray(self.first_new_id // 8 + 1)
        self.updated_ids: list[int] = []
        self.batch: list[tuple[int, dict[str, Any]]] = []
        self.defaults = {**_INSERT_DEFAULTS, "source": profile.default_source,
                         "status": profile.default_status, "updated_at": _sql_time(now),
                         "is_repeat": 0, "is_diverted": 0}
        self.compare = [c for c in (
            "received_at", "category_code", "priority", "status", "source", "address", "lat", "lon",
            "caller_name", "caller_phone", "caller_id_no", "description", "dispatched_at",
            "arrived_at", "resolved_at", "closed_at", "feedback", *_LOCATION)]
        self.on_issue: Callable[[Issue, Any], None] = lambda issue, record: None
        self.suspended: contextlib.AbstractContextManager[None] | None = None
        self.existing_rows = int(conn.execute(select(func.count()).select_from(INCIDENT)).scalar_one())
        self.locator = Locator(conn)

    def consider_bulk(self, rows_read: int, done: int, total: int) -> None:
        """Once enough of the file is read to estimate its size, go bulk for a big feed."""
        if self.suspended is not None or not rows_read or not done:
            return
        estimate = rows_read * total / done
        if estimate - rows_read > max(BULK_ROWS, self.existing_rows / 10):
            self.suspended = search_index_suspended(self.conn)
            self.suspended.__enter__()

    def finish(self, keep: bool) -> None:
        """Write the last batch; rebuild a suspended text-search index when the rows are kept.

        When they are not (rejected file, dry run) the transaction's rollback restores the
        index's triggers and content as they were.
        """
        self.flush()
        if self.suspended is not None and keep:
            self.suspended.__exit__(None, None, None)

    def add(self, line: int, values: dict[str, Any]) -> None:
        self.batch.append((line, values))
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        self.locator.place([values for _, values in batch if "lat" in values or "address" in values])
        numbers = list({v["incident_no"] for _, v in batch})
        existing = {r.incident_no: r for r in self.conn.execute(
            select(INCIDENT.c.id, INCIDENT.c.incident_no, *(INCIDENT.c[c] for c in self.compare))
            .where(INCIDENT.c.incident_no.in_(numbers)))}
        seen: set[str] = set()
        inserts: list[tuple[Any, ...]] = []
        summary = self.summary
        for line, values in batch:
            number = values["incident_no"]
            old = existing.get(number)
            duplicate = number in seen or (old is not None and (
                old.id >= self.first_new_id or self.touched[old.id >> 3] & (1 << (old.id & 7))))
            seen.add(number)
            if duplicate:
                summary.rejected += 1
                self.on_issue(self.src.issue(line, Problem.DUPLICATE, "incident_no", value=number), values)
                continue
            if old is None:
                row = {**self.defaults, **values}
                if "priority" not in values:
                    row["priority"] = values.get("_default_priority", int(Priority.HIGH))
                for name in DATETIME_FIELDS:
                    row[name] = _sql_time(row[name])
                row["in_jurisdiction"] = int(row["in_jurisdiction"])
                inserts.append(_insert_tuple(row))
                summary.outside_jurisdiction += 1 - row["in_jurisdiction"]
                continue
            self.touched[old.id >> 3] |= 1 << (old.id & 7)
            self._maybe_update(old, values)
        if inserts:
            # Straight to the driver on SQLite: the bulk path of big feeds.
            bulk_insert(self.conn, INCIDENT, _INSERT_COLUMNS, inserts)
            summary.inserted += len(inserts)

    def _maybe_update(self, old: Any, values: dict[str, Any]) -> None:
        summary = self.summary
        new_status = values.get("status")
        if new_status is not None and STATUS_RANK[new_status] < STATUS_RANK[old.status]:
            # An older snapshot of an incident that has moved on: never step it back.
            summary.unchanged += 1
            return
        changes = {c: values[c] for c in self.compare
                   if c in values and c not in _LOCATION and values[c] != getattr(old, c)}
        if changes and any(c in changes for c in ("lat", "lon", "address")):
            changes.update({c: values[c] for c in _LOCATION if c in values})
        if not changes:
            summary.unchanged += 1
            return
        changes["updated_at"] = self.now
        self.conn.execute(update(INCIDENT).where(INCIDENT.c.id == bindparam("_id")).values(
            {c: bindparam(c) for c in changes}), [{"_id": old.id, **changes}])
        self.conn.execute(insert(EVENT).values(
            incident_id=old.id, at=self.now, actor="", action="imported",
            detail=f"{self.src.path.name}: " + ", ".join(sorted(changes.keys() - {"updated_at"}))))
        if "in_jurisdiction" in changes and not changes["in_jurisdiction"]:
            summary.outside_jurisdiction += 1
        summary.updated += 1
        self.updated_ids.append(int(old.id))


# the use case ------------------------------------------------------------------------------


class _Rejects:
    """The rejects file beside the input: line, field, problem and the original values."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._cm: Any = None
        self._writer: Any = None
        self.count = 0

    def write(self, issue: Issue, record: Any) -> None:
        if self._writer is None:
            self._cm = atomic_open(self.path, "w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._cm.__enter__())
            self._writer.writerow(["line", "field", "problem", "values"])
        values = json.dumps(record, ensure_ascii=False, default=str) if not isinstance(record, list) \
            else "\t".join(cell_text(v) for v in record)
        self._writer.writerow([issue.line, issue.field, issue.message(), values])
        self.count += 1

    def close(self, keep: bool) -> None:
        if self._cm is None:
            return
        if keep:
            self._cm.__exit__(None, None, None)
        else:
            with contextlib.suppress(_Rollback):
                self._cm.__exit__(_Rollback, _Rollback(), None)


def rejects_path(path: Path) -> Path:
    """Where ``accept_valid`` writes the rows it left out: ``<name>.rejects.csv`` beside the file."""
    return path.with_name(path.name + ".rejects.csv")


def import_feed(db: Database, path: Path, profile: Profile, *, dry_run: bool = False,
                accept_valid: bool = False, progress: ProgressFn | None = None,
                now: datetime | None = None, check_repeats: bool = True) -> ImportSummary:
    """Import one feed file in one transaction; see the module docstring for the guarantees.

    ``progress(done, total)`` is called after every batch; returning False cancels
    (``ImportCancelled``), leaving the database unchanged. The new and changed calls are
    checked against the repeat-call rules in the same transaction (``check_repeats``).
    """
    started = time.perf_counter()
    now = (now or datetime.now()).replace(microsecond=0)
    db.identity.require(Perm.IMPORT)
    summary = ImportSummary(file=str(path))
    rejects = _Rejects(rejects_path(path)) if accept_valid and not dry_run else None
    try:
        # One audit record for the file instead of one per row; the permission was checked above.
        with (db.write() as conn, rows_unrecorded(conn), writes_checked(conn),
              bulk_cache(conn)):
            writer = _run(conn, path, profile, summary, rejects, accept_valid, dry_run, progress, now)
            if dry_run or summary.outcome == Outcome.REJECTED:
                raise _Rollback
            if check_repeats and writer is not None and (summary.inserted or summary.updated):
                last_id = int(conn.execute(select(func.coalesce(func.max(INCIDENT.c.id), 0))).scalar_one())
                ids = [*range(writer.first_new_id, last_id + 1), *writer.updated_ids]
                checked = RepeatService(db, now=lambda: now, actor="import").check_calls(
                    conn, ids, recent_only=True)
                summary.repeats_flagged = checked.flagged
                summary.repeats_unchecked = len(set(ids)) - checked.checked
            audit.record(conn, db, audit.Action.IMPORT, object_type="file", object_id=path.name,
                         detail=_audit_detail(summary, profile))
    except _Rollback:
        if summary.outcome == Outcome.REJECTED:
            audit.log(db, audit.Action.IMPORT, object_type="file", object_id=path.name,
                      outcome="rejected", detail=_audit_detail(summary, profile))
    except BaseException:
        if rejects is not None:
            rejects.close(keep=False)
        raise
    if dry_run and summary.outcome != Outcome.REJECTED:
        summary.outcome = Outcome.DRY_RUN
    if rejects is not None:
        keep = summary.outcome == Outcome.COMMITTED and rejects.count > 0
        rejects.close(keep=keep)
        summary.rejects_file = str(rejects.path) if keep else None
    summary.unknown_categories = dict(summary.unknown_categories)
    summary.seconds = time.perf_counter() - started
    return summary


def _audit_detail(summary: ImportSummary, profile: Profile) -> dict[str, Any]:
    return {"path": summary.file, "profile": profile.name, "read": summary.read,
            "inserted": summary.inserted, "updated": summary.updated,
            "rejected": summary.rejected, "issues": summary.issue_count}


def _run(conn: Connection, path: Path, profile: Profile, summary: ImportSummary,
         rejects: _Rejects | None, accept_valid: bool, dry_run: bool, progress: ProgressFn | None,
         now: datetime) -> _Writer | None:
    """Read and write the file's rows; the writer that wrote them (None when the file was unreadable)."""
    src = _Source(path, profile, detect_format(path, profile))
    writer: _Writer | None = None
    unknown: Counter[str] = Counter()

    def note(issue: Issue, record: Any) -> None:
        summary.issue_count += 1
        if len(summary.issues) < MAX_ISSUES:
            summary.issues.append(issue)
        if rejects is not None:
            rejects.write(issue, record)

    try:
        with path.open("rb") as fh:
            src.total = path.stat().st_size
            records = _records(src, fh)
            writer = _Writer(conn, summary, src, now, profile)
            writer.on_issue = note
            converter: _Converter | None = None
            expected: int | None = None
            skip = profile.skip_rows
            for line, record in records:
                if skip:
                    skip -= 1
                    continue
                if converter is None:
                    header = None
                    if src.fmt not in ("json", "ndjson") and profile.header:
                        header = [cell_text(h) for h in record]
                        while header and not header[-1]:
                            header.pop()
                        expected = len(header) if src.fmt != "xlsx" else None
                    converter = _Converter(conn, src, _resolve_columns(src, header))
                    if header is not None:
                        continue
                if _blank(record):
                    continue
                summary.read += 1
                if isinstance(record, list) and expected is not None and len(record) != expected:
                    summary.rejected += 1
                    note(src.issue(line, Problem.COLUMN_COUNT, found=len(record), expected=expected),
                         record)
                elif src.fmt in ("json", "ndjson") and not isinstance(record, dict):
                    summary.rejected += 1
                    note(src.issue(line, Problem.NOT_OBJECT, value=type(record).__name__), record)
                else:
                    values, issues = converter.convert(line, record, locate=False)
                    if values is None:
                        summary.rejected += 1
                        for issue in issues:
                            if issue.problem == Problem.UNKNOWN_CATEGORY:
                                unknown[issue.params["value"].strip("'\"")] += 1
                            note(issue, record)
                    else:
                        writer.add(line, values)
                if summary.read % PROGRESS_ROWS == 0:
                    if summary.read == PROGRESS_ROWS:
                        writer.consider_bulk(summary.read, src.done(), src.total)
                    if progress is not None and not progress(src.done(), src.total):
                        raise ImportCancelled(f"import of {path.name} cancelled")
            writer.finish(keep=not dry_run and (accept_valid or not summary.rejected))
    except _FileProblem as exc:
        note(exc.issue, None)
        summary.outcome = Outcome.REJECTED
    except OSError as exc:
        note(src.issue(0, Problem.UNREADABLE, detail=exc.strerror or exc, format=src.fmt.upper()), None)
        summary.outcome = Outcome.REJECTED
    summary.unknown_categories = dict(unknown)
    if summary.outcome != Outcome.REJECTED and summary.read == 0:
        note(src.issue(0, Problem.EMPTY_FILE), None)
        summary.outcome = Outcome.REJECTED
    if summary.rejected and not accept_valid:
        summary.outcome = Outcome.REJECTED
    if summary.outcome == Outcome.REJECTED:
        summary.inserted = summary.updated = summary.unchanged = 0
    if progress is not None:
        progress(src.total, src.total)
    return writer


def preview(db: Database, path: Path, profile: Profile, limit: int = 20) -> list[PreviewRow]:
    """The first ``limit`` data rows as they will be stored, with their problems; writes nothing."""
    src = _Source(path, profile, detect_format(path, profile))
    out: list[PreviewRow] = []
    with db.read() as conn, path.open("rb") as fh:
        converter: _Converter | None = None
        skip = profile.skip_rows
        try:
            for line, record in _records(src, fh):
                if skip:
                    skip -= 1
                    continue
                if converter is None:
                    header = None
                    if src.fmt not in ("json", "ndjson") and profile.header:
                        header = [cell_text(h) for h in record]
                    converter = _Converter(conn, src, _resolve_columns(src, header))
                    if header is not None:
                        continue
                if _blank(record):
                    continue
                if src.fmt in ("json", "ndjson") and not isinstance(record, dict):
                    out.append(PreviewRow(line, {}, [src.issue(line, Problem.NOT_OBJECT,
                                                               value=type(record).__name__)]))
                else:
                    values, issues = converter.convert(line, record)
                    shown = dict(values or {})
                    if "_default_priority" in shown:
                        shown["priority"] = shown.pop("_default_priority")
                    out.append(PreviewRow(line, shown, issues))
                if len(out) >= limit:
                    break
        except _FileProblem as exc:
            out.append(PreviewRow(exc.issue.line, {}, [exc.issue]))
    return out


def column_preview(value: Any) -> str:
    """A stored value as preview text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


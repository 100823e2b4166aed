"""Importing patrol GPS tracks (巡逻轨迹) from CSV or GPX 1.1 files.

A CSV file has one point per line: the unit or officer, the time, latitude and longitude,
under English or Chinese header names (``unit,time,lat,lon`` or ``巡逻组,定位时间,纬度,经度``),
in UTF-8 or GB18030/GBK. A GPX file holds ``trk`` tracks whose ``name`` is the unit and whose
``trkseg/trkpt`` points carry a ``time``. Points may be written in WGS-84, GCJ-02 or BD-09 and
are stored in WGS-84.

The whole file is read and checked before anything is written: a file with a bad point is
refused whole, with its problems named by file, line (and point) and field. A good file is
written in one transaction and recorded by one audit record (not one per point). A point is
unique per subject and time, so importing the same file again adds nothing.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from xml.parsers import expat

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection

from station_console.domain.coords import CoordSystem, to_wgs84
from station_console.domain.feedparse import detect_encoding, parse_datetime, parse_float
from station_console.domain.security import Perm
from station_console.services import audit
from station_console.store.database import Database
from station_console.store.dialect import driver_sql
from station_console.store.models import Officer, PatrolTrackPoint, PatrolUnit

TRACK_POINT: Table = PatrolTrackPoint.__table__  # type: ignore[attr-defined]
UNIT: Table = PatrolUnit.__table__  # type: ignore[attr-defined]
OFFICER: Table = Officer.__table__  # type: ignore[attr-defined]

#: Problems kept for the message (all are counted).
MAX_ISSUES = 20
#: Bytes read to tell UTF-8 from GB18030.
ENCODING_SAMPLE = 1 << 20
INSERT_BATCH = 50_000
SUBJECT_MAX = 100

#: Accepted header names per field, compared without case, spaces, ``_`` or ``-``.
HEADERS: dict[str, tuple[str, ...]] = {
    "subject": ("unit", "unitname", "unitcode", "team", "officer", "officername", "badge", "badgeno",
                "callsign", "device", "name", "单位", "巡逻组", "警组", "巡组", "组别", "巡逻单元",
                "民警", "警员", "警号", "人员", "姓名", "呼号", "设备"),
    "time": ("time", "datetime", "timestamp", "at", "gpstime", "recordedat", "时间", "定位时间",
             "gps时间", "采集时间", "日期时间", "上报时间", "记录时间"),
    "lat": ("lat", "latitude", "y", "纬度"),
    "lon": ("lon", "lng", "long", "longitude", "x", "经度"),
}
FIELD_NAMES = {"subject": "unit", "time": "time", "lat": "lat", "lon": "lon"}


class TrackFormat(StrEnum):
    CSV = "csv"
    GPX = "gpx"

    @classmethod
    def of(cls, path: Path) -> TrackFormat:
        """The format a file's suffix names (``.gpx`` is GPX, anything else CSV)."""
        return cls.GPX if path.suffix.lower() == ".gpx" else cls.CSV


@dataclass(frozen=True)
class TrackIssue:
    """One problem of a track file: where (line, point) and which field."""

    line: int
    field: str
    message: str
    point: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" ({self.point})" if self.point else "")
        return f"{where}, field {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class TrackFileRejected(ValueError):
    """The file was refused whole; nothing was imported."""

    def __init__(self, path: Path, issues: list[TrackIssue], count: int) -> None:
        shown = "; ".join(str(i) for i in issues[:5])
        more = f" (and {count - 5} more problems)" if count > 5 else ""
        super().__init__(f"{path.name}: refused, nothing was imported: {shown}{more}")
        self.path = path
        self.issues = issues
        self.count = count


class ImportCancelled(Exception):
    """The user cancelled a track import; nothing was written."""


@dataclass
class TrackImportSummary:
    """What one import did."""

    file: str
    format: str
    coords: str
    read: int = 0
    inserted: int = 0
    subjects: list[str] = field(default_factory=list)
    #: Subjects that name no patrol unit or officer of the station (kept, but not linked).
    unlinked: list[str] = field(default_factory=list)
    first: datetime | None = None
    last: datetime | None = None
    seconds: float = 0.0

    @property
    def duplicates(self) -> int:
        """Points already stored (an earlier import of the same track) or repeated in the file."""
        return self.read - self.inserted

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file, "format": self.format, "coords": self.coords, "read": self.read,
            "inserted": self.inserted, "duplicates": self.duplicates, "subjects": self.subjects,
            "unlinked": self.unlinked,
            "first": self.first.isoformat(sep=" ") if self.first else None,
            "last": self.last.isoformat(sep=" ") if self.last else None,
            "seconds": round(self.seconds, 3),
        }


#: One read point: subject, time, lat, lon (as written in the file's coordinate system).
Point = tuple[str, datetime, float, float]


class _Problems:
    def __init__(self) -> None:
        self.kept: list[TrackIssue] = []
        self.count = 0

    def add(self, issue: TrackIssue) -> None:
        self.count += 1
        if len(self.kept) < MAX_ISSUES:
            self.kept.append(issue)


def _key(name: str) -> str:
    return "".join(name.strip().lower().replace("_", "").replace("-", "").split())


def _point_values(problems: _Problems, line: int, subject: str, when: str, lat: str, lon: str,
                  point: str = "") -> Point | None:
    """Check one point's values; record each bad field."""
    before = problems.count

    def issue(fld: str, message: str) -> None:
        problems.add(TrackIssue(line, fld, message, point))

    subject = subject.strip()
    if not subject:
        issue("unit", "the unit or officer is empty")
    elif len(subject) > SUBJECT_MAX:
        issue("unit", f"longer than {SUBJECT_MAX} characters")
    at = lat_v = lon_v = None
    try:
        at = parse_datetime(when)
    except ValueError as exc:
        issue("time", str(exc))
    def coordinate(name: str, text: str, limit: float, what: str, hint: str = "") -> float | None:
        try:
            value = parse_float(text)
        except ValueError as exc:
            issue(name, str(exc))
            return None
        if not -limit <= value <= limit:
            issue(name, f"{value} is not a {what} (-{limit:g} to {limit:g}){hint}")
        return value

    lat_v = coordinate("lat", lat, 90, "latitude", "; are latitude and longitude swapped?")
    lon_v = coordinate("lon", lon, 180, "longitude")
    if problems.count != before or at is None or lat_v is None or lon_v is None:
        return None
    return subject, at, lat_v, lon_v


def read_csv_points(path: Path, problems: _Problems) -> list[Point]:
    """The points of a CSV file (UTF-8 or GB18030, comma, tab or semicolon separated)."""
    with path.open("rb") as fh:
        sample = fh.read(ENCODING_SAMPLE)
        encoding = detect_encoding(sample, at_eof=len(sample) < ENCODING_SAMPLE)
        fh.seek(0)
        text = io.TextIOWrapper(fh, encoding=encoding, newline="")
        try:
            return _csv_points(text, problems)
        except UnicodeDecodeError:
            problems.add(TrackIssue(0, "", f"the file is not {encoding} text throughout; save it as "
                                    "UTF-8 or GB18030"))
            return []


def _csv_points(text: io.TextIOWrapper, problems: _Problems) -> list[Point]:
    first = text.readline()
    if not first.strip():
        problems.add(TrackIssue(1, "", "no header line; the first line names the columns "
                                "(unit, time, lat, lon)"))
        return []
    delimiter = max(",\t;", key=first.count)
    header = next(csv.reader([first], delimiter=delimiter))
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        for fld, names in HEADERS.items():
            if _key(name) in names and fld not in columns:
                columns[fld] = index
    missing = [FIELD_NAMES[f] for f in HEADERS if f not in columns]
    if missing:
        problems.add(TrackIssue(1, ", ".join(missing), "no such column; the header needs unit (巡逻组), "
                                "time (时间), lat (纬度) and lon (经度)"))
        return []
    order = [columns["subject"], columns["time"], columns["lat"], columns["lon"]]
    width = max(order) + 1
    points: list[Point] = []
    for line, row in enumerate(csv.reader(text, delimiter=delimiter), start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) < width:
            problems.add(TrackIssue(line, "", f"{len(row)} columns, the header has {len(header)}"))
            continue
        point = _point_values(problems, line, *(row[i] for i in order))
        if point is not None:
            points.append(point)
    return points


class _GpxReader:
    """GPX 1.0/1.1 tracks through expat (which gives the line of every point)."""

    def __init__(self, problems: _Problems) -> None:
        self.problems = problems
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.chars
        self.path: list[str] = []
        self.points: list[Point] = []
        self.tracks = 0
        self.track_name = ""
        self.track_points: list[tuple[int, str, str, str, str]] = []
        self.point: dict[str, Any] | None = None
        self.text: list[str] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        self.path.append(local)
        self.text = []
        if local == "trk":
            self.tracks += 1
            self.track_name = ""
            self.track_points = []
        elif local == "trkpt":
            self.point = {"line": self.parser.CurrentLineNumber, "lat": attrs.get("lat", ""),
                          "lon": attrs.get("lon", ""), "time": ""}

    def chars(self, data: str) -> None:
        self.text.append(data)

    def end(self, name: str) -> None:
        local = self.path.pop()
        parent = self.path[-1] if self.path else ""
        if local == "name" and parent == "trk":
            self.track_name = "".join(self.text).strip()
        elif local == "time" and parent == "trkpt" and self.point is not None:
            self.point["time"] = "".join(self.text).strip()
        elif local == "trkpt" and self.point is not None:
            p = self.point
            self.track_points.append((p["line"], f"track {self.tracks} point {len(self.track_points) + 1}",
                                      p["time"], p["lat"], p["lon"]))
            self.point = None
        elif local == "trk":
            self.finish_track()
        self.text = []

    def finish_track(self) -> None:
        if not self.track_name:
            line = self.track_points[0][0] if self.track_points else self.parser.CurrentLineNumber
            self.problems.add(TrackIssue(line, "name", "the track has no <name>; the name is the unit "
                                         "or officer", f"track {self.tracks}"))
            return
        for line, label, when, lat, lon in self.track_points:
            if not when:
                self.problems.add(TrackIssue(line, "time", "the point has no <time>", label))
                continue
            point = _point_values(self.problems, line, self.track_name, when, lat, lon, label)
            if point is not None:
                self.points.append(point)

    def read(self, path: Path) -> list[Point]:
        try:
            with path.open("rb") as fh:
                self.parser.ParseFile(fh)
        except expat.ExpatError as exc:
            reason = expat.errors.messages[exc.code]
            self.problems.add(TrackIssue(exc.lineno, "", f"not well-formed XML ({reason})"))
        return self.points


def read_points(path: Path, fmt: TrackFormat) -> tuple[list[Point], _Problems]:
    """Every point of a file, and its problems."""
    problems = _Problems()
    points = read_csv_points(path, problems) if fmt == TrackFormat.CSV else _GpxReader(problems).read(path)
    if not points and not problems.count:
        what = "no data lines" if fmt == TrackFormat.CSV else "no <trk> track with <trkpt> points"
        problems.add(TrackIssue(0, "", f"{what}; nothing to import"))
    return points, problems


def _subject_links(conn: Connection) -> tuple[dict[str, int], dict[str, int]]:
    """Unit ids by code, name and call sign; officer ids by badge number and name."""
    units: dict[str, int] = {}
    for r in conn.execute(select(UNIT.c.id, UNIT.c.code, UNIT.c.name, UNIT.c.call_sign)):
        for key in (r.call_sign, r.name, r.code):
            if key:
                units[key] = r.id
    officers: dict[str, int] = {}
    for r in conn.execute(select(OFFICER.c.id, OFFICER.c.badge_no, OFFICER.c.name)):
        officers.setdefault(r.name, r.id)
        officers[r.badge_no] = r.id
    return units, officers


def _rows(points: list[Point], system: CoordSystem, source: str, imported_at: str,
          links: dict[str, tuple[int | None, int | None]]) -> Iterator[tuple[Any, ...]]:
    for subject, at, lat, lon in points:
        if system != CoordSystem.WGS84:
            lon, lat = to_wgs84(lon, lat, system)
        unit_id, officer_id = links[subject]
        yield (subject, unit_id, officer_id, at.isoformat(sep=" ", timespec="microseconds"),
               round(lat, 7), round(lon, 7), source, imported_at)


def import_tracks(db: Database, path: Path, *, fmt: TrackFormat | None = None,
                  coords: CoordSystem = CoordSystem.WGS84, now: datetime | None = None,
                  progress: Callable[[int, int], bool] | None = None) -> TrackImportSummary:
    """Import one track file in one transaction (see the module docstring).

    Raises ``TrackFileRejected`` naming the problems when any point is bad (nothing written),
    ``PermissionDenied`` without the import permission. ``progress(done, total)`` returning
    False cancels before the commit (``ImportCancelled``), leaving the database unchanged.
    """
    started = time.perf_counter()
    db.identity.require(Perm.IMPORT)
    fmt = fmt or TrackFormat.of(path)
    summary = TrackImportSummary(file=str(path), format=fmt.value, coords=coords.value)
    points, problems = read_points(path, fmt)
    summary.read = len(points)
    if problems.count:
        audit.log(db, audit.Action.IMPORT, object_type="file", object_id=path.name, outcome="rejected",
                  detail={"what": "patrol tracks", "path": str(path), "format": fmt.value,
                          "problems": problems.count, "first": str(problems.kept[0])})
        raise TrackFileRejected(path, problems.kept, problems.count)
    stamp = (now or datetime.now()).replace(microsecond=0).isoformat(sep=" ", timespec="microseconds")
    subjects = sorted({p[0] for p in points})
    sql = (f"INSERT INTO {TRACK_POINT.name} (subject, unit_id, officer_id, at, lat, lon, source_file, "
           "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (subject, at) DO NOTHING")
    with db.write() as conn, audit.bulk(conn, db, audit.Action.IMPORT, perm=Perm.IMPORT,
                                        object_type="file", object_id=path.name) as detail:
        units, officers = _subject_links(conn)
        links = {s: (units.get(s), None if s in units else officers.get(s)) for s in subjects}
        rows = _rows(points, coords, path.name[:200], stamp, links)
        batch: list[tuple[Any, ...]] = []
        done = 0
        for row in rows:
            batch.append(row)
            if len(batch) >= INSERT_BATCH:
                summary.inserted += _insert(conn, sql, batch)
                done += len(batch)
                batch = []
                if progress is not None and progress(done, len(points)) is False:
                    raise ImportCancelled
        summary.inserted += _insert(conn, sql, batch)
        summary.subjects = subjects
        summary.unlinked = [s for s in subjects if links[s] == (None, None)]
        times = [p[1] for p in points]
        summary.first, summary.last = min(times), max(times)
        detail.update(what="patrol tracks", path=str(path), format=fmt.value, coords=coords.value,
                      read=summary.read, inserted=summary.inserted, subjects=len(subjects))
    summary.seconds = time.perf_counter() - started
    return summary


def _insert(conn: Connection, sql: str, batch: list[tuple[Any, ...]]) -> int:
    if not batch:
        return 0
    result = conn.exec_driver_sql(driver_sql(conn, sql), batch)
    return int(result.rowcount)

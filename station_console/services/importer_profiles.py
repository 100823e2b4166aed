"""Mapping profiles: how one upstream feed's columns become station incidents (TOML files).

Profiles ship in ``data/profiles/`` and are saved by the user in ``<data dir>/profiles/``; a saved
profile with the same name wins. The format is documented in the README ("Feed import").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from station_console.config import data_path
from station_console.domain.coords import CoordSystem
from station_console.domain.enums import IncidentSource, IncidentStatus
from station_console.domain.feedparse import normalize_encoding
from station_console.services.atomic import write_text_atomic

#: Target fields a profile can map, in the order previews show them.
TARGET_FIELDS = (
    "incident_no", "received_at", "category", "priority", "status", "source", "address",
    "lon", "lat", "caller_name", "caller_phone", "caller_id_no", "description",
    "dispatched_at", "arrived_at", "resolved_at", "closed_at", "feedback",
)
DATETIME_FIELDS = ("received_at", "dispatched_at", "arrived_at", "resolved_at", "closed_at")
FORMATS = ("auto", "csv", "tsv", "xlsx", "json", "ndjson")
_NAME = re.compile(r"^[\w\-. ]{1,60}$")


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the profile and the key."""


@dataclass(frozen=True)
class ColumnRef:
    """A source column: by header name (or JSON key path) or by 1-based position."""

    name: str | None = None
    index: int | None = None

    def label(self) -> str:
        return repr(self.name) if self.name is not None else f"#{self.index}"


@dataclass(frozen=True)
class Profile:
    """A parsed mapping profile."""

    name: str
    columns: dict[str, ColumnRef]
    format: str = "auto"
    encoding: str = "auto"
    header: bool = True
    delimiter: str | None = None
    skip_rows: int = 0
    sheet: str | int | None = None
    datetime_formats: tuple[str, ...] = ()
    coordinates: CoordSystem = CoordSystem.WGS84
    default_source: str = IncidentSource.CALL_110.value
    default_status: str = IncidentStatus.NEW.value
    categories: dict[str, str] = field(default_factory=dict)
    category_prefixes: tuple[tuple[str, str], ...] = ()
    statuses: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    origin: Path | None = None


def _fail(where: str, message: str) -> ProfileError:
    return ProfileError(f"profile {where}: {message}")


def _text_map(doc: dict[str, Any], key: str, where: str) -> dict[str, str]:
    table = doc.get(key, {})
    if not isinstance(table, dict):
        raise _fail(where, f"[{key}] must be a table of \"source value\" = \"station value\" lines")
    out: dict[str, str] = {}
    for src, dst in table.items():
        if not isinstance(dst, str | int) or isinstance(dst, bool):
            raise _fail(where, f"[{key}] {src!r} must map to a text value, got {dst!r}")
        out[str(src).strip()] = str(dst).strip()
    return out


def parse_profile(text: str, name: str, origin: Path | None = None) -> Profile:
    """Parse and check a profile's TOML text; raises ``ProfileError`` naming the problem."""
    where = str(origin) if origin else repr(name)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(where, f"not valid TOML ({exc})") from None
    unknown = set(doc) - {"options", "columns", "categories", "statuses", "sources"}
    if unknown:
        raise _fail(where, f"unknown section(s) {sorted(unknown)}; use [options], [columns], "
                           "[categories], [statuses], [sources]")
    opts = doc.get("options", {})
    if not isinstance(opts, dict):
        raise _fail(where, "[options] must be a table")
    known_opts = {"format", "encoding", "header", "delimiter", "skip_rows", "sheet",
                  "datetime_formats", "coordinates", "default_source", "default_status"}
    if bad := set(opts) - known_opts:
        raise _fail(where, f"unknown option(s) {sorted(bad)} in [options]; known: {sorted(known_opts)}")
    fmt = str(opts.get("format", "auto")).lower()
    if fmt not in FORMATS:
        raise _fail(where, f"[options] format = {fmt!r}; use one of {', '.join(FORMATS)}")
    try:
        encoding = normalize_encoding(str(opts.get("encoding", "auto")))
        coords = CoordSystem.parse(str(opts.get("coordinates", "WGS-84")))
    except ValueError as exc:
        raise _fail(where, f"[options] {exc}") from None
    header = opts.get("header", True)
    if not isinstance(header, bool):
        raise _fail(where, "[options] header must be true or false")
    delimiter = opts.get("delimiter")
    if delimiter is not None:
        delimiter = {"\\t": "\t", "tab": "\t"}.get(str(delimiter), str(delimiter))
        if len(delimiter) != 1:
            raise _fail(where, f"[options] delimiter must be one character, got {delimiter!r}")
    skip = opts.get("skip_rows", 0)
    if not isinstance(skip, int) or isinstance(skip, bool) or skip < 0:
        raise _fail(where, "[options] skip_rows must be a whole number, 0 or more")
    sheet = opts.get("sheet")
    if sheet is not None and not isinstance(sheet, str | int):
        raise _fail(where, "[options] sheet must be a sheet name or a 1-based number")
    formats = opts.get("datetime_formats", [])
    if isinstance(formats, str):
        formats = [formats]
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        raise _fail(where, "[options] datetime_formats must be a list of strftime patterns")
    source = str(opts.get("default_source", IncidentSource.CALL_110.value))
    if source not in {s.value for s in IncidentSource}:
        raise _fail(where, f"[options] default_source {source!r} is not one of "
                           f"{', '.join(s.value for s in IncidentSource)}")
    status = str(opts.get("default_status", IncidentStatus.NEW.value))
    if status not in {s.value for s in IncidentStatus}:
        raise _fail(where, f"[options] default_status {status!r} is not one of "
                           f"{', '.join(s.value for s in IncidentStatus)}")

    cols_doc = doc.get("columns")
    if not isinstance(cols_doc, dict) or not cols_doc:
        raise _fail(where, "[columns] is missing; map at least received_at, category and address")
    columns: dict[str, ColumnRef] = {}
    for target, ref in cols_doc.items():
        if target not in TARGET_FIELDS:
            raise _fail(where, f"[columns] {target!r} is not a field; known: {', '.join(TARGET_FIELDS)}")
        if isinstance(ref, bool) or not isinstance(ref, str | int):
            raise _fail(where, f"[columns] {target} must be a column name (text) or 1-based number")
        if isinstance(ref, int):
            if ref < 1:
                raise _fail(where, f"[columns] {target} = {ref}: column numbers start at 1")
            columns[target] = ColumnRef(index=ref)
        else:
            if not header and fmt not in ("json", "ndjson"):
                raise _fail(where, f"[columns] {target} = {ref!r}: with header = false map columns "
                                   "by number (1 = first column)")
            columns[target] = ColumnRef(name=ref.strip())
    if fmt in ("json", "ndjson") and any(ref.index is not None for ref in columns.values()):
        raise _fail(where, "[columns] JSON records have no column order: map them by key name")
    for needed in ("received_at", "category"):
        if needed not in columns:
            raise _fail(where, f"[columns] {needed} must be mapped")
    if "address" not in columns and not {"lat", "lon"} <= set(columns):
        raise _fail(where, "[columns] map address, or both lat and lon")
    if ("lat" in columns) != ("lon" in columns):
        raise _fail(where, "[columns] map both lat and lon, or neither")

    cats = _text_map(doc, "categories", where)
    exact = {k: v for k, v in cats.items() if not k.endswith("*")}
    # Longest prefix first, so that "盗窃电动车*" wins over "盗窃*".
    prefixes = tuple(sorted(((k[:-1], v) for k, v in cats.items() if k.endswith("*")),
                            key=lambda kv: -len(kv[0])))
    statuses = _text_map(doc, "statuses", where)
    for src, dst in statuses.items():
        if dst not in {s.value for s in IncidentStatus}:
            raise _fail(where, f"[statuses] {src!r} = {dst!r}: use one of "
                               f"{', '.join(s.value for s in IncidentStatus)}")
    sources = _text_map(doc, "sources", where)
    for src, dst in sources.items():
        if dst not in {s.value for s in IncidentSource}:
            raise _fail(where, f"[sources] {src!r} = {dst!r}: use one of "
                               f"{', '.join(s.value for s in IncidentSource)}")
    return Profile(
        name=name, columns=columns, format=fmt, encoding=encoding, header=header,
        delimiter=delimiter, skip_rows=skip, sheet=sheet, datetime_formats=tuple(formats),
        coordinates=coords, default_source=source, default_status=status, categories=exact,
        category_prefixes=prefixes, statuses=statuses, sources=sources, origin=origin,
    )


def load_profile_file(path: Path) -> Profile:
    """Read a profile from a TOML file (``--mapping FILE.toml``)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ProfileError(f"profile {path}: cannot read it ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ProfileError(f"profile {path}: save it as UTF-8 text") from None
    return parse_profile(text, path.stem, path)


def shipped_profile_dir() -> Path:
    """The example profiles that ship with the program."""
    return data_path("profiles")


def user_profile_dir(data_dir: Path) -> Path:
    """Where profiles saved in the app live."""
    return data_dir / "profiles"


def profile_names(data_dir: Path) -> list[str]:
    """Every profile name available: saved ones and shipped ones, sorted."""
    names = {p.stem for folder in (shipped_profile_dir(), user_profile_dir(data_dir))
             if folder.is_dir() for p in folder.glob("*.toml")}
    return sorted(names)


def profile_path(name: str, data_dir: Path) -> Path:
    """The file of a named profile (a saved one before a shipped one)."""
    for folder in (user_profile_dir(data_dir), shipped_profile_dir()):
        candidate = folder / f"{name}.toml"
        if candidate.is_file():
            return candidate
    raise ProfileError(
        f"there is no profile named {name!r}; known profiles: {', '.join(profile_names(data_dir)) or 'none'}"
        " (or give a file with --mapping FILE.toml)")


def load_profile(name: str, data_dir: Path) -> Profile:
    """A named profile, parsed."""
    return load_profile_file(profile_path(name, data_dir))


def save_profile(name: str, text: str, data_dir: Path) -> Path:
    """Check a profile's text and save it by name (atomically); returns its file."""
    if not _NAME.match(name):
        raise ProfileError(f"profile name {name!r}: use letters, digits, '-', '_', '.' or spaces")
    target = user_profile_dir(data_dir) / f"{name}.toml"
    parse_profile(text, name, target)
    write_text_atomic(target, text)
    return target

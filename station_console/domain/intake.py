"""Rules of manual intake (接警登记): phone and ID-number formats, and finding the community.

Pure functions. Validation answers with a ``FieldProblem`` code per field; the UI shows a
translated message next to the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from station_console.domain.geo import Point, point_in_ring


class FieldProblem(StrEnum):
    """What is wrong with one field of the intake form."""

    REQUIRED = "required"
    PHONE_FORMAT = "phone_format"
    ID_FORMAT = "id_format"
    ID_BIRTH_DATE = "id_birth_date"
    ID_CHECKSUM = "id_checksum"
    UNKNOWN_CODE = "unknown_code"
    NO_COMMUNITY = "no_community"
    IN_FUTURE = "in_future"
    TOO_LONG = "too_long"
    OUT_OF_RANGE = "out_of_range"


#: A station's point lies in China's rough bounding box (as ``coords.out_of_china``); a value
#: outside it is a typing error (often latitude and longitude swapped), not a far-away incident.
LAT_RANGE = (0.8293, 55.8271)
LON_RANGE = (72.004, 137.8347)


def coordinate_problems(lat: float | None, lon: float | None) -> dict[str, FieldProblem]:
    """What is wrong with an optional point: one half missing, or a value out of range."""
    if lat is None and lon is None:
        return {}
    if lat is None or lon is None:
        return {"lat" if lat is None else "lon": FieldProblem.REQUIRED}
    problems: dict[str, FieldProblem] = {}
    # "not (a <= x <= b)" also catches NaN
    if not LAT_RANGE[0] <= lat <= LAT_RANGE[1]:
        problems["lat"] = FieldProblem.OUT_OF_RANGE
    if not LON_RANGE[0] <= lon <= LON_RANGE[1]:
        problems["lon"] = FieldProblem.OUT_OF_RANGE
    return problems


_MOBILE = re.compile(r"1[3-9]\d{9}")
# Area code 010/02x (3 digits) or 0xxx (4 digits), then a 7- or 8-digit number, optional extension.
_LANDLINE = re.compile(r"0(?:10|2\d|[3-9]\d{2})\d{7,8}(?:[-#转]\d{1,6})?")
_SEPARATORS = re.compile(r"[\s\-()（）]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _strip_country(digits: str) -> str:
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            return digits[len(prefix):]
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def normalize_phone(raw: str) -> str:
    """Digits of a phone number without spaces, brackets, dashes or the +86 / 0086 prefix.

    An extension after a landline number (``转12``, ``#12``, ``ext 12`` or a last ``-12``) is
    kept as ``-12``.
    """
    text = raw.strip()
    if text.isascii() and text.isdigit():
        return _strip_country(text)
    ext = ""
    marked = re.search(r"\s*(?:#|转|ext\.?)\s*(\d{1,6})$", text, flags=re.IGNORECASE)
    if marked:
        ext, text = "-" + marked.group(1), text[: marked.start()]
    else:
        dashed = re.search(r"-(\d{1,6})$", text)
        head = _strip_country(_SEPARATORS.sub("", text[: dashed.start()])) if dashed else ""
        if dashed and head.startswith("0") and len(head) >= 10:
            ext, text = "-" + dashed.group(1), text[: dashed.start()]
    return _strip_country(_SEPARATORS.sub("", text)) + ext


def phone_problem(raw: str) -> FieldProblem | None:
    """None for a mainland mobile (11 digits, 1[3-9]...) or landline number with area code."""
    phone = normalize_phone(raw)
    if _MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone):
        return None
    return FieldProblem.PHONE_FORMAT


def id_number_problem(raw: str) -> FieldProblem | None:
    """None for a valid 18-character resident ID (GB 11643: birth date and check character)."""
    value = raw.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return FieldProblem.ID_FORMAT
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return FieldProblem.ID_BIRTH_DATE
    if born.year < 1900:
        return FieldProblem.ID_BIRTH_DATE
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        return FieldProblem.ID_CHECKSUM
    return None


def id_check_char(first17: str) -> str:
    """The check character of an ID number's first 17 digits."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


# finding the community -------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A community or grid with its GeoJSON outline, for locating an address or a point."""

    id: int
    name: str
    geometry: str
    parent_id: int | None = None


_SUFFIXES = ("社区居委会", "社区", "村委会", "村", "小区", "街道")


def _short_names(name: str) -> list[str]:
    names = [name]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            names.append(name[: -len(suffix)])
    return names


def area_from_address(address: str, areas: Iterable[Area]) -> Area | None:
    """The area whose name (or name without 社区/村) appears in the address; longest match wins."""
    best: tuple[int, Area] | None = None
    for area in areas:
        for name in _short_names(area.name):
            if name and name in address and (best is None or len(name) > best[0]):
                best = (len(name), area)
    return best[1] if best else None


def _rings(geometry: str) -> list[list[list[Sequence[float]]]]:
    """Polygons of a GeoJSON geometry as lists of rings (outer ring first)."""
    doc = json.loads(geometry)
    if doc.get("type") == "Feature":
        doc = doc["geometry"]
    if doc["type"] == "Polygon":
        return [doc["coordinates"]]
    if doc["type"] == "MultiPolygon":
        return list(doc["coordinates"])
    return []


def _points(ring: Sequence[Sequence[float]]) -> list[Point]:
    return [(float(p[0]), float(p[1])) for p in ring]


def point_in_geometry(lat: float, lon: float, geometry: str) -> bool:
    """Whether a WGS-84 point lies inside a GeoJSON (Multi)Polygon (holes respected)."""
    for polygon in _rings(geometry):
        if polygon and point_in_ring((lon, lat), _points(polygon[0])) and not any(
            point_in_ring((lon, lat), _points(hole)) for hole in polygon[1:]
        ):
            return True
    return False


def area_at(lat: float, lon: float, areas: Iterable[Area]) -> Area | None:
    """The first area whose outline contains the point."""
    for area in areas:
        if point_in_geometry(lat, lon, area.geometry):
            return area
    return None

"""Parsing the values of upstream feeds: text encodings, date-times, numbers.

Pure functions; each raises ``ValueError`` with a short English reason that the importer
attaches to the file, line and field.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone

#: The station's wall clock (feeds with an explicit UTC offset are converted to it).
STATION_UTC_OFFSET = timezone(timedelta(hours=8))
#: Day 0 of Excel's 1900 date system (serial 1 = 1900-01-01, with Lotus's 1900-02-29 bug).
EXCEL_EPOCH = datetime(1899, 12, 30)
#: Serials of 1990-01-01 .. 2100-01-01: numbers outside are not taken for Excel dates.
EXCEL_SERIAL_RANGE = (32874.0, 73051.0)

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
GB18030 = "gb18030"

_CJK = re.compile(
    r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"
    r"(?:\s*(?:上午|下午|晚上)?\s*(\d{1,2})\s*[时点:：]\s*(?:(\d{1,2})\s*分?)?"
    r"(?:\s*[:：]?\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?\s*$"
)
_NUMERIC = re.compile(
    r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d*)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?\s*$")
_SERIAL = re.compile(r"^\s*\d{5}(?:\.\d+)?\s*$")


def detect_encoding(sample: bytes, *, at_eof: bool) -> str:
    """The encoding of a feed from its first bytes: UTF-8 (BOM or not) or else GB18030.

    GB18030 is a superset of GBK and GB2312, so it reads all three. A sample cut in the middle
    of a UTF-8 character (``at_eof`` False) is still UTF-8. A UTF-8 text with a few damaged
    bytes stays UTF-8 (and fails loudly where it is damaged) rather than being misread as
    GB18030: GBK text read as UTF-8 has almost no valid multi-byte characters.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    text = codecs.getincrementaldecoder(UTF8)(errors="replace").decode(sample, final=at_eof)
    damaged = text.count("\ufffd")
    if not damaged:
        return UTF8
    wide = sum(1 for ch in text if ord(ch) > 0x7F) - damaged
    return UTF8 if wide >= 4 * damaged else GB18030


def normalize_encoding(name: str) -> str:
    """Profile spellings of an encoding to a Python codec name ('auto' stays 'auto')."""
    key = name.strip().lower().replace("_", "-")
    if key in ("", "auto"):
        return "auto"
    if key in ("gbk", "gb2312", "gb-2312", "gb18030", "cp936", "936"):
        return GB18030
    if key in ("utf8", "utf-8"):
        return UTF8
    if key in ("utf-8-sig", "utf8-sig", "utf-8-bom"):
        return UTF8_BOM
    try:
        return codecs.lookup(key).name
    except LookupError as exc:
        raise ValueError(f"unknown encoding {name!r}; use auto, utf-8, gbk or gb18030") from exc


def _build(y: str, mo: str, d: str, h: str | None, mi: str | None, s: str | None,
           us: str | None = None) -> datetime:
    return datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0),
                    int((us or "0").ljust(6, "0")))


def excel_serial(value: float) -> datetime:
    """An Excel 1900-system date serial (days since 1899-12-30) as a datetime, to the second."""
    if not EXCEL_SERIAL_RANGE[0] <= value <= EXCEL_SERIAL_RANGE[1]:
        raise ValueError(f"{value} is outside the Excel date serials of 1990-2100")
    return EXCEL_EPOCH + timedelta(seconds=round(value * 86400))


def parse_datetime(value: object, formats: Sequence[str] = ()) -> datetime:
    """A feed's date-time as naive station time.

    Tried in order: the profile's ``formats`` (``strftime`` patterns), ISO 8601 and
    ``2024-3-5 8:07`` / ``2024/3/5 8:07`` / ``2024.3.5`` (an explicit offset or ``Z`` is
    converted to UTC+8), ``2024年3月5日 08:07`` (also ``8时7分``, ``8点07分``), compact
    ``20240305080700`` / ``202403050807`` / ``20240305``, and Excel serials (``45356.3381``).
    """
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else _to_station(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return excel_serial(float(value))
    text = str(value).strip()
    if not text:
        raise ValueError("empty date-time")
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        if m := _NUMERIC.match(text):
            parsed = _build(*m.groups()[:7])
            zone = m.group(8)
            if zone:
                return _to_station(parsed.replace(tzinfo=_zone(zone)))
            return parsed
        if m := _CJK.match(text):
            hour = m.group(4)
            if hour is not None and ("下午" in text or "晚上" in text):
                hour = str(int(hour) % 12 + 12)
            return _build(m.group(1), m.group(2), m.group(3), hour, m.group(5), m.group(6))
        if m := _COMPACT.match(text):
            return _build(*m.groups())
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date-time ({exc})") from exc
    if _SERIAL.match(text):
        return excel_serial(float(text))
    raise ValueError(f"{text!r} is not a date-time this importer knows")


def _zone(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _to_station(value: datetime) -> datetime:
    return value.astimezone(STATION_UTC_OFFSET).replace(tzinfo=None)


def parse_float(value: object) -> float:
    """A number from a feed cell ('120.15', ' 120,15 ' is refused: commas are ambiguous)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{text!r} is not a finite number")
    return number


def cell_text(value: object) -> str:
    """A cell as text: None is empty, whole floats lose '.0' (Excel stores phone numbers so)."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()

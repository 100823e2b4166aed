"""A Chinese address normaliser: variants of one address get one key.

Callers, operators and upstream feeds write the same flat in many ways: full-width or half-width
digits, ``3栋`` or ``3幢`` or ``3号楼`` or ``3#``, ``二〇三室`` or ``203``, ``3-2-402``, with or
without ``浙江省杭州市西湖区``. ``address_key`` maps all of them to one canonical text, so that
"the same place" is a string comparison (and an SQL ``GROUP BY``). Both sides go through the
same function, so a rewrite only has to be consistent, not linguistically perfect.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL_RUN = re.compile(r"[〇零○一二三四五六七八九十百千]+")
#: "两" is a numeral only before a unit word; elsewhere it is part of a name.
_LIANG = re.compile(r"两(?=[百千号弄幢栋单元室层楼期区座])")

_PROVINCE = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,3}?省|[\u4e00-\u9fff]{2,7}?自治区|北京市|天津市|上海市|重庆市)")
#: A city or district prefix; the look-behind keeps "小区", "社区", "超市" and the like.
_CITY = re.compile(r"^[\u4e00-\u9fff]{2,4}?(?<![超菜夜集门城])市(?![场心民])")
_DISTRICT = re.compile(r"^[\u4e00-\u9fff]{1,4}?(?<![小社园景校厂街商营居院矿库港片住山])[区县](?![域])")
_SUBDISTRICT = re.compile(r"^[\u4e00-\u9fff]{2,5}?街道(?!口)")

#: Spelling variants of the unit words, applied after numerals became digits.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[號]"), "号"),
    (re.compile(r"衖"), "弄"),
    (re.compile(r"(\d+|[a-z])(?:号楼|#楼|#|栋|座|号幢|幢楼|楼栋|栋楼)"), r"\1幢"),
    (re.compile(r"(\d+)单(?!元)"), r"\1单元"),
    (re.compile(r"(\d+)(?:号房|房间|房|号室)"), r"\1室"),
    (re.compile(r"(\d+)[fF](?![a-z])"), r"\1层"),
    (re.compile(r"(\d+)楼(?!\d)"), r"\1层"),
    # 3-2-402 is building 3, entrance 2, room 402; 3-402 is building 3, room 402.
    (re.compile(r"(?<![\d-])(\d{1,3})-(\d{1,2})-(\d{2,5})(?![\d-])"), r"\1幢\2单元\3室"),
    (re.compile(r"(幢|号|弄)(\d{1,2})-(\d{2,5})(?![\d-])"), r"\1\2单元\3室"),
    (re.compile(r"(?<![\d-])(\d{1,3})-(\d{3,5})(?![\d-])"), r"\1幢\2室"),
    # A bare room number after the entrance is a room.
    (re.compile(r"(单元)(\d{2,5})$"), r"\1\2室"),
    # The floor is implied by the room number: "4层402室" and "402室" are one flat.
    (re.compile(r"\d+层(?=\d+室)"), ""),
)
#: Trailing words that point near the place rather than elsewhere.
_TRAILING = re.compile(r"(?:附近|门口|旁边|旁|处|这里|这边|楼下)+$")
_NOISE = re.compile(r"[\s,，.。;；:：'\"“”‘’()（）\[\]【】<>《》、·・_/\\|~!！?？]+")
_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=[1-9]\d*(?:号|弄|幢|单元|室|层))")
_PRECISE_END = re.compile(r"(?:\d+|[a-z])(?:号|弄|幢|单元|室|层)$")


def chinese_numeral(run: str) -> int:
    """The value of a run of Chinese numerals: positional (二百零三) or digit by digit (二〇三)."""
    if not any(c in _UNITS for c in run):
        return int("".join(str(_DIGITS[c]) for c in run))
    total = 0
    current = 0
    for c in run:
        if c in _DIGITS:
            current = _DIGITS[c]
        else:
            total += (current or 1) * _UNITS[c]
            current = 0
    return total + current


def _numerals_to_digits(text: str) -> str:
    text = _LIANG.sub("二", text)
    return _NUMERAL_RUN.sub(lambda m: str(chinese_numeral(m.group(0))), text)


def _strip_prefixes(text: str, prefixes: Iterable[str]) -> str:
    for prefix in sorted((p for p in prefixes if p), key=len, reverse=True):
        if text.startswith(prefix):
            text = text[len(prefix):]
    for pattern in (_PROVINCE, _CITY, _DISTRICT, _SUBDISTRICT):
        stripped = pattern.sub("", text, count=1)
        # Never strip down to nothing: "西湖区" alone stays what it is.
        if stripped:
            text = stripped
    return text


@dataclass(frozen=True)
class AddressKey:
    """The canonical form of an address and whether it names one door (not a whole compound)."""

    key: str
    precise: bool


def normalise_address(address: str, prefixes: Iterable[str] = ()) -> AddressKey:
    """The canonical key of ``address``; ``prefixes`` are extra leading names to drop."""
    text = unicodedata.normalize("NFKC", address).lower()
    text = _NOISE.sub("", text)
    text = text.replace("—", "-").replace("－", "-").replace("–", "-").replace("~", "-")
    text = _numerals_to_digits(text)
    text = _strip_prefixes(text, [unicodedata.normalize("NFKC", p).lower() for p in prefixes])
    text = _TRAILING.sub("", text)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    # "03室" and "3室" are one room.
    text = _LEADING_ZEROS.sub("", text)
    text = text.strip("-")
    return AddressKey(text, bool(_PRECISE_END.search(text)))


def address_key(address: str, prefixes: Iterable[str] = ()) -> str:
    """Just the canonical key of ``address`` (see ``normalise_address``)."""
    return normalise_address(address, prefixes).key


def same_address(a: str, b: str, prefixes: Iterable[str] = ()) -> bool:
    """True when two written addresses name the same place."""
    ka, kb = address_key(a, prefixes), address_key(b, prefixes)
    return bool(ka) and ka == kb

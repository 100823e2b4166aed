"""The Chinese address normaliser against a table of tricky pairs that must or must not match."""

from __future__ import annotations

import pytest

from station_console.domain.address import address_key, chinese_numeral, normalise_address, same_address

#: (a, b, must match) — variants the station really sees, and near misses that are other places.
PAIRS: list[tuple[str, str, bool]] = [
    # full-width and half-width
    ("杭州市西湖区文澜路２９５号", "杭州市西湖区文澜路295号", True),
    ("青枫路２５７号芳草一区５幢１单元１１０１室", "青枫路257号芳草一区5幢1单元1101室", True),
    ("文澜路295号 春晓小区", "文澜路295号春晓小区", True),
    ("ＡＢＣ广场Ｂ座12层", "abc广场b座12层", True),
    ("望月路77号（丹桂家园二期）", "望月路77号丹桂家园二期", True),
    # building spellings
    ("芳草一区5幢1单元1101室", "芳草一区5栋1单元1101室", True),
    ("芳草一区5号楼1单元1101室", "芳草一区5栋1单元1101室", True),
    ("芳草一区5#1单元1101室", "芳草一区5幢1单元1101室", True),
    ("芳草一区5#楼1单元1101室", "芳草一区5幢1单元1101室", True),
    ("金都苑11幢1单元703", "金都苑11幢1单元703室", True),
    ("金都苑11幢1单元703房", "金都苑11幢1单元703室", True),
    ("金都苑11幢1单703室", "金都苑11幢1单元703室", True),
    ("金都苑11幢1单元7层703室", "金都苑11幢1单元703室", True),
    ("金都苑11-1-703", "金都苑11幢1单元703室", True),
    ("金都苑11幢1-703", "金都苑11幢1单元703室", True),
    ("金都苑11—1—703", "金都苑11幢1单元703室", True),
    ("金都苑11幢0703室", "金都苑11幢703室", True),
    ("长乐路12弄3号", "长乐路12衖3号", True),
    ("长乐路12號", "长乐路12号", True),
    # Chinese and Arabic numerals
    ("丹桂家园二期2幢", "丹桂家园2期2幢", True),
    ("芳草一区五幢一单元一一〇一室", "芳草一区5幢1单元1101室", True),
    ("金都苑十一幢一单元七〇三室", "金都苑11幢1单元703室", True),
    ("梧桐街三百六十一号", "梧桐街361号", True),
    ("梧桐街二十号", "梧桐街20号", True),
    ("梧桐街十号", "梧桐街10号", True),
    ("桂溪路两百号", "桂溪路200号", True),
    # with or without province, city, district, sub-district
    ("浙江省杭州市西湖区文澜路295号", "文澜路295号", True),
    ("杭州市西湖区文澜路295号", "西湖区文澜路295号", True),
    ("杭州西湖区文澜路295号", "文澜路295号", True),
    ("西湖区北山街道文澜路295号", "文澜路295号", True),
    ("上海市徐汇区长乐路12弄3号", "长乐路12弄3号", True),
    # pointing words near the place
    ("春晓小区门口", "春晓小区", True),
    ("梧桐街30号附近", "梧桐街30号", True),
    # must NOT match: other doors, rooms, roads, compounds
    ("芳草一区5幢1单元1101室", "芳草一区5幢1单元1102室", False),
    ("芳草一区5幢1单元1101室", "芳草一区5幢2单元1101室", False),
    ("芳草一区5幢1单元1101室", "芳草一区6幢1单元1101室", False),
    ("芳草一区5幢1单元1101室", "芳草二区5幢1单元1101室", False),
    ("梧桐街30号", "梧桐街31号", False),
    ("梧桐街30号", "梧桐路30号", False),
    ("文澜路295号", "文兰路295号", False),
    ("丹桂家园二期2幢", "丹桂家园三期2幢", False),
    ("长乐路12弄3号", "长乐路12号", False),
    ("金都苑11幢1单元703室", "金都苑1幢1单元703室", False),
    ("金都苑11-1-703", "金都苑11-1-704", False),
    ("春晓小区", "春晓苑", False),
    ("春晓小区", "春晓小区对面", False),
    ("阳光小区3幢", "3幢", False),
    ("社区服务中心", "服务中心", False),
    ("超市旁5号", "5号", False),
    ("", "", False),
]


@pytest.mark.parametrize(("a", "b", "match"), PAIRS, ids=[f"{a}|{b}" for a, b, _ in PAIRS])
def test_pair(a: str, b: str, match: bool) -> None:
    assert same_address(a, b) is match, (address_key(a), address_key(b))


def test_table_is_big_enough() -> None:
    assert len(PAIRS) >= 40
    assert sum(m for _, _, m in PAIRS) >= 15 and sum(not m for _, _, m in PAIRS) >= 15


@pytest.mark.parametrize(("run", "value"), [
    ("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("一百零五", 105), ("三百六十一", 361),
    ("二〇三", 203), ("一一〇一", 1101), ("一千二百", 1200), ("九十九", 99),
])
def test_chinese_numeral(run: str, value: int) -> None:
    assert chinese_numeral(run) == value


def test_station_prefixes_are_dropped() -> None:
    assert address_key("钱塘新区白杨街道6号大街", prefixes=("钱塘新区",)) == address_key("6号大街")


@pytest.mark.parametrize(("address", "precise"), [
    ("芳草一区5幢1单元1101室", True),
    ("梧桐街30号", True),
    ("丹桂家园二期2幢", True),
    ("杭州市西湖区兰亭路47号荷塘菜市场", False),
    ("望月路77号丹桂家园二期", False),
    ("文澜路", False),
])
def test_precision(address: str, precise: bool) -> None:
    assert normalise_address(address).precise is precise

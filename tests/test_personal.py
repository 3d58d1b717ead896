"""The one-scan test for a whole table (personal.in_cells) finds exactly what the cell-by-cell test finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.records import personal
from generator.records.personal import contains, find, in_cells

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(body: str) -> str:
    """17 digits plus the ISO 7064 check character, computed here from the published algorithm."""
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


mobiles = st.builds(lambda a, b, c, sep, prefix: f"{prefix}1{a}{b:01d}{sep}{c[:4]}{sep}{c[4:]}",
                    st.sampled_from("3456789"), st.integers(0, 9),
                    st.text("0123456789", min_size=8, max_size=8),
                    st.sampled_from(["", "-", " ", "  ", " - ", "\u2014"]),
                    st.sampled_from(["", "+86", "86-", "+86 ", "0086 ", "0086-", "(+86)", "(0086) "]))
ids = st.builds(lambda first, rest: _id_number(first + rest), st.sampled_from("123456789"),
                st.text("0123456789", min_size=16, max_size=16))
emails = st.builds(lambda user, host: f"{user}@{host}.cn", st.text("abcxyz019._", min_size=1, max_size=8),
                   st.text("abcdefg", min_size=1, max_size=8))
harmless = st.sampled_from(["2025-03-01", "2023-01-09-zhiweihui", "12.00", "-3", "p0012345", "2025-Q1",
                            "学习贯彻党的二十大精神", "", "0000-0000", "1234 5678 90", "20250301", "电话见通讯录"])
cell = st.one_of(
    harmless, mobiles, ids, emails, st.text(max_size=30),
    st.builds(lambda text, inner: f"{text}{inner}{text}", st.text("会议联系 ", max_size=4), st.one_of(mobiles, ids)),
    st.builds(_fullwidth, st.one_of(mobiles, ids, emails)))


@settings(max_examples=500)  # cheap: a few hundred tables in about a second
@given(st.lists(st.lists(cell, min_size=1, max_size=6), max_size=6))
def test_one_scan_of_a_table_equals_the_scan_of_each_cell(rows):
    rows = [[c.replace("\x00", "") for c in row] for row in rows]  # the loader rejects NUL in records
    blob = "\x00\x00".join("\x00".join(row) for row in rows)
    assert in_cells(blob) == any(contains(c) for row in rows for c in row)


def test_each_kind_is_found_alone_in_a_table_of_short_cells():
    short = ["2025-03", "p0012345", "12.00", "12.00", "2025-03-15"]
    for value in ("13812345678", "+86 138-1234-5678", _id_number("11010519491231002"), "li.ming@example.cn",
                  _fullwidth("13812345678")):
        rows = [short, short[:2] + [value] + short[3:], short]
        assert in_cells("\x00\x00".join("\x00".join(r) for r in rows)), value
    assert not in_cells("\x00\x00".join("\x00".join(short) for _ in range(100)))


def test_a_mobile_or_id_number_set_apart_with_dots_slashes_or_underscores_is_found():
    # Issue 11 round 2: 138.0013.8000 in a topic passed the check and reached the branch page.
    mobiles = ("138.0013.8000", "138．0013．8000", "+86 138.0013.8000", "0086.138.0013.8000", "138/0013/8000",
               "138_0013_8000", "138·0013·8000", "联系 138 . 0013 . 8000 即可")
    for value in mobiles:
        assert [kind for kind, _ in find(value)] == ["mobile"], value
        assert in_cells(f"2025-03\x00{value}\x0012.00"), value
    assert [kind for kind, _ in find("110105.19491231.002X")] == ["id-number"]
    for ordinary in ("2023.01.16", "138.00", "12.5/13.5", "第138.2号", "2023_01_16", "1380.0138"):
        assert list(find(ordinary)) == [], ordinary


@pytest.mark.parametrize("commit", [
    "fa373992961c6ea415e14474751874cd7e68f54a",  # held 14474751874: the job summary masked its own commit id
    "0a13800138000b7c" + "0" * 24,
    "c" + "11010519491231002X".lower().replace("x", "0") + "d" * 21,
    "e" * 20 + "13912345678" + "f" * 33,  # a SHA-256 id
])
def test_a_full_commit_id_is_not_personal_data(commit):
    text = f"本次改动（自 `{commit}` 以来）"
    assert len(commit) in (40, 64)
    assert personal.screen(text) == text and not personal.contains(text)


@pytest.mark.parametrize("text", [
    "13812345678 fa373992961c6ea415e14474751874cd7e68f54a",  # beside a commit id: still masked
    "fa373992961c6ea415e14474751874cd7e68f54a13812345678",  # glued on: not a 40-character id any more
    "x13812345678abcdef0123456789abcdef0123456",  # 41 characters with a letter outside hex
])
def test_a_mobile_number_near_a_commit_id_is_still_masked(text):
    assert "138******78" in personal.screen(text)

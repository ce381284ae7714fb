from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ebconsole.reports import masking as m


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("6222021234567891234", "6222 **** **** 1234"),
        ("6222 0212 3456 7891", "6222 **** **** 7891"),
        ("6222-0212-3456-7891-234", "6222 **** **** 1234"),
        ("123456789012", "1234 **** **** 9012"),
        ("12345678", "**** 5678"),
        ("1234567", "*******"),
        ("12", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_account(value, expected):
    assert m.mask_account(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11010519491231002X", "110***********002X"),
        ("11010519491231002x", "110***********002X"),
        ("110105491231002", "110********1002"),
        ("123456789", "*********"),
        ("", ""),
    ],
)
def test_id_number(value, expected):
    assert m.mask_id_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("+86 138-1234-5678", "+86 138****5678"),
        ("008613812345678", "+86 138****5678"),
        ("010-62345678", "010****5678"),
        ("62345678", "****5678"),
        ("110", "***"),
    ],
)
def test_phone(value, expected):
    assert m.mask_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("张三", "张*"),
        ("王小明", "王*明"),
        ("欧阳娜娜", "欧**娜"),
        ("李", "*"),
        ("John Smith", "J*** S****"),
        ("", ""),
    ],
)
def test_name(value, expected):
    assert m.mask_name(value) == expected


def test_sensitive_renders_masked_unless_revealed():
    acct = m.account("6222021234567891234")
    assert str(acct) == "6222 **** **** 1234"
    assert acct.render() == "6222 **** **** 1234"
    assert acct.render(reveal=True) == "6222021234567891234"
    assert m.mask("phone", "13812345678") == "138****5678"


def test_free_text_is_scrubbed():
    text = (
        "客户张三称其卡号6222021234567891234被盗刷，身份证11010519491231002X，"
        "手机13812345678，另一张卡 6217 0000 1001 2345 678。"
    )
    out = m.mask_text(text)
    for secret in (
        "6222021234567891234",
        "11010519491231002X",
        "13812345678",
        "6217 0000 1001 2345 678",
        "02123456789",
    ):
        assert secret not in out
    assert "6222 **** **** 1234" in out
    assert "110***********002X" in out
    assert "138****5678" in out


def test_free_text_keeps_references_and_amounts():
    text = "报告 RPT-BJ01-20260501143000，事件 EB-BJ01-2026-0001，金额 12,345.67 元，时间 2026-05-01 14:30"
    assert m.mask_text(text) == text


@given(st.text())
def test_maskers_accept_anything(value):
    for fn in (m.mask_account, m.mask_id_number, m.mask_phone, m.mask_name, m.mask_text):
        assert isinstance(fn(value), str)


@given(st.from_regex(r"[0-9]{8,32}", fullmatch=True))
def test_account_shows_at_most_eight_digits(digits):
    shown = re.sub(r"\D", "", m.mask_account(digits))
    assert len(shown) <= 8
    assert shown.endswith(digits[-4:])


@given(st.from_regex(r"[0-9]{0,7}", fullmatch=True))
def test_short_values_are_fully_masked(digits):
    assert not re.search(r"\d", m.mask_account(digits))
    assert not re.search(r"\d", m.mask_phone(digits[:6]))
    assert not re.search(r"\d", m.mask_id_number(digits))


def test_full_width_digits_are_masked_too():
    text = "卡号６２２２０２１２３４５６７８９１２３４，电话１３８１２３４５６７８"
    out = m.mask_text(text)
    assert "6222 **** **** 1234" in out
    assert "138****5678" in out
    assert "３４５６７８９" not in out

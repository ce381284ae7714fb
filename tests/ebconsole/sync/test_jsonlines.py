"""Bundle lines parsed with orjson give exactly what json.loads gives, or are refused."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ebconsole.sync import jsonlines
from ebconsole.sync.jsonlines import long_number_lines, parse_lines

LONG_NUMBER = re.compile(rb"[0-9]{20}|-[0-9]{19}")  # the plain statement of the rule

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()  # beyond 64 bits too: those lines must go to json.loads
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=24),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(st.lists(values, max_size=12), st.booleans())
def test_lines_read_as_the_standard_library_reads_them(docs, ascii_only):
    lines = [(json.dumps(d, ensure_ascii=ascii_only) + "\n").encode() for d in docs]
    parsed = list(parse_lines(lines))
    assert parsed == [json.loads(line) for line in lines]
    assert [json.dumps(v) for v in parsed] == [json.dumps(v) for v in docs]  # ints stay ints


digit_heavy_lines = st.lists(
    st.text(alphabet='0123456789-a" ', max_size=50).map(lambda t: (t + "\n").encode()),
    max_size=12,
)


@given(digit_heavy_lines, st.integers(1, 5))
def test_the_long_number_check_finds_exactly_the_lines_the_rule_names(lines, group):
    expected = {i for i, line in enumerate(lines) if LONG_NUMBER.search(line)}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(jsonlines, "GROUP", group)
        assert long_number_lines(lines) == expected


def test_groups_are_checked_line_by_line_only_where_needed(monkeypatch):
    monkeypatch.setattr(jsonlines, "GROUP", 3)
    lines = [b'{"n": 1}\n'] * 7 + [
        b'{"n": 123456789012345678901}\n',
        b'{"n": -1234567890123456789}\n',
    ]
    assert long_number_lines(lines) == {7, 8}
    assert list(parse_lines(lines))[7:] == [
        {"n": 123456789012345678901},
        {"n": -1234567890123456789},
    ]


@pytest.mark.parametrize(
    "line", [b'{"x": NaN}\n', b'{"x": "\\ud800"}\n', b'{"x": 1e400}\n', b"{\n"]
)
def test_what_no_exporter_writes_is_a_value_error(line):
    with pytest.raises(ValueError):
        list(parse_lines([line]))
    # the same rule on a line that json.loads reads (it holds a 20-digit account number)
    with pytest.raises(ValueError):
        list(parse_lines([line.replace(b"{", b'{"account": "62220212345678901234", ', 1)]))

"""Hostile input for the intake format: whatever arrives, it ends in typed incidents or in
a clear, translated error (an EbError whose code names the problem) — never a crash, and
never a half-changed database.

Example counts are fixed here with @settings(max_examples=…) (printed with -s) so the
suite is reproducible in time; the random bytes differ on every run (hypothesis keeps
any failure it finds in .hypothesis/ and replays it first).
"""

from __future__ import annotations

import codecs
import json
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ebconsole.errors import EbError
from ebconsole.i18n import translator
from ebconsole.i18n.messages import MESSAGES
from ebconsole.incidents import service as incidents
from ebconsole.incidents.intake import MAX_BYTES, MAX_DEPTH, parse_intake_list, read_intake_file
from tests.ebconsole.fuzz.conftest import row_counts
from tests.ebconsole.incidents.samples import fraud_intake

ZH = translator("zh_CN")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")  # a template parameter left unfilled
BYTES_EXAMPLES = 300
OBJECT_EXAMPLES = 150
DATABASE_EXAMPLES = 50


def _assert_clear(err: EbError) -> None:
    """Every error names a registered problem and reads as a sentence in Chinese."""
    for e in err.errors:
        assert e.code in MESSAGES, e.code
    text = err.message(ZH)
    assert text and not PLACEHOLDER.search(text)


def import_intake(db, actor, source, encoding=None):  # type: ignore[no-untyped-def]
    """What `ebconsole incident add FILE` does: read, check, then one transaction."""
    items = parse_intake_list(read_intake_file(source, encoding=encoding))
    with db.session(actor) as s:
        return [i.reference for i in incidents.create_many(items, session=s)]


def _valid_bytes() -> bytes:
    return json.dumps([fraud_intake()], ensure_ascii=False).encode("utf-8")


@st.composite
def mangled_bytes(draw):  # type: ignore[no-untyped-def]
    """A valid intake file with random bytes replaced, inserted, deleted or cut off."""
    data = bytearray(_valid_bytes())
    for _ in range(draw(st.integers(1, 8))):
        pos = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["replace", "insert", "delete", "cut"]))
        chunk = draw(st.binary(min_size=1, max_size=8))
        if op == "replace":
            data[pos : pos + len(chunk)] = chunk
        elif op == "insert":
            data[pos:pos] = chunk
        elif op == "delete":
            del data[pos : pos + len(chunk)]
        else:
            del data[pos:]
    return bytes(data)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(
        ["2026-11-28T09:00", "customer_fraud", "4999.00", "CNY", "110105198503150027"]
    ),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)

TOP = list(fraud_intake())
FRAUD = list(fraud_intake()["fraud"])
TX = list(fraud_intake()["fraud"]["transactions"][0])


@st.composite
def mutated_intake(draw):  # type: ignore[no-untyped-def]
    """A realistic intake object with some fields replaced by any JSON value, dropped, or
    joined by unknown keys — at the top, in the fraud report and in a transaction."""
    obj = fraud_intake()
    targets = [(obj, TOP), (obj["fraud"], FRAUD), (obj["fraud"]["transactions"][0], TX)]
    for _ in range(draw(st.integers(1, 4))):
        where, keys = draw(st.sampled_from(targets))
        key = draw(st.sampled_from([*keys, "extra"]))
        if draw(st.booleans()):
            where.pop(key, None)
        else:
            where[key] = draw(json_values)
    return obj


@settings(max_examples=BYTES_EXAMPLES, deadline=None)
@given(st.one_of(st.binary(max_size=3000), mangled_bytes()))
def test_any_bytes_read_as_json_or_a_clear_error(data):
    try:
        value = read_intake_file(data)
    except EbError as err:
        _assert_clear(err)
        return
    assert isinstance(value, dict | list)
    try:
        parse_intake_list(value)
    except EbError as err:
        _assert_clear(err)


@settings(max_examples=OBJECT_EXAMPLES, deadline=None)
@given(st.one_of(json_values, mutated_intake(), st.lists(mutated_intake(), max_size=3)))
def test_any_json_value_parses_or_names_every_broken_rule(value):
    try:
        items = parse_intake_list(value)
    except EbError as err:
        _assert_clear(err)
        for e in err.errors:
            assert e.field is None or isinstance(e.field, str)
        return
    assert items and all(i.title for i in items)


@settings(
    max_examples=DATABASE_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.one_of(
        mutated_intake().map(lambda o: [o]), st.lists(mutated_intake(), min_size=2, max_size=3)
    )
)
def test_a_refused_import_leaves_every_table_unchanged(fuzz_db, items):
    db, world = fuzz_db
    before = row_counts(db)
    data = json.dumps(items, ensure_ascii=False).encode("utf-8")
    try:
        refs = import_intake(db, world.clerk, data)
    except EbError as err:
        _assert_clear(err)
        assert row_counts(db) == before
        return
    after = row_counts(db)
    assert after["incident"] == before["incident"] + len(refs) == before["incident"] + len(items)


def test_the_example_counts_are_stated():
    print(
        f"intake fuzz: bytes {BYTES_EXAMPLES}, JSON values {OBJECT_EXAMPLES}, "
        f"database round trips {DATABASE_EXAMPLES} examples"
    )
    assert min(BYTES_EXAMPLES, OBJECT_EXAMPLES, DATABASE_EXAMPLES) >= 50


# -- a table of hostile files ---------------------------------------------------------------
def _nested(depth: int) -> bytes:
    inner = "null"
    for _ in range(depth):
        inner = '{"a": ' + inner + "}"
    return (
        json.dumps(fraud_intake(), ensure_ascii=False)[:-1].encode()
        + b', "x": '
        + inner.encode()
        + b"}"
    )


def _gbk() -> bytes:
    return json.dumps(fraud_intake(), ensure_ascii=False).encode("gbk")


HOSTILE = [
    ("binary", lambda: b"\x89PNG\r\n\x1a\n" + os.urandom(4000), "file_binary"),
    ("binary without NUL", lambda: bytes(range(0x80, 0x100)) * 20, "file_binary"),
    ("empty", lambda: b"", "json_syntax"),
    ("truncated JSON", lambda: _valid_bytes()[: len(_valid_bytes()) // 2 - 3], "json_syntax"),
    ("truncated inside a character", lambda: '[{"title": "客户'.encode()[:-1], "file_truncated"),
    ("GBK", _gbk, "file_not_utf8"),
    (
        "UTF-16 with BOM",
        lambda: (
            codecs.BOM_UTF16_LE + json.dumps(fraud_intake(), ensure_ascii=False).encode("utf-16-le")
        ),
        "file_not_utf8",
    ),
    (
        "UTF-16 without BOM",
        lambda: json.dumps(fraud_intake(), ensure_ascii=False).encode("utf-16-le"),
        "file_not_utf8",
    ),
    ("nested deeper than the limit", lambda: _nested(MAX_DEPTH + 5), "json_too_deep"),
    ("nested 100 000 deep", lambda: b"[" * 100_000 + b"]" * 100_000, "json_too_deep"),
    ("NaN", lambda: b'{"title": NaN}', "json_syntax"),
    ("duplicate key", lambda: b'{"title": "a", "title": "b"}', "json_duplicate_key"),
    ("a bare string", lambda: b'"\xe5\xae\xa2\xe6\x88\xb7"', "json_not_object"),
    ("too many items", lambda: b"[" + b",".join([b"{}"] * 10_001) + b"]", "too_many"),
]


@pytest.mark.parametrize(("case", "make", "code"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_file_is_refused_clearly_and_changes_nothing(fuzz_db, tmp_path, case, make, code):
    db, world = fuzz_db
    path = tmp_path / "来自网点.json"
    path.write_bytes(make())
    before = row_counts(db)
    with pytest.raises(EbError) as err:
        import_intake(db, world.clerk, path)
    assert err.value.code == code, err.value
    _assert_clear(err.value)
    assert ZH(MESSAGES[code]) != MESSAGES[code]  # translated, not the English source
    assert row_counts(db) == before


def test_a_huge_file_is_refused_before_it_is_read(fuzz_db, tmp_path):
    db, world = fuzz_db
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:  # sparse: the size is what counts
        fh.truncate(MAX_BYTES + 1)
    before = row_counts(db)
    with open(path, "rb") as stream:
        for source in (path, stream):  # a path, and a stream such as stdin
            with pytest.raises(EbError) as err:
                import_intake(db, world.clerk, source)
            assert err.value.code == "file_too_large"
            assert "10 MB" in err.value.message(ZH)
    assert row_counts(db) == before


def test_gbk_is_read_when_the_encoding_is_given_and_a_wrong_one_is_refused(fuzz_db, tmp_path):
    db, world = fuzz_db
    path = tmp_path / "旧系统导出.json"
    path.write_bytes(_gbk())
    before = row_counts(db)
    with pytest.raises(EbError) as err:
        import_intake(db, world.clerk, path, encoding="utf-16")
    assert err.value.code == "file_decode"
    assert row_counts(db) == before
    refs = import_intake(db, world.clerk, path, encoding="gb18030")
    assert len(refs) == 1 and row_counts(db)["incident"] == before["incident"] + 1

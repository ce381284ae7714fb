"""Hostile `.ebx` bundles: random bytes, a real bundle with bytes flipped, cut or
inserted, and a correctly signed bundle whose changes are garbage. Every case ends in a
SyncError (an EbError naming the problem) and an unchanged database, or — when the bytes
that changed carry no meaning (zip padding, timestamps) — in a normal import.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ebconsole.errors import EbError
from ebconsole.i18n import translator
from ebconsole.i18n.messages import MESSAGES
from ebconsole.sync import bundle as bundles
from ebconsole.sync.bundle import export_bundle, import_bundle, read_bundle
from ebconsole.sync.keys import create_key
from ebconsole.sync.messages import SyncError
from tests.ebconsole.fuzz.conftest import row_counts
from tests.ebconsole.sync.conftest import ws_a, ws_b  # noqa: F401  (fixtures)

ZH = translator("zh_CN")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
RANDOM_EXAMPLES = 150
MANGLED_EXAMPLES = 100
SIGNED_EXAMPLES = 60
SLOW = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def _assert_clear(err: EbError) -> None:
    for e in err.errors:
        assert e.code in MESSAGES, e.code
    text = err.message(ZH)
    assert text and not PLACEHOLDER.search(text)


@pytest.fixture
def setting(ws_a, ws_b, tmp_path):  # noqa: F811
    """A real bundle from workstation A for workstation B, and the bank's key."""
    key = create_key(tmp_path / "keys" / "sync.key")
    ws_a.record_incident("网银登录超时（A站）")
    made = export_bundle(ws_a.db, tmp_path / "a-to-b.ebx", key=key, actor=ws_a.actor)
    return ws_b, key, made.path.read_bytes(), tmp_path


def _try_import(ws, key, path):  # type: ignore[no-untyped-def]
    before = row_counts(ws.db)
    try:
        import_bundle(ws.db, path, key=key, actor=ws.actor)
    except EbError as err:
        _assert_clear(err)
        assert row_counts(ws.db) == before, "a refused bundle changed the database"
        return False
    return True


@settings(max_examples=RANDOM_EXAMPLES, deadline=None, suppress_health_check=SLOW)
@given(
    st.one_of(st.binary(max_size=4000), st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b))
)
def test_random_bytes_are_refused(setting, data):
    ws, key, _good, tmp = setting
    path = tmp / "random.ebx"
    path.write_bytes(data)
    assert _try_import(ws, key, path) is False


@st.composite
def mangled(draw, good: bytes):  # type: ignore[no-untyped-def]
    data = bytearray(good)
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["flip", "insert", "delete", "cut"]))
        if op == "flip" and pos < len(data):
            data[pos] ^= draw(st.integers(1, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 64))]
        elif op == "cut":
            del data[pos:]
    return bytes(data)


def test_a_mangled_bundle_is_refused_or_harmless(setting):
    ws, key, good, tmp = setting

    @settings(max_examples=MANGLED_EXAMPLES, deadline=None, suppress_health_check=SLOW)
    @given(mangled(good))
    def check(data: bytes) -> None:
        path = tmp / "mangled.ebx"
        path.write_bytes(data)
        _try_import(ws, key, path)

    check()


def _signed_bundle(path, key, lines: list[bytes], count: int | None = None) -> None:  # type: ignore[no-untyped-def]
    payload = b"".join(lines)
    manifest = {
        "format": bundles.FORMAT,
        "version": bundles.VERSION,
        "origin": "FUZZ",
        "created": "2026-11-28T00:00:00+00:00",
        "peer": None,
        "since": None,
        "count": len(lines) if count is None else count,
        "range": {},
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
        "payload_size": len(payload),
    }
    raw = json.dumps(manifest, sort_keys=True).encode()
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(bundles.PAYLOAD, payload)
        zf.writestr(bundles.MANIFEST, raw)
        zf.writestr(bundles.SIGNATURE, bundles.sign(key, raw))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


def test_a_signed_bundle_with_garbage_changes_is_refused_whole(setting):
    """The key holder's bundle is trusted to be genuine, not to be well-formed: a change
    with wrong fields must fail the whole bundle cleanly, never half-apply it."""
    ws, key, _good, tmp = setting
    with zipfile.ZipFile(tmp / "a-to-b.ebx") as zf:
        real = [json.loads(line) for line in zf.read(bundles.PAYLOAD).splitlines()]

    @settings(max_examples=SIGNED_EXAMPLES, deadline=None, suppress_health_check=SLOW)
    @given(
        st.integers(0, len(real) - 1),
        st.sampled_from(sorted({k for c in real for k in c})),
        json_values,
        st.booleans(),
    )
    def check(index: int, field: str, value: object, drop: bool) -> None:
        changes = [dict(c) for c in real]
        if drop:
            changes[index].pop(field, None)
        else:
            changes[index][field] = value
        lines = [(json.dumps(c, ensure_ascii=False) + "\n").encode() for c in changes]
        path = tmp / "signed.ebx"
        _signed_bundle(path, key, lines)
        _try_import(ws, key, path)

    check()


@pytest.mark.parametrize("line", [b'{"x": NaN}\n', b'{"x": "\\ud800"}\n', b'{"x": 1e400}\n'])
def test_json_no_exporter_writes_is_refused_by_name(setting, line):
    ws, key, _good, tmp = setting
    path = tmp / "odd.ebx"
    _signed_bundle(path, key, [line])
    with pytest.raises(SyncError) as err:
        read_bundle(path, key=key)
    assert err.value.code == "bundle_unreadable"
    _assert_clear(err.value)
    assert _try_import(ws, key, path) is False


def test_the_bundle_example_counts_are_stated():
    print(
        f"bundle fuzz: random bytes {RANDOM_EXAMPLES}, mangled bundles {MANGLED_EXAMPLES}, "
        f"signed garbage {SIGNED_EXAMPLES} examples"
    )
    assert min(RANDOM_EXAMPLES, MANGLED_EXAMPLES, SIGNED_EXAMPLES) >= 50

"""USB bundles between two workstations with no hub, and every refusal."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from ebconsole.i18n import translator
from ebconsole.incidents import service as incidents
from ebconsole.sync import bundle as bundles
from ebconsole.sync.bundle import export_bundle, import_bundle, read_bundle
from ebconsole.sync.keys import create_key, load_key
from ebconsole.sync.messages import SyncError
from tests.ebconsole.sync.conftest import canonical, change_ids

ZH = translator("zh_CN")
EN = translator("en")


@pytest.fixture
def key(tmp_path) -> bytes:
    return create_key(tmp_path / "keys" / "sync.key")


def test_bundle_carries_every_change_and_importing_twice_changes_nothing(ws_a, ws_b, key, tmp_path):
    a1 = ws_a.record_incident("柜面系统宕机（A站）")
    ws_a.note(a1, "已启用应急柜台")
    b1 = ws_b.record_incident("自助设备批量离线（B站）")

    to_b = export_bundle(ws_a.db, tmp_path / "a-to-b.ebx", key=key, actor=ws_a.actor, peer="BJ01B")
    to_a = export_bundle(ws_b.db, tmp_path / "b-to-a.ebx", key=key, actor=ws_b.actor, peer="BJ01")
    assert to_b.count == len(ws_a.log()) and to_b.manifest["peer"] == "BJ01B"
    first = import_bundle(ws_b.db, to_b.path, key=key, actor=ws_b.actor)
    import_bundle(ws_a.db, to_a.path, key=key, actor=ws_a.actor)
    assert first.applied.applied > 0
    assert canonical(ws_a.db) == canonical(ws_b.db)
    assert change_ids(ws_a.db) == change_ids(ws_b.db)
    with ws_a.db.session(readonly=True) as s:
        assert incidents.get(b1, session=s).title == "自助设备批量离线（B站）"

    before = canonical(ws_b.db)
    again = import_bundle(ws_b.db, to_b.path, key=key, actor=ws_b.actor)
    assert again.applied.applied == 0 and again.applied.skipped == to_b.count
    assert canonical(ws_b.db) == before

    # the peer cursor: the next bundle for B holds only what is new since
    ws_a.edit(a1, description="网点已恢复营业")
    nxt = export_bundle(ws_a.db, tmp_path / "next.ebx", key=key, actor=ws_a.actor, peer="BJ01B")
    entities = {c["entity"] for c in read_bundle(nxt.path, key=key).changes}
    assert 0 < nxt.count < to_b.count and "incident" in entities
    import_bundle(ws_b.db, nxt.path, key=key, actor=ws_b.actor)
    with ws_b.db.session(readonly=True) as s:
        assert incidents.get(a1, session=s).description == "网点已恢复营业"


def _rewrite(
    src: Path, dst: Path, *, drop: str | None = None, replace: dict[str, bytes] | None = None
) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename == drop:
                continue
            data = (replace or {}).get(info.filename, zin.read(info))
            zout.writestr(info.filename, data)
    return dst


def _refused(db, path, key, actor, code):
    before = canonical(db)
    with pytest.raises(SyncError) as err:
        import_bundle(db, path, key=key, actor=actor)
    assert err.value.code == code
    assert canonical(db) == before  # nothing applied
    return err.value


def test_damaged_altered_unsigned_foreign_and_future_bundles_are_refused(
    ws_a, ws_b, key, tmp_path, monkeypatch
):
    ws_a.record_incident("网银证书过期")
    good = export_bundle(ws_a.db, tmp_path / "good.ebx", key=key, actor=ws_a.actor).path
    raw = good.read_bytes()
    with zipfile.ZipFile(good) as z:
        manifest = json.loads(z.read(bundles.MANIFEST))
        payload = z.read(bundles.PAYLOAD)

    truncated = tmp_path / "truncated.ebx"
    truncated.write_bytes(raw[: len(raw) // 2])
    err = _refused(ws_b.db, truncated, key, ws_b.actor, "bundle_unreadable")
    assert "truncated.ebx" in err.message(EN)

    # the title as the payload holds it (stored JSON text is copied as it is: escaped)
    title, forged_title = (json.dumps(t)[1:-1].encode() for t in ("网银证书过期", "网银证书正常"))
    assert title in payload
    altered = payload.replace(title, forged_title)
    tampered = _rewrite(good, tmp_path / "tampered.ebx", replace={bundles.PAYLOAD: altered})
    _refused(ws_b.db, tampered, key, ws_b.actor, "bundle_checksum")

    manifest_edit = json.dumps({**manifest, "count": 1}).encode()
    forged = _rewrite(good, tmp_path / "forged.ebx", replace={bundles.MANIFEST: manifest_edit})
    _refused(ws_b.db, forged, key, ws_b.actor, "bundle_bad_signature")

    unsigned = _rewrite(good, tmp_path / "unsigned.ebx", drop=bundles.SIGNATURE)
    err = _refused(ws_b.db, unsigned, key, ws_b.actor, "bundle_unsigned")
    assert "签名" in err.message(ZH)

    other_key = create_key(tmp_path / "other.key")
    _refused(ws_b.db, good, other_key, ws_b.actor, "bundle_bad_signature")

    future = json.dumps({**manifest, "version": 2}).encode()
    newer = _rewrite(
        good,
        tmp_path / "newer.ebx",
        replace={bundles.MANIFEST: future, bundles.SIGNATURE: bundles.sign(key, future).encode()},
    )
    err = _refused(ws_b.db, newer, key, ws_b.actor, "bundle_version")
    assert "2" in err.message(EN)

    not_zip = tmp_path / "notes.ebx"
    not_zip.write_text("这不是数据包", encoding="utf-8")
    _refused(ws_b.db, not_zip, key, ws_b.actor, "bundle_unreadable")

    # a payload that unpacks beyond the limit is refused before it is read in full
    monkeypatch.setattr(bundles, "MAX_PAYLOAD_BYTES", len(payload) // 2)
    _refused(ws_b.db, good, key, ws_b.actor, "bundle_too_large")
    monkeypatch.undo()

    # and the good bundle still imports
    import_bundle(ws_b.db, good, key=key, actor=ws_b.actor)
    assert canonical(ws_b.db)["incident"] == canonical(ws_a.db)["incident"]


def test_the_deployment_key_is_created_once_and_checked(tmp_path):
    path = tmp_path / "data" / "sync.key"
    with pytest.raises(SyncError) as err:
        load_key(path)
    assert err.value.code == "key_missing"
    key = load_key(path, create=True)
    assert load_key(path) == key and len(key) == 32
    assert path.stat().st_mode & 0o777 == 0o600
    path.write_text("not a key", encoding="ascii")
    with pytest.raises(SyncError) as err:
        load_key(path)
    assert err.value.code == "key_invalid"

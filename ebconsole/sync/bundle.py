"""USB bundles (`.ebx`): change-log rows in a signed, checksummed zip.

    manifest.json   {"format": "ebconsole-bundle", "version": 1, "origin", "created",
                     "peer", "since", "count", "range": {...}, "payload_sha256", "payload_size"}
    changes.jsonl   one change per line (see `apply.change_dict`)
    signature       hex HMAC-SHA256 of manifest.json's bytes with the deployment key

The manifest carries the payload's sha256, so the signature covers everything. Import
checks, in this order: the file is a readable zip within the size limits, the parts are
there, the format version, the signature, the checksum, the count; then it applies every
change in one transaction, or none. Importing a bundle twice changes nothing (a change
id applies once).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Select, Text, func, select, type_coerce

from ebconsole.actor import Actor
from ebconsole.db.session import Database
from ebconsole.gc_pause import collector_resting
from ebconsole.sync import state as sync_state
from ebconsole.sync import storage
from ebconsole.sync.apply import ApplyResult, apply_changes, big_cache
from ebconsole.sync.baseline import ensure_baseline
from ebconsole.sync.hlc import floor_of
from ebconsole.sync.jsonlines import parse_lines
from ebconsole.sync.messages import SyncError
from ebconsole.sync.models import ChangeLog
from ebconsole.sync.recorder import local_origin
from ebconsole.timeutil import utcnow

FORMAT = "ebconsole-bundle"
VERSION = 1
SUFFIX = ".ebx"
MANIFEST = "manifest.json"
PAYLOAD = "changes.jsonl"
SIGNATURE = "signature"
MAX_BUNDLE_BYTES = 1 << 30  # 1 GiB on disk
MAX_PAYLOAD_BYTES = 4 << 30  # 4 GiB of changes once unpacked (zip-bomb guard)
MAX_MANIFEST_BYTES = 1 << 20
MAX_LINE_BYTES = 64 << 20
EXPORT_CHUNK = 2000  # changes read, written and reported at a time

# progress(done, total): changes written or applied so far, of `total`
Progress = Callable[[int, int], None]


@dataclass
class ExportResult:
    path: Path
    count: int
    manifest: dict[str, Any]


@dataclass
class Bundle:
    manifest: dict[str, Any]
    changes: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ImportResult:
    manifest: dict[str, Any]
    applied: ApplyResult


def sign(key: bytes, manifest_bytes: bytes) -> str:
    return hmac.new(key, manifest_bytes, hashlib.sha256).hexdigest()


def _where(cursor: int, since: datetime | None) -> list[Any]:
    cond = [ChangeLog.local_seq > cursor]
    if since is not None:
        cond.append(ChangeLog.stamp >= floor_of(since))
    return cond


def _count(cursor: int, since: datetime | None) -> Select[Any]:
    return select(func.count()).select_from(ChangeLog).where(*_where(cursor, since))


def _rows(cursor: int, since: datetime | None, *, raw_state: bool) -> Select[Any]:
    """The changes to write, oldest first; on SQLite the state as its stored JSON text
    (written into the bundle as it is, not parsed and dumped again)."""
    state = type_coerce(ChangeLog.state, Text).label("state") if raw_state else ChangeLog.state
    # (on SQLite the id as stored too: its text is made here, without a UUID object)
    change_id = (
        type_coerce(ChangeLog.change_id, Text).label("change_id")
        if raw_state
        else ChangeLog.change_id
    )
    return (
        select(  # (`_line` and `export_bundle` read these by position)
            change_id,
            ChangeLog.local_seq,
            ChangeLog.entity,
            ChangeLog.record_id,
            ChangeLog.op,
            ChangeLog.base_stamp,
            ChangeLog.stamp,
            ChangeLog.origin,
            ChangeLog.actor,
            state,
        )
        .where(*_where(cursor, since))
        .order_by(ChangeLog.local_seq)
    )


_dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


_text = json.encoder.encode_basestring  # a JSON string, as `_dumps` writes one


def _line(row: Any, raw_id: bool = False) -> bytes:
    """One change (a row of `_rows`) as a line of the payload: a JSON object with sorted
    keys ("state" sorts last, so the stored state text is appended as it is). `raw_id`:
    the change id is SQLite's stored form."""
    change_id, _seq, entity, record_id, op, base_stamp, stamp, origin, actor, state = row
    raw = state if isinstance(state, str) else _dumps(state)
    cid = storage.uuid_text(change_id) if raw_id else str(change_id)
    if (  # the columns hold text (always): written here, as `_dumps` would
        type(actor) is str
        and type(base_stamp) is str
        and type(entity) is str
        and type(op) is str
        and type(origin) is str
        and type(record_id) is str
        and type(stamp) is str
    ):
        actor, base_stamp, entity, op = _text(actor), _text(base_stamp), _text(entity), _text(op)
        origin, record_id, stamp = _text(origin), _text(record_id), _text(stamp)
        return (
            f'{{"actor":{actor},"base_stamp":{base_stamp},"change_id":"{cid}",'
            f'"entity":{entity},"hub_seq":null,"op":{op},"origin":{origin},'
            f'"record_id":{record_id},"stamp":{stamp},"state":{raw or "null"}}}\n'
        ).encode()
    head = _dumps(
        {
            "actor": actor,
            "base_stamp": base_stamp,
            "change_id": cid,
            "entity": entity,
            "hub_seq": None,  # the hub's numbering means nothing elsewhere
            "op": op,
            "origin": origin,
            "record_id": record_id,
            "stamp": stamp,
        }
    )
    return (head[:-1] + ',"state":' + (raw or "null") + "}\n").encode("utf-8")


def export_bundle(
    db: Database,
    out: Path | str,
    *,
    key: bytes,
    actor: Actor,
    peer: str | None = None,
    since: datetime | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the changes `peer` has not been sent yet (all, without a peer), optionally
    only those stamped since `since`. With a peer, its cursor advances in the same
    transaction, once the file is completely written. `progress(done, total)` is called
    as changes are written (from the calling thread)."""
    from ebconsole.users.permissions import Permission, require

    require(actor, Permission.SYNC)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with collector_resting(), db.session(actor) as s, big_cache(s.connection()):
        conn = s.connection()
        ensure_baseline(session=s)
        cursor = sync_state.get_int(conn, sync_state.peer_cursor_key(peer)) if peer else 0
        origin = local_origin(s)
        fd, tmp_name = tempfile.mkstemp(prefix=".ebx-", suffix=".tmp", dir=out.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            digest = hashlib.sha256()
            size = count = 0
            first_seq = last_seq = None
            first_stamp = last_stamp = None
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
                with zf.open(PAYLOAD, "w", force_zip64=True) as payload:
                    total = conn.execute(_count(cursor, since)).scalar_one() if progress else 0
                    if progress is not None:
                        progress(0, total)
                    raw_state = conn.dialect.name == "sqlite"
                    result = conn.execution_options(yield_per=EXPORT_CHUNK).execute(
                        _rows(cursor, since, raw_state=raw_state)
                    )
                    for part in result.partitions():
                        if not part:
                            continue
                        chunk = [_line(row, raw_state) for row in part]
                        # (rows in local_seq order; the stamps in any order)
                        if first_seq is None:
                            first_seq = part[0][1]
                        last_seq = part[-1][1]
                        stamps = [row[6] for row in part]
                        low, high = min(stamps), max(stamps)
                        if first_stamp is None or low < first_stamp:
                            first_stamp = low
                        if last_stamp is None or high > last_stamp:
                            last_stamp = high
                        data = b"".join(chunk)
                        payload.write(data)
                        digest.update(data)
                        size += len(data)
                        count += len(chunk)
                        if progress is not None:
                            progress(count, max(total, count))
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "origin": origin,
                    "created": utcnow().isoformat(),
                    "peer": peer,
                    "since": since.isoformat() if since else None,
                    "count": count,
                    "range": {
                        "first_seq": first_seq,
                        "last_seq": last_seq,
                        "first_stamp": first_stamp,
                        "last_stamp": last_stamp,
                    },
                    "payload_sha256": digest.hexdigest(),
                    "payload_size": size,
                }
                manifest_bytes = json.dumps(
                    manifest, ensure_ascii=False, sort_keys=True, indent=1
                ).encode("utf-8")
                zf.writestr(MANIFEST, manifest_bytes)
                zf.writestr(SIGNATURE, sign(key, manifest_bytes))
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            os.replace(tmp, out)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        if peer and last_seq is not None:
            sync_state.put(conn, sync_state.peer_cursor_key(peer), str(last_seq))
    return ExportResult(out, count, manifest)


def _read_limited(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise SyncError.one("bundle_too_large", "bundle", max_mb=limit >> 20)
    with zf.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise SyncError.one("bundle_too_large", "bundle", max_mb=limit >> 20)
    return data


READ_CHUNK = 1 << 20  # payload bytes unpacked at a time


def _lines(f: IO[bytes], limit: int) -> Iterator[bytes]:
    """The payload's lines, read a large chunk at a time and split here, refused as soon
    as they pass `limit` bytes in all or a line passes MAX_LINE_BYTES: the same lines and
    the same refusals as reading it with `readline(MAX_LINE_BYTES + 1)`."""
    total = 0
    begun: list[bytes] = []  # the pieces of a line begun in earlier chunks
    begun_size = 0

    def checked(line: bytes) -> bytes:
        nonlocal total
        # (readline stops after MAX_LINE_BYTES + 1 bytes of a longer line)
        total += min(len(line), MAX_LINE_BYTES + 1)
        if total > limit or len(line) > MAX_LINE_BYTES:
            raise SyncError.one("bundle_too_large", "bundle", max_mb=limit >> 20)
        return line

    while True:
        chunk = f.read(READ_CHUNK)
        if not chunk:  # the end: a line begun is the last one (no newline)
            if begun:
                yield checked(b"".join(begun))
            return
        start = 0
        if begun:
            end = chunk.find(b"\n") + 1
            if not end:
                begun.append(chunk)
                begun_size += len(chunk)
                if begun_size > MAX_LINE_BYTES:
                    raise SyncError.one("bundle_too_large", "bundle", max_mb=limit >> 20)
                continue
            begun.append(chunk[:end])
            line = b"".join(begun)
            begun, begun_size = [], 0
            yield checked(line)
            start = end
        find = chunk.find
        while True:
            end = find(b"\n", start) + 1
            if not end:
                break
            yield checked(chunk[start:end])
            start = end
        if start < len(chunk):
            begun, begun_size = [chunk[start:]], len(chunk) - start
            if begun_size > MAX_LINE_BYTES:
                raise SyncError.one("bundle_too_large", "bundle", max_mb=limit >> 20)


def read_bundle(path: Path | str, *, key: bytes) -> Bundle:
    """Open and verify a bundle; raise SyncError naming the problem."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BUNDLE_BYTES:
            raise SyncError.one("bundle_too_large", "bundle", max_mb=MAX_BUNDLE_BYTES >> 20)
        zf = zipfile.ZipFile(path)
    except SyncError:
        raise
    except Exception as exc:  # hostile bytes can break zipfile in many ways: all are "unreadable"
        raise SyncError.one(
            "bundle_unreadable", "bundle", path=str(path), detail=str(exc)
        ) from None
    try:
        with zf:
            names = {i.filename: i for i in zf.infolist()}
            for part in (MANIFEST, PAYLOAD):
                if part not in names:
                    raise SyncError.one("bundle_missing_part", "bundle", part=part)
            manifest_bytes = _read_limited(zf, names[MANIFEST], MAX_MANIFEST_BYTES)
            try:
                manifest = json.loads(manifest_bytes)
                if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                    raise ValueError("not an ebconsole manifest")
            except ValueError as exc:
                raise SyncError.one(
                    "bundle_unreadable", "bundle", path=str(path), detail=str(exc)[:120]
                ) from None
            if manifest.get("version") != VERSION:
                raise SyncError.one(
                    "bundle_version", "bundle", found=manifest.get("version"), expected=VERSION
                )
            if SIGNATURE not in names:
                raise SyncError.one("bundle_unsigned", "bundle")
            signature = _read_limited(zf, names[SIGNATURE], 1024).decode("ascii", "replace")
            if not hmac.compare_digest(signature.strip(), sign(key, manifest_bytes)):
                raise SyncError.one("bundle_bad_signature", "bundle")
            info = names[PAYLOAD]
            if info.file_size > MAX_PAYLOAD_BYTES:
                raise SyncError.one("bundle_too_large", "bundle", max_mb=MAX_PAYLOAD_BYTES >> 20)
            digest = hashlib.sha256()
            raw_lines: list[bytes] = []
            declared = int(manifest.get("payload_size") or 0)
            size = 0
            with zf.open(info) as f:
                for line in _lines(f, MAX_PAYLOAD_BYTES):
                    size += len(line)
                    if size > declared:  # more than the signed manifest announced
                        raise SyncError.one("bundle_checksum", "bundle")
                    digest.update(line)
                    raw_lines.append(line)
            if not hmac.compare_digest(digest.hexdigest(), str(manifest.get("payload_sha256"))):
                raise SyncError.one("bundle_checksum", "bundle")
    except SyncError:
        raise
    except Exception as exc:  # zipfile, zlib, bad names or methods: all are "unreadable"
        raise SyncError.one(
            "bundle_unreadable", "bundle", path=str(path), detail=str(exc)
        ) from None
    try:
        changes: list[dict[str, Any]] = list(parse_lines(raw_lines))
    except (ValueError, RecursionError) as exc:  # json.loads: ~1 000 levels of nesting
        raise SyncError.one(
            "bundle_unreadable", "bundle", path=str(path), detail=str(exc)[:120]
        ) from None
    if len(changes) != manifest.get("count"):
        raise SyncError.one(
            "bundle_count", "bundle", expected=manifest.get("count"), found=len(changes)
        )
    return Bundle(manifest, changes)


def import_bundle(
    db: Database,
    path: Path | str,
    *,
    key: bytes,
    actor: Actor,
    progress: Progress | None = None,
) -> ImportResult:
    """Verify a bundle, then apply all its changes in one transaction (or none).
    `progress(done, total)` is called as changes are applied (from the calling thread)."""
    from ebconsole.users.permissions import Permission, require

    require(actor, Permission.SYNC)
    with collector_resting():
        bundle = read_bundle(path, key=key)
        if progress is not None:
            progress(0, len(bundle.changes))
        with db.session(actor) as s:
            result = apply_changes(s, bundle.changes, progress=progress)
    return ImportResult(bundle.manifest, result)

"""The hash chain of the audit trail: canonical form and hash of one audit row.

Every audit row belongs to the chain of its origin (site code + "/" + workstation) and
carries its position there (`seq`: 1, 2, 3 ...), the hash of the row before it
(`prev_hash`; the first row points at GENESIS) and its own `hash`: sha256 over the
canonical JSON of its content plus `prev_hash`. Editing, deleting or reordering rows
breaks the chain. The recorder, the verifier, the migration that chains old rows and any
importer of replicated rows all use `row_hash`, so they cannot disagree.

Changing the canonical form invalidates every chain already written: don't.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64

# The content fields, in no particular order (the JSON has sorted keys).
CONTENT_FIELDS = (
    "id",
    "at",
    "actor_user_id",
    "actor_name",
    "actor_role",
    "site_code",
    "workstation",
    "entity",
    "entity_id",
    "action",
    "before",
    "after",
    "note",
    "origin",
    "seq",
)


def origin_of(site_code: str, workstation: str) -> str:
    """The chain key: one chain per site and workstation."""
    return f"{site_code}/{workstation}"


def short(digest: str) -> str:
    """The first 12 hex digits: enough to compare a printed head with the database."""
    return digest[:12]


def _time(value: datetime) -> str:
    if value.tzinfo is None:  # SQLite hands back naive UTC when read without UTCDateTime
        value = value.replace(tzinfo=UTC)
    # Fixed width with microseconds: isoformat() drops ".000000", which would make the
    # text depend on the value.
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _uuid(value: Any) -> str | None:
    if value is None:
        return None
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))


def canonical(row: Mapping[str, Any], prev_hash: str) -> bytes:
    """Canonical JSON (sorted keys, no whitespace, UTF-8, UTC times) of a row's content."""
    doc = {f: row[f] for f in CONTENT_FIELDS}
    doc["id"] = _uuid(doc["id"])
    doc["actor_user_id"] = _uuid(doc["actor_user_id"])
    doc["at"] = _time(doc["at"])
    doc["seq"] = int(doc["seq"])
    doc["prev_hash"] = prev_hash
    return json.dumps(
        doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def row_hash(row: Mapping[str, Any], prev_hash: str) -> str:
    """sha256 (hex) of the row's canonical form: the value stored in `hash`."""
    return hashlib.sha256(canonical(row, prev_hash)).hexdigest()

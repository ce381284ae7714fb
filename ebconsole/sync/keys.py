"""The deployment key that signs bundles (HMAC-SHA256).

Every workstation of one bank holds the same key file: the first `ebconsole init` (or
the first export/import) on a workstation writes a new random key to `sync.key` in the
data folder; copy that file to the bank's other workstations (by hand, once, like a
certificate) or point them at it with the setting `sync/key_file` or `--key-file`. A
bundle signed with another key is refused.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from ebconsole.paths import user_data_dir
from ebconsole.sync.messages import SyncError

KEY_FILENAME = "sync.key"
KEY_ENV = "EBCONSOLE_SYNC_KEY_FILE"


def default_key_path() -> Path:
    env = os.environ.get(KEY_ENV)
    return Path(env) if env else user_data_dir() / KEY_FILENAME


def create_key(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex() + "\n")
    return key


def load_key(path: Path | str | None = None, *, create: bool = False) -> bytes:
    """The deployment key; `create`: write a new one when the file does not exist yet."""
    p = Path(path) if path else default_key_path()
    if not p.exists():
        if create:
            try:
                return create_key(p)
            except FileExistsError:
                pass
        else:
            raise SyncError.one("key_missing", "key_file", path=str(p))
    try:
        text = p.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, UnicodeDecodeError, ValueError):
        raise SyncError.one("key_invalid", "key_file", path=str(p)) from None
    if len(key) != 32:
        raise SyncError.one("key_invalid", "key_file", path=str(p))
    return key

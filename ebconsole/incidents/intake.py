"""The intake format: reading a JSON file (or stdin) and turning it into checked incidents.

    data = read_intake_file("reports.json")        # bytes → JSON, or a clear error
    items = parse_intake_list(data)                  # every broken rule, or typed incidents
    with db.session(actor) as s:
        service.create_many(items, session=s)        # all or nothing

The format is documented in docs/intake-format.md and resources/schemas/intake.schema.json.
"""

from __future__ import annotations

import codecs
import json
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from ebconsole.errors import FieldError, ValidationFailed
from ebconsole.incidents.rules import SubtypeIndex, check_incident
from ebconsole.incidents.schemas import IncidentCreate
from ebconsole.timeutil import utcnow
from ebconsole.validation import has_control_characters

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 20
MAX_ITEMS = 10_000
FILE = "file"


# -- reading -------------------------------------------------------------------------------
def read_intake_file(
    source: str | PathLike[str] | bytes | IO[bytes], *, encoding: str | None = None
) -> Any:
    """Read an intake file (a path, the bytes of stdin, or a binary stream) into JSON data.

    The file must be UTF-8 (a BOM is ignored). A GB18030/GBK file is refused with
    `file_not_utf8` unless the caller passes `encoding="gb18030"`.
    """
    data = _read_bytes(source)
    text = _decode(data, encoding)
    value = _parse_json(text)
    if not isinstance(value, dict | list):
        raise ValidationFailed.one("json_not_object", FILE)
    return value


def _read_bytes(source: str | PathLike[str] | bytes | IO[bytes]) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif isinstance(source, str | PathLike):
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise ValidationFailed.one("file_too_large", FILE, max_mb=MAX_BYTES // 2**20)
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise ValidationFailed.one("file_not_found", FILE, path=str(source)) from None
    else:
        data = source.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationFailed.one("file_too_large", FILE, max_mb=MAX_BYTES // 2**20)
    return data


def _decode(data: bytes, encoding: str | None) -> str:
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValidationFailed.one(
                "invalid_choice", "encoding", value=encoding[:40], allowed="utf-8, gb18030"
            ) from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise ValidationFailed.one("file_decode", FILE, encoding=encoding) from None
        return text.removeprefix("\ufeff")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValidationFailed.one("file_not_utf8", FILE, encoding="UTF-16")
    if b"\x00" in data:
        if _looks_utf16(data):  # UTF-16 saved without a byte-order mark
            raise ValidationFailed.one("file_not_utf8", FILE, encoding="UTF-16")
        raise ValidationFailed.one("file_binary", FILE)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data" and err.end == len(data):
            # valid UTF-8 up to a character cut in half: the file was cut short
            raise ValidationFailed.one("file_truncated", FILE) from None
    # Not UTF-8. Text saved by Chinese Windows tools is GBK/GB18030: name it so the user
    # knows what to do; anything else is binary.
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise ValidationFailed.one("file_binary", FILE) from None
    if has_control_characters(text, multiline=True) or not any(
        "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
        for ch in text
    ):
        raise ValidationFailed.one("file_binary", FILE)
    raise ValidationFailed.one("file_not_utf8", FILE, encoding="GB18030")


def _looks_utf16(data: bytes) -> bool:
    """JSON text in UTF-16 without a BOM: it decodes, starts with `{` or `[`, is at least
    one fifth ASCII (JSON's punctuation and keys) and has no control or unassigned
    character. Binary data fails this almost at once."""
    if len(data) % 2:
        return False
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if (
            text.lstrip(" \t\r\n")[:1] in ("{", "[")
            and sum(ch < "\x80" for ch in text) * 5 >= len(text)
            and not has_control_characters(text, multiline=True)
            and not any(unicodedata.category(ch) == "Cn" for ch in text)
        ):
            return True
    return False


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are not JSON
    raise json.JSONDecodeError(f"{name} is not allowed", name, 0)


def _parse_json(text: str) -> Any:
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except _DuplicateKey as err:
        raise ValidationFailed.one("json_duplicate_key", FILE, key=err.key[:40]) from None
    except json.JSONDecodeError as err:
        line, column = err.lineno, err.colno
        if err.doc != text:  # raised by _refuse_constant: locate the constant in the text
            pos = text.find(err.doc)
            line = text.count("\n", 0, pos) + 1
            column = pos - text.rfind("\n", 0, pos)
        raise ValidationFailed.one(
            "json_syntax", FILE, detail=err.msg, line=line, column=column
        ) from None
    except RecursionError:
        raise ValidationFailed.one("json_too_deep", FILE, max=MAX_DEPTH) from None
    if _depth(value) > MAX_DEPTH:
        raise ValidationFailed.one("json_too_deep", FILE, max=MAX_DEPTH)
    return value


def _depth(value: Any) -> int:
    """Nesting depth of objects and lists (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        stack.extend((child, level + 1) for child in children)
    return deepest


# -- checking --------------------------------------------------------------------------------
def _subtypes(session: Session | None) -> SubtypeIndex | None:
    if session is None:
        return None
    from ebconsole.incidents.service import subtype_index

    return subtype_index(session=session)


def parse_intake(
    obj: Any, *, session: Session | None = None, now: datetime | None = None
) -> IncidentCreate:
    """One intake object → a checked `IncidentCreate`, or ValidationFailed with every
    broken rule. With a session the subtype is checked against the IncidentSubtype
    table too (the service always checks it when the incident is created)."""
    result, errors = check_incident(obj, now=now or utcnow(), subtypes=_subtypes(session))
    if errors or result is None:
        raise ValidationFailed(errors or [FieldError("json_not_object", None)])
    return result


def parse_intake_list(
    obj: Any, *, session: Session | None = None, now: datetime | None = None
) -> list[IncidentCreate]:
    """One object or a list of them. A list is all or nothing: the errors of every bad
    item are reported, each path starting with the item's index (`[2].title`)."""
    now = now or utcnow()
    subtypes = _subtypes(session)
    if isinstance(obj, Mapping):
        result, errors = check_incident(obj, now=now, subtypes=subtypes)
        if errors or result is None:
            raise ValidationFailed(errors)
        return [result]
    if not isinstance(obj, list):
        raise ValidationFailed.one("json_not_object", FILE)
    if not obj:
        raise ValidationFailed.one("empty_list", FILE)
    if len(obj) > MAX_ITEMS:
        raise ValidationFailed.one("too_many", FILE, max=MAX_ITEMS)
    items: list[IncidentCreate] = []
    failures: list[FieldError] = []
    for i, raw in enumerate(obj):
        result, errors = check_incident(raw, now=now, subtypes=subtypes, prefix=f"[{i}].")
        failures.extend(errors)
        if result is not None:
            items.append(result)
    if failures:
        raise ValidationFailed(failures)
    return items

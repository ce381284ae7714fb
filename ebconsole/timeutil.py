"""Time handling: everything is stored in UTC; people see the workstation's zone."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"
_zone: tzinfo = ZoneInfo(DEFAULT_ZONE)


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_zone() -> tzinfo:
    return _zone


def set_local_zone(name: str) -> None:
    global _zone
    _zone = ZoneInfo(name)


def as_utc(value: datetime, zone: tzinfo | None = None) -> datetime:
    """An aware UTC datetime; a naive value is read in `zone` (the workstation's by default)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone or _zone)
    return value.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    return as_utc(value).astimezone(_zone)


def format_local(value: datetime | None, seconds: bool = False) -> str:
    if value is None:
        return ""
    return to_local(value).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")

"""Declarative base, naming convention and the mixins every record uses."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Enum, Integer, MetaData, Numeric, String, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from ebconsole.db.types import UTCDateTime
from ebconsole.timeutil import utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> uuid.UUID:
    """Primary keys are made by the core so records born offline never collide."""
    return uuid.uuid4()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        uuid.UUID: Uuid(),
        Decimal: Numeric(18, 2),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
        # Enums are stored as their string values, with no database enum type, so a
        # new member needs no schema change.
        enum.Enum: Enum(
            enum.Enum,
            native_enum=False,
            length=40,
            values_callable=lambda e: [m.value for m in e],
            validate_strings=True,
        ),
    }


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VersionMixin:
    """Optimistic locking: an UPDATE that finds another version raises StaleDataError."""

    version: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__dict__.get("version", cls.version)}


class ArchiveMixin:
    """Nothing a user recorded is deleted in place: it is archived."""

    archived_at: Mapped[datetime | None] = mapped_column(default=None)


class Audited:
    """Marker: every insert, update and delete of this model writes an audit row."""

    __audit_exclude__: tuple[str, ...] = ()


class Record(IdMixin, TimestampMixin, VersionMixin, ArchiveMixin, Audited):
    """The usual set for a user-maintained record."""


def short_string(length: int = 200) -> Any:
    return mapped_column(String(length))

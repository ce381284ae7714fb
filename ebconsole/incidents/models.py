from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ebconsole.db.base import Audited, Base, IdMixin, Record
from ebconsole.incidents.enums import (
    Category,
    Channel,
    FraudChannel,
    Severity,
    Status,
    TimelineKind,
)
from ebconsole.timeutil import utcnow


class Incident(Record, Base):
    __tablename__ = "incident"
    __table_args__ = (
        Index("ix_incident_category_reported", "category", "reported_at"),
        Index("ix_incident_severity_reported", "severity", "reported_at"),
        # the incidents lists show (not archived), by status: the list's totals and its
        # status filters read this small index instead of every incident row (0006); every
        # status query asks for unarchived incidents, so there is no full one (0007); it
        # holds the lists' whole order (report time, then reference), so a page of several
        # statuses is sorted from the index alone (0008)
        Index(
            "ix_incident_unarchived_status",
            "status",
            "reported_at",
            "reference",
            sqlite_where=text("archived_at IS NULL"),
            postgresql_where=text("archived_at IS NULL"),
        ),
    )

    reference: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[Category]
    subcategory: Mapped[str | None] = mapped_column(String(60))
    channel: Mapped[Channel]
    occurred_at: Mapped[datetime | None]
    reported_at: Mapped[datetime] = mapped_column(index=True)
    reporter_name: Mapped[str] = mapped_column(String(80))
    reporter_department: Mapped[str | None] = mapped_column(String(80))
    reporter_phone: Mapped[str | None] = mapped_column(String(40))
    branch: Mapped[str | None] = mapped_column(String(80), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    affected_services: Mapped[list[str]] = mapped_column(default=list)

    severity: Mapped[Severity | None]
    status: Mapped[Status] = mapped_column(default=Status.REPORTED)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    site_code: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str] = mapped_column(String(40))

    in_scope: Mapped[bool] = mapped_column(default=True)
    out_of_scope_reason: Mapped[str | None] = mapped_column(Text)
    handed_off_to: Mapped[str | None] = mapped_column(String(120))
    dismissed_reason: Mapped[str | None] = mapped_column(Text)

    # when the lifecycle reached each milestone (the timeline has every step)
    assessed_at: Mapped[datetime | None]
    activated_at: Mapped[datetime | None]
    restored_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    # post-incident review (总结与改进)
    review_cause: Mapped[str | None] = mapped_column(Text)
    review_handling: Mapped[str | None] = mapped_column(Text)
    review_lessons: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(40))

    owner = relationship("User", lazy="joined", foreign_keys=[owner_id])
    timeline: Mapped[list[TimelineEntry]] = relationship(
        back_populates="incident", order_by="TimelineEntry.at", cascade="all, delete-orphan"
    )
    fraud: Mapped[FraudReport | None] = relationship(
        back_populates="incident", uselist=False, cascade="all, delete-orphan"
    )


class TimelineEntry(IdMixin, Audited, Base):
    """One step of the response: append-only."""

    __tablename__ = "timeline_entry"

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[TimelineKind]
    text: Mapped[str] = mapped_column(Text)
    actor_name: Mapped[str] = mapped_column(String(80))
    actor_user_id: Mapped[uuid.UUID | None]
    from_status: Mapped[Status | None]
    to_status: Mapped[Status | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    incident: Mapped[Incident] = relationship(back_populates="timeline")


class FraudReport(Record, Base):
    """Customer-reported fraud or account theft: first-class, not free text."""

    __tablename__ = "fraud_report"

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"), unique=True)
    customer_name: Mapped[str] = mapped_column(String(80))
    id_number: Mapped[str | None] = mapped_column(String(18))
    phone: Mapped[str | None] = mapped_column(String(40))
    account_number: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[FraudChannel | None]
    police_report_no: Mapped[str | None] = mapped_column(String(60))
    stop_payment_requested_at: Mapped[datetime | None]
    stop_payment_extensions: Mapped[int] = mapped_column(default=0)
    freeze_requested_at: Mapped[datetime | None]

    incident: Mapped[Incident] = relationship(back_populates="fraud")
    transactions: Mapped[list[FraudTransaction]] = relationship(
        back_populates="report", order_by="FraudTransaction.position", cascade="all, delete-orphan"
    )


class FraudTransaction(IdMixin, Audited, Base):
    __tablename__ = "fraud_transaction"

    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("fraud_report.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    time: Mapped[datetime | None]
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    counterparty_name: Mapped[str | None] = mapped_column(String(120))
    counterparty_account: Mapped[str | None] = mapped_column(String(40))
    counterparty_bank: Mapped[str | None] = mapped_column(String(120))
    reference: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    report: Mapped[FraudReport] = relationship(back_populates="transactions")


class IncidentSubtype(Record, Base):
    """Editable list of subtypes per class, loaded from resources/plan on first init."""

    __tablename__ = "incident_subtype"

    category: Mapped[Category]
    code: Mapped[str] = mapped_column(String(60))
    label_zh: Mapped[str] = mapped_column(String(80))
    label_en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)


class ReferenceCounter(Base):
    """Next sequence number per site and day for human-readable references."""

    __tablename__ = "reference_counter"

    site_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)

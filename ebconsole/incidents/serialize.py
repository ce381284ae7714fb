"""Incidents as plain JSON-ready dicts, in the keys of the intake format.

`incident_to_dict` prints the intake keys back plus `reference`, `status`, `severity`,
`owner`, `in_scope` and the `timeline`. Times are ISO 8601 in the workstation's zone
(with its offset), amounts decimal strings, enums their codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from ebconsole.incidents.models import FraudReport, FraudTransaction, Incident, TimelineEntry
from ebconsole.timeutil import to_local


def iso_local(value: datetime | None) -> str | None:
    """`2026-05-01T14:30:00+08:00`; None stays None."""
    if value is None:
        return None
    return to_local(value).isoformat(timespec="seconds")


def money(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return str(Decimal(value).quantize(Decimal("0.01")))


def _code(value: Any) -> str | None:
    return None if value is None else str(value.value if hasattr(value, "value") else value)


def transaction_to_dict(tx: FraudTransaction) -> dict[str, Any]:
    return {
        "time": iso_local(tx.time),
        "amount": money(tx.amount),
        "currency": tx.currency,
        "counterparty_name": tx.counterparty_name,
        "counterparty_account": tx.counterparty_account,
        "counterparty_bank": tx.counterparty_bank,
        "reference": tx.reference,
    }


def fraud_to_dict(report: FraudReport) -> dict[str, Any]:
    return {
        "customer_name": report.customer_name,
        "id_number": report.id_number,
        "phone": report.phone,
        "account_number": report.account_number,
        "channel": _code(report.channel),
        "transactions": [transaction_to_dict(tx) for tx in report.transactions],
        "police_report_no": report.police_report_no,
        "stop_payment_requested_at": iso_local(report.stop_payment_requested_at),
        "stop_payment_extensions": report.stop_payment_extensions,
        "freeze_requested_at": iso_local(report.freeze_requested_at),
    }


def timeline_entry_to_dict(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "at": iso_local(entry.at),
        "kind": _code(entry.kind),
        "text": entry.text,
        "actor": entry.actor_name,
        "from_status": _code(entry.from_status),
        "to_status": _code(entry.to_status),
    }


def timeline_to_dicts(entries: Iterable[TimelineEntry]) -> list[dict[str, Any]]:
    return [timeline_entry_to_dict(e) for e in entries]


def incident_to_dict(incident: Incident, *, timeline: bool = True) -> dict[str, Any]:
    """The incident in intake keys plus its state; `timeline=False` leaves the timeline
    out (lists: it is not loaded then)."""
    owner = incident.owner
    data: dict[str, Any] = {
        "reference": incident.reference,
        "title": incident.title,
        "category": _code(incident.category),
        "subcategory": incident.subcategory,
        "channel": _code(incident.channel),
        "occurred_at": iso_local(incident.occurred_at),
        "reported_at": iso_local(incident.reported_at),
        "reporter": {
            "name": incident.reporter_name,
            "department": incident.reporter_department,
            "phone": incident.reporter_phone,
        },
        "branch": incident.branch,
        "description": incident.description,
        "affected_services": list(incident.affected_services or []),
        "fraud": fraud_to_dict(incident.fraud) if incident.fraud is not None else None,
        "status": _code(incident.status),
        "severity": _code(incident.severity),
        "owner": owner.username if owner is not None else None,
        "in_scope": incident.in_scope,
    }
    if timeline:
        data["timeline"] = timeline_to_dicts(incident.timeline)
    return data

"""Customer data in views: masked for everyone, revealed one field at a time (audited).

The rule (docs/security.md, "Customer data"): customer ID numbers, account and card
numbers and phone numbers are masked in every list, view and report, whoever looks. The
clerk sees them in clear only in the intake form while entering them. A coordinator or an
administrator (Permission.REVEAL_CUSTOMER_DATA) may reveal one field of one incident:
`reveal_customer_field` returns the clear value and writes an audit row (action
"reveal", which field, never the value). Clerks may not reveal.

    with db.session(actor) as s:        # a write session: the audit row is committed
        value = reveal_customer_field(incident.id, "fraud.id_number", session=s, actor=actor)

Views mask with `masked_incident_dict` (the CLI's JSON) and `mask_customer` (one value).
"""

from __future__ import annotations

import copy
import re
import uuid
from typing import Any

from sqlalchemy.orm import Session

from ebconsole.actor import Actor
from ebconsole.audit import recorder
from ebconsole.db.session import actor_of
from ebconsole.errors import NotFound, ValidationFailed
from ebconsole.i18n import N_
from ebconsole.i18n.messages import register_messages
from ebconsole.incidents.models import Incident
from ebconsole.masking import Kind, mask, mask_text
from ebconsole.users.permissions import Permission, require

register_messages({"no_such_customer_field": N_("'{value}' is not a customer data field")})

REVEAL_ACTION = "reveal"
# the customer fields that are masked, with their kind; a transaction's counterparty
# account is `fraud.transactions[N].counterparty_account` (N from 0)
FIELDS: dict[str, Kind] = {
    "reporter.phone": Kind.PHONE,
    "fraud.id_number": Kind.ID_NUMBER,
    "fraud.phone": Kind.PHONE,
    "fraud.account_number": Kind.ACCOUNT,
}
_TX_FIELD = re.compile(r"fraud\.transactions\[(\d{1,4})\]\.counterparty_account")


def mask_customer(kind: Kind | str, value: str | None) -> str | None:
    """The masked form of one customer value (None and "" stay as they are)."""
    if not value:
        return value
    return mask(kind, value)


def field_kind(field: str) -> Kind:
    if field in FIELDS:
        return FIELDS[field]
    if _TX_FIELD.fullmatch(field):
        return Kind.ACCOUNT
    raise ValidationFailed.one("no_such_customer_field", "field", value=field[:60])


def clear_value(incident: Incident, field: str) -> str | None:
    """The stored (clear) value of a customer field of the incident."""
    field_kind(field)
    if field == "reporter.phone":
        return incident.reporter_phone
    fraud = incident.fraud
    if fraud is None:
        raise NotFound.one("no_fraud_report", "fraud")
    tx = _TX_FIELD.fullmatch(field)
    if tx is not None:
        index = int(tx.group(1))
        if index >= len(fraud.transactions):
            raise ValidationFailed.one("no_such_customer_field", "field", value=field[:60])
        return fraud.transactions[index].counterparty_account
    return {
        "fraud.id_number": fraud.id_number,
        "fraud.phone": fraud.phone,
        "fraud.account_number": fraud.account_number,
    }[field]


def reveal_customer_field(
    incident_id: uuid.UUID, field: str, *, session: Session, actor: Actor | None = None
) -> str | None:
    """The clear value of one customer field, written to the audit trail (who, when,
    which incident and field; not the value). Coordinators and administrators only; the
    session must be a write session (the audit row commits with it)."""
    from ebconsole.incidents import service as incidents

    actor = actor or actor_of(session)
    require(actor, Permission.REVEAL_CUSTOMER_DATA)
    incident = incidents.get(incident_id, session=session)
    value = clear_value(incident, field)
    _audit(session, actor, incident, field)
    return value


def _audit(session: Session, actor: Actor, incident: Incident, field: str) -> None:
    row = recorder.entry(
        actor,
        Incident.__tablename__,
        str(incident.id),
        REVEAL_ACTION,
        after={"field": field, "reference": incident.reference},
    )
    # `append` puts the row on its origin's audit chain and inserts it
    recorder.append(session, [row])


# -- masked views ----------------------------------------------------------------------------
def masked_incident_dict(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of `serialize.incident_to_dict` output with the customer fields masked and
    numbers in the free text (description, timeline) scrubbed."""
    out = copy.deepcopy(data)
    reporter = out.get("reporter")
    if isinstance(reporter, dict):
        reporter["phone"] = mask_customer(Kind.PHONE, reporter.get("phone"))
    if out.get("description"):
        out["description"] = mask_text(out["description"])
    fraud = out.get("fraud")
    if isinstance(fraud, dict):
        for key, kind in (
            ("id_number", Kind.ID_NUMBER),
            ("phone", Kind.PHONE),
            ("account_number", Kind.ACCOUNT),
        ):
            fraud[key] = mask_customer(kind, fraud.get(key))
        for tx in fraud.get("transactions") or []:
            tx["counterparty_account"] = mask_customer(Kind.ACCOUNT, tx.get("counterparty_account"))
    for entry in out.get("timeline") or []:
        if entry.get("text"):
            entry["text"] = mask_text(entry["text"])
    return out

"""An incident as readable text (the CLI's `incident show`), in the language of `tr`."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import object_session

from ebconsole.i18n import N_, Translate
from ebconsole.incidents.enums import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    FRAUD_CHANNEL_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    TIMELINE_LABELS,
)
from ebconsole.incidents.models import Incident, IncidentSubtype
from ebconsole.incidents.serialize import money
from ebconsole.timeutil import format_local


def subtype_label(incident: Incident, tr: Translate) -> str:
    """The subtype's label in the language of `tr` (its code if the table lacks it)."""
    if not incident.subcategory:
        return ""
    session = object_session(incident)
    if session is not None:
        row = session.scalars(
            select(IncidentSubtype).where(
                IncidentSubtype.category == incident.category,
                IncidentSubtype.code == incident.subcategory,
            )
        ).first()
        if row is not None:
            # the catalogs are zh_CN and en: a translated class label means Chinese
            probe = CATEGORY_LABELS[incident.category]
            return row.label_zh if tr(probe) != probe else row.label_en
    return incident.subcategory


def incident_text(incident: Incident, tr: Translate, *, masked: bool = False) -> str:
    """The incident as plain text; `masked` masks the customer's ID, account and phone
    numbers and scrubs numbers from the description (see `ebconsole.incidents.privacy`)."""
    from ebconsole.masking import Kind, mask, mask_text

    def hide(kind: Kind, value: str | None) -> str | None:
        return mask(kind, value) if masked and value else value

    lines: list[str] = []

    def row(label: str, value: object) -> None:
        if value not in (None, "", []):
            lines.append(f"{tr(label)}: {value}")

    lines.append(f"{incident.reference}  {incident.title}")
    category = tr(CATEGORY_LABELS[incident.category])
    sub = subtype_label(incident, tr)
    row(N_("Incident class"), f"{category} / {sub}" if sub else category)
    row(N_("Status"), tr(STATUS_LABELS[incident.status]))
    row(N_("Severity"), tr(SEVERITY_LABELS[incident.severity]) if incident.severity else "-")
    row(N_("Channel"), tr(CHANNEL_LABELS[incident.channel]))
    row(N_("Occurred at"), format_local(incident.occurred_at))
    row(N_("Reported at"), format_local(incident.reported_at))
    reporter = " ".join(
        p
        for p in (
            incident.reporter_name,
            incident.reporter_department,
            hide(Kind.PHONE, incident.reporter_phone),
        )
        if p
    )
    row(N_("Reporter"), reporter)
    row(N_("Branch"), incident.branch)
    if incident.owner is not None:
        row(N_("Owner"), incident.owner.display_name or incident.owner.username)
    row(N_("Affected services"), "、".join(incident.affected_services or []))
    row(
        N_("Description"),
        mask_text(incident.description or "") if masked else incident.description,
    )
    if not incident.in_scope:
        row(N_("Out of scope"), incident.out_of_scope_reason)
        row(N_("Handed off to"), incident.handed_off_to)
    row(N_("Reason for closing without activation"), incident.dismissed_reason)
    row(N_("Assessed at"), format_local(incident.assessed_at))
    row(N_("Activated at"), format_local(incident.activated_at))
    row(N_("Restored at"), format_local(incident.restored_at))
    row(N_("Closed at"), format_local(incident.closed_at))
    row(N_("Cause"), incident.review_cause)
    row(N_("Handling summary"), incident.review_handling)
    row(N_("Lessons learned"), incident.review_lessons)
    fraud = incident.fraud
    if fraud is not None:
        lines.append("")
        lines.append(tr(N_("Fraud report")))
        row(N_("Customer name"), fraud.customer_name)
        row(N_("ID number"), hide(Kind.ID_NUMBER, fraud.id_number))
        row(N_("Phone"), hide(Kind.PHONE, fraud.phone))
        row(N_("Account number"), hide(Kind.ACCOUNT, fraud.account_number))
        row(N_("Channel"), tr(FRAUD_CHANNEL_LABELS[fraud.channel]) if fraud.channel else None)
        row(N_("Police report number"), fraud.police_report_no)
        row(N_("Stop-payment requested at"), format_local(fraud.stop_payment_requested_at))
        if fraud.stop_payment_extensions:
            row(N_("Stop-payment extensions"), fraud.stop_payment_extensions)
        row(N_("Freeze requested at"), format_local(fraud.freeze_requested_at))
        for i, tx in enumerate(fraud.transactions, start=1):
            party = " ".join(
                p
                for p in (
                    tx.counterparty_name,
                    hide(Kind.ACCOUNT, tx.counterparty_account),
                    tx.counterparty_bank,
                )
                if p
            )
            lines.append(
                f"  {i}. {format_local(tx.time)}  {money(tx.amount)} {tx.currency}"
                f"  {party}  {tx.reference or ''}".rstrip()
            )
    if incident.timeline:
        lines.append("")
        lines.append(tr(N_("Timeline")))
        for e in incident.timeline:
            lines.append(
                f"  {format_local(e.at)}  {tr(TIMELINE_LABELS[e.kind])}  {e.actor_name}  {e.text}"
            )
    return "\n".join(lines) + "\n"

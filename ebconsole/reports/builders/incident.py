"""The incident response report (事件处置报告) of one incident: every intake field, the
fraud report with its transactions, classification and every assessment, the lifecycle,
the full timeline, the reporting obligations met or missed, resources used, the review,
and signature lines for the handler, the reviewer and the approver."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ebconsole.assessment.enums import Criterion
from ebconsole.assessment.grading import describe
from ebconsole.i18n import N_, Translate
from ebconsole.improvements.enums import ACTION_STATUS_LABELS
from ebconsole.incidents.enums import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    FRAUD_CHANNEL_LABELS,
    STATUS_LABELS,
    TIMELINE_LABELS,
    Category,
)
from ebconsole.obligations.enums import KIND_LABELS as OBLIGATION_LABELS
from ebconsole.obligations.enums import STATE_LABELS as OBLIGATION_STATE_LABELS
from ebconsole.reports import Column
from ebconsole.reports import masking as m
from ebconsole.reports.builders import titles
from ebconsole.reports.builders.common import (
    BuildOptions,
    between,
    duration,
    joined,
    label,
    new_report,
    raw,
    severity_label,
)
from ebconsole.reports.data.incident import (
    ActionData,
    AssessmentData,
    FraudData,
    IncidentData,
    ObligationData,
)
from ebconsole.reports.document import Report
from ebconsole.reports.output import BuildResult
from ebconsole.resources.enums import KIND_LABELS as RESOURCE_LABELS
from ebconsole.timeutil import format_local

TITLE = titles.INCIDENT
NOT_REVIEWED = N_("The incident has not been reviewed yet.")


def build(data: IncidentData, path: str | Path, options: BuildOptions) -> BuildResult:
    t = options.translate
    lang = options.language
    rep, section = new_report(
        data.origin,
        options,
        title=t(TITLE),
        subtitle=f"{data.reference}　{data.title}",
        keywords=(data.reference, t(CATEGORY_LABELS[data.category])),
    )

    section(t(N_("Basic information")))
    facts(rep, t, lang, data)
    if data.description:
        section.sub(t(N_("Description")))
        rep.paragraph(data.description)

    if data.fraud is not None or data.category is Category.CUSTOMER_FRAUD:
        section(t(N_("Customer fraud report")))
        if data.fraud is None:
            rep.paragraph(t(N_("No fraud report has been recorded.")))
        else:
            fraud_report(rep, t, data.fraud)

    section(t(N_("Classification and assessment")))
    rep.key_values(
        [
            (t(N_("Incident class")), t(CATEGORY_LABELS[data.category])),
            (t(N_("Subtype")), data.subtype_label(lang)),
            (t(N_("Severity")), severity_label(t, data.severity)),
            (t(N_("Assessments")), len(data.assessments)),
        ]
    )
    if not data.assessments:
        rep.paragraph(t(N_("The incident has not been assessed yet.")))
    for number, assessment in enumerate(data.assessments, start=1):
        assessment_block(rep, t, lang, number, assessment)

    section(t(N_("Response lifecycle")))
    lifecycle(rep, t, data)

    section(t(N_("Timeline")))
    timeline(rep, t, data)

    section(t(N_("Reporting obligations")))
    obligations(rep, t, data.obligations)

    section(t(N_("Resources used")))
    resources_used(rep, t, data)

    section(t(N_("Post-incident review")))
    review(rep, t, data)
    if data.actions:
        section.sub(t(N_("Improvement actions")))
        actions_table(rep, t, data.actions)

    rep.signatures()
    return rep.build(path, progress=options.progress)


# -- the parts (the review report uses some of them too) -----------------------------------


def facts(rep: Report, t: Translate, lang: str, data: IncidentData) -> None:
    pairs: list[tuple[str, object]] = [
        (t(N_("Incident number")), data.reference),
        (t(N_("Status")), t(STATUS_LABELS[data.status])),
        (t(N_("Title")), data.title),
        (t(N_("Severity")), severity_label(t, data.severity)),
        (t(N_("Incident class")), t(CATEGORY_LABELS[data.category])),
        (t(N_("Subtype")), data.subtype_label(lang)),
        (t(N_("Discovery channel")), t(CHANNEL_LABELS[data.channel])),
        (t(N_("Branch")), data.branch),
        (t(N_("Occurred at")), data.occurred_at),
        (t(N_("Reported at")), data.reported_at),
        (t(N_("Reporter")), data.reporter_name),
        (t(N_("Department")), data.reporter_department),
        (t(N_("Reporter's phone")), m.phone(data.reporter_phone) if data.reporter_phone else ""),
        (t(N_("Affected services")), joined(lang, list(data.affected_services))),
        (t(N_("Owner")), data.owner_name),
        (t(N_("Recorded by")), data.created_by),
        (t(N_("Site")), data.site_code),
        (t(N_("Last changed")), data.updated_at),
    ]
    if not data.in_scope:
        pairs += [
            (t(N_("Out of scope")), data.out_of_scope_reason),
            (t(N_("Handed off to")), data.handed_off_to),
        ]
    if data.dismissed_reason:
        pairs.append((t(N_("Reason for closing without activation")), data.dismissed_reason))
    if data.archived_at is not None:
        pairs.append((t(N_("Archived at")), data.archived_at))
    rep.key_values(pairs)


def fraud_report(rep: Report, t: Translate, fraud: FraudData) -> None:
    rep.key_values(
        [
            (t(N_("Customer name")), fraud.customer_name),
            (t(N_("ID number")), m.id_number(fraud.id_number) if fraud.id_number else ""),
            (t(N_("Phone")), m.phone(fraud.phone) if fraud.phone else ""),
            (
                t(N_("Account number")),
                m.account(fraud.account_number) if fraud.account_number else "",
            ),
            (t(N_("Where the money moved")), label(t, FRAUD_CHANNEL_LABELS, fraud.channel)),
            (t(N_("Police report number")), fraud.police_report_no),
            (t(N_("Stop-payment requested at")), fraud.stop_payment_requested_at),
            (t(N_("Stop-payment extensions")), fraud.stop_payment_extensions),
            (t(N_("Freeze requested at")), fraud.freeze_requested_at),
            (
                t(N_("Total amount")),
                "; ".join(f"{total:,.2f} {cur}" for cur, total in fraud.totals().items()),
            ),
        ]
    )
    rep.heading(t(N_("Transactions")), level=1)
    rep.data_table(
        [
            Column(t(N_("No.")), "right"),
            t(N_("Time")),
            Column(t(N_("Amount")), "right"),
            Column(t(N_("Currency")), "center"),
            t(N_("Counterparty name")),
            t(N_("Counterparty account")),
            t(N_("Counterparty bank")),
            t(N_("Transaction serial number")),
        ],
        [
            [
                n,
                tx.time,
                tx.amount,
                tx.currency,
                tx.counterparty_name,
                m.account(tx.counterparty_account) if tx.counterparty_account else "",
                tx.counterparty_bank,
                raw(rep, tx.reference),  # a bank serial number, not customer data
            ]
            for n, tx in enumerate(fraud.transactions, start=1)
        ],
        col_widths=[0.45, 1.9, 1.1, 0.7, 1.0, 2.4, 1.3, 2.4],
    )


def _criterion_value(criterion: Criterion, value: Any) -> object:
    if criterion.is_flag:
        return bool(value)
    if criterion.is_money:
        try:
            return Decimal(str(value if value is not None else 0))
        except InvalidOperation:
            return value
    return value if value is not None else 0


def assessment_block(rep: Report, t: Translate, lang: str, number: int, a: AssessmentData) -> None:
    rep.heading(
        t(N_("Assessment {number}: {time}, {assessor}")).format(
            number=number, time=format_local(a.assessed_at), assessor=a.assessor_name
        ),
        level=1,
    )
    pairs: list[tuple[str, object]] = [
        (t(N_("Level proposed by the policy")), severity_label(t, a.computed_level)),
        (t(N_("Level decided")), severity_label(t, a.final_level)),
    ]
    if a.overridden:
        pairs.append((t(N_("Reason for the override")), a.override_reason))
    pairs += [
        (t(N_("Notified")), joined(lang, list(a.notified)) or "-"),
        (t(N_("Grading policy revision")), a.policy_revision),
    ]
    if a.decision_note:
        pairs.append((t(N_("Decision note")), a.decision_note))
    rep.key_values(pairs)
    rows = []
    for criterion in Criterion:
        if criterion.value in a.criteria:
            rows.append(
                [t(criterion.label), _criterion_value(criterion, a.criteria[criterion.value])]
            )
    reasons = [describe(trigger, t) for trigger in a.triggers]
    basis = [str(trigger.get("basis") or "") for trigger in a.triggers]
    why = (
        "\n".join(
            f"• {text}" + (f"（{b}）" if b and lang.startswith("zh") else f" ({b})" if b else "")
            for text, b in zip(reasons, basis, strict=True)
        )
        if reasons
        else t(N_("No rule of the grading policy matched: its default level applies"))
    )
    rep.data_table(
        [t(N_("Criterion")), Column(t(N_("Recorded value")), "right")],
        rows,
        col_widths=[3, 1.5],
    )
    rep.key_values([(t(N_("Why this level")), why)], columns=1)


def lifecycle(rep: Report, t: Translate, data: IncidentData) -> None:
    closed_label = {
        "dismissed": N_("Closed without activation"),
        "out_of_scope": N_("Handed off (out of scope)"),
    }.get(data.status.value, N_("Closed"))
    steps: list[tuple[str, datetime | None]] = [
        (t(N_("Occurred")), data.occurred_at),
        (t(N_("Reported")), data.reported_at),
        (t(N_("Assessed")), data.assessed_at),
        (t(N_("Response activated")), data.activated_at),
        (t(N_("Service restored")), data.restored_at),
        (t(closed_label), data.closed_at),
    ]
    rep.data_table(
        [t(N_("Milestone")), t(N_("Time")), Column(t(N_("Time since the report")), "right")],
        [
            [
                name,
                at or "-",
                duration(t, between(data.reported_at, at)) if at and n >= 2 else "",
            ]
            for n, (name, at) in enumerate(steps)
        ],
        col_widths=[2.5, 2, 2],
    )
    rep.key_values(
        [
            (t(N_("Current status")), t(STATUS_LABELS[data.status])),
            (
                t(N_("Time to restore service")),
                duration(t, between(data.reported_at, data.restored_at)) or "-",
            ),
        ]
    )


def timeline(rep: Report, t: Translate, data: IncidentData) -> None:
    rows = []
    for e in data.timeline:
        rows.append(
            [
                e.at,
                label(t, TIMELINE_LABELS, e.kind),
                label(t, STATUS_LABELS, e.to_status),
                e.actor_name,
                e.text,
            ]
        )
    rep.data_table(
        [t(N_("Time")), t(N_("Entry kind")), t(N_("New status")), t(N_("Actor")), t(N_("Details"))],
        rows,
        col_widths=[1.6, 1.1, 1.4, 1.1, 5],
    )


def obligations(rep: Report, t: Translate, rows: tuple[ObligationData, ...]) -> None:
    if not rows:
        rep.paragraph(t(N_("No reporting obligation applies to this incident.")))
        return
    table = []
    for o in rows:
        state = (
            t(N_("No longer applies"))
            if o.archived and o.done_at is None
            else t(OBLIGATION_STATE_LABELS[o.state])
        )
        due = format_local(o.due_at) + (t(N_(" (estimated)")) if o.due_estimated else "")
        table.append([t(OBLIGATION_LABELS[o.kind]), due, o.done_at, o.done_by, state, o.note])
    rep.data_table(
        [
            t(N_("Obligation")),
            t(N_("Due at")),
            t(N_("Done at")),
            t(N_("Done by")),
            Column(t(N_("Met or missed")), "center"),
            t(N_("Note")),
        ],
        table,
        col_widths=[2, 1.8, 1.6, 1.2, 1.1, 2.3],
    )


def resources_used(rep: Report, t: Translate, data: IncidentData) -> None:
    rep.data_table(
        [
            t(N_("Time")),
            t(N_("Resource name")),
            t(N_("Kind of resource")),
            Column(t(N_("Quantity")), "right"),
            t(N_("Used by")),
            t(N_("Note")),
        ],
        [
            [
                r.used_at,
                r.name,
                t(RESOURCE_LABELS[r.kind]),
                "" if r.quantity is None else f"{r.quantity} {r.unit or ''}".strip(),
                r.used_by,
                r.note,
            ]
            for r in data.resources_used
        ],
        col_widths=[1.6, 2.6, 1.8, 0.9, 1.1, 2.6],
        empty=t(N_("No resource of the inventory is recorded as used.")),
    )


def review(rep: Report, t: Translate, data: IncidentData) -> None:
    if not (data.review_cause or data.review_lessons or data.review_handling):
        rep.paragraph(t(NOT_REVIEWED))
        return
    for title, text in (
        (N_("Cause"), data.review_cause),
        (N_("Handling summary"), data.review_handling),
        (N_("Lessons learned"), data.review_lessons),
    ):
        rep.heading(t(title), level=1)
        rep.paragraph(text or "-")
    rep.key_values([(t(N_("Reviewed by")), data.reviewed_by), (t(N_("Closed at")), data.closed_at)])


def actions_table(rep: Report, t: Translate, actions: tuple[ActionData, ...]) -> None:
    rep.data_table(
        [
            Column(t(N_("No.")), "right"),
            t(N_("Improvement action")),
            t(N_("Owner")),
            t(N_("Due date")),
            Column(t(N_("Status")), "center"),
            t(N_("Result")),
        ],
        [
            [
                n,
                a.title
                + (f"\n{a.description}" if a.description and a.description != a.title else ""),
                a.owner_name,
                a.due_date,
                t(ACTION_STATUS_LABELS[a.status]),
                a.result,
            ]
            for n, a in enumerate(actions, start=1)
        ],
        col_widths=[0.5, 4.5, 1.3, 1.4, 1.1, 2.5],
    )

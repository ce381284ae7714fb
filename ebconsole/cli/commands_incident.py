"""`incident add|list|show|assess|advance|log`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ebconsole.cli.common import CliContext, table
from ebconsole.i18n import _
from ebconsole.timeutil import format_local


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    inc = sub.add_parser("incident", parents=[common], help=_("record and drive incidents"))
    isub = inc.add_subparsers(dest="incident_command", metavar="ACTION")

    p = isub.add_parser(
        "add",
        parents=[common],
        help=_("add incidents from an intake JSON file (one object or a list); '-' reads stdin"),
    )
    p.add_argument("file", metavar="FILE|-")
    p.add_argument(
        "--encoding", help=_("read a file in this encoding (e.g. gb18030) instead of UTF-8")
    )
    p.set_defaults(handler=cmd_add)

    p = isub.add_parser("list", parents=[common], help=_("list incidents"))
    p.add_argument("--status", action="append", help=_("status (repeatable)"))
    p.add_argument(
        "--class", dest="category", action="append", help=_("incident class (repeatable)")
    )
    p.add_argument("--severity", action="append", help=_("severity I, II, III or IV (repeatable)"))
    p.add_argument(
        "--from", dest="date_from", metavar="DATE", help=_("reported on or after (YYYY-MM-DD)")
    )
    p.add_argument(
        "--to", dest="date_to", metavar="DATE", help=_("reported on or before (YYYY-MM-DD)")
    )
    p.add_argument("--text", help=_("free text: reference, title, description, branch, customer"))
    p.add_argument("--limit", type=int, default=200)
    p.set_defaults(handler=cmd_list)

    p = isub.add_parser(
        "show",
        parents=[common],
        help=_("show one incident (customer ID, account and phone numbers masked)"),
    )
    p.add_argument("reference")
    p.add_argument(
        "--reveal",
        action="store_true",
        help=_(
            "show the customer's numbers in full (coordinators and administrators; written to "
            "the audit trail)"
        ),
    )
    p.set_defaults(handler=cmd_show)

    p = isub.add_parser(
        "assess",
        parents=[common],
        help=_("assess severity from criteria; a coordinator may override with a reason"),
    )
    p.add_argument("reference")
    p.add_argument("--outage-minutes", type=int)
    p.add_argument("--provinces", type=int)
    p.add_argument("--branches", type=int)
    p.add_argument("--customers", type=int)
    p.add_argument("--funds", metavar="CNY")
    p.add_argument("--data-leaked", type=int, metavar="RECORDS")
    p.add_argument("--sensitive-data", action="store_true")
    p.add_argument("--peak-hours", action="store_true")
    p.add_argument(
        "--override", metavar="LEVEL", help=_("final level I-IV instead of the computed one")
    )
    p.add_argument("--reason", help=_("reason for the override"))
    p.add_argument("--note", help=_("decision note"))
    p.set_defaults(handler=cmd_assess)

    p = isub.add_parser("advance", parents=[common], help=_("move an incident to its next state"))
    p.add_argument("reference")
    p.add_argument("--to", required=True, metavar="STATE")
    p.add_argument("--note")
    p.add_argument("--reason")
    p.set_defaults(handler=cmd_advance)

    p = isub.add_parser(
        "log",
        parents=[common],
        help=_("show the timeline; with --add, record an action, decision, notification or note"),
    )
    p.add_argument("reference")
    p.add_argument("--add", metavar="TEXT")
    p.add_argument(
        "--kind", default="action", choices=["action", "decision", "notification", "note"]
    )
    p.set_defaults(handler=cmd_log)


def _read_input(ctx: CliContext) -> Any:
    from ebconsole.incidents.intake import read_intake_file

    if ctx.args.file == "-":
        return read_intake_file(sys.stdin.buffer.read(), encoding=ctx.args.encoding)
    return read_intake_file(ctx.args.file, encoding=ctx.args.encoding)


def cmd_add(ctx: CliContext) -> int:
    from ebconsole.incidents import service as incidents
    from ebconsole.incidents.intake import parse_intake_list

    items = parse_intake_list(_read_input(ctx))
    db = ctx.database()
    with db.session(ctx.actor()) as s:
        created = incidents.create_many(items, session=s)
        refs = [i.reference for i in created]
    ctx.emit(refs, "\n".join(refs))
    return 0


def _find(ctx: CliContext, s: Any) -> Any:
    from ebconsole.incidents import service as incidents

    return incidents.get_by_reference(ctx.args.reference, session=s)


def cmd_list(ctx: CliContext) -> int:
    from ebconsole.incidents import service as incidents
    from ebconsole.incidents.enums import CATEGORY_LABELS, SEVERITY_LABELS, STATUS_LABELS
    from ebconsole.incidents.privacy import masked_incident_dict
    from ebconsole.incidents.schemas import IncidentFilter
    from ebconsole.incidents.serialize import incident_to_dict

    a = ctx.args
    flt = IncidentFilter.from_cli(
        statuses=a.status,
        categories=a.category,
        severities=a.severity,
        date_from=a.date_from,
        date_to=a.date_to,
        text=a.text,
        limit=a.limit,
    )
    db = ctx.database()
    with db.session(ctx.actor(), readonly=True) as s:
        rows = incidents.list_incidents(flt, session=s)
        data = [masked_incident_dict(incident_to_dict(i, timeline=False)) for i in rows]
        tr = ctx.tr
        human = (
            table(
                [
                    _("Reference"),
                    _("Reported at"),
                    _("Class"),
                    _("Severity"),
                    _("Status"),
                    _("Title"),
                ],
                [
                    [
                        i.reference,
                        format_local(i.reported_at),
                        tr(CATEGORY_LABELS[i.category]),
                        tr(SEVERITY_LABELS[i.severity]) if i.severity else "-",
                        tr(STATUS_LABELS[i.status]),
                        i.title,
                    ]
                    for i in rows
                ],
            )
            if rows
            else _("No incidents.")
        )
    ctx.emit(data, human)
    return 0


def cmd_show(ctx: CliContext) -> int:
    from ebconsole.incidents.privacy import (
        FIELDS,
        clear_value,
        masked_incident_dict,
        reveal_customer_field,
    )
    from ebconsole.incidents.render import incident_text
    from ebconsole.incidents.serialize import incident_to_dict

    db = ctx.database()
    actor = ctx.actor()
    if ctx.args.reveal:
        from ebconsole.users.permissions import Permission, require

        require(actor, Permission.REVEAL_CUSTOMER_DATA)
        # every field shown in clear is one audited reveal, in this one transaction
        with db.session(actor) as s:
            inc = _find(ctx, s)
            fields = list(FIELDS)
            if inc.fraud is not None:
                fields += [
                    f"fraud.transactions[{i}].counterparty_account"
                    for i, tx in enumerate(inc.fraud.transactions)
                    if tx.counterparty_account
                ]
            for field in fields:
                if field.startswith("fraud.") and inc.fraud is None:
                    continue
                if clear_value(inc, field):  # an empty field reveals nothing
                    reveal_customer_field(inc.id, field, session=s, actor=actor)
            ctx.emit(incident_to_dict(inc), incident_text(inc, ctx.tr))
        return 0
    with db.session(actor, readonly=True) as s:
        inc = _find(ctx, s)
        ctx.emit(
            masked_incident_dict(incident_to_dict(inc)), incident_text(inc, ctx.tr, masked=True)
        )
    return 0


def cmd_assess(ctx: CliContext) -> int:
    from ebconsole.assessment import service as assessment
    from ebconsole.assessment.schemas import AssessmentCreate, Criteria
    from ebconsole.incidents.enums import SEVERITY_LABELS

    a = ctx.args
    criteria = Criteria.model_validate(
        {
            k: v
            for k, v in {
                "outage_minutes": a.outage_minutes,
                "provinces_affected": a.provinces,
                "branches_affected": a.branches,
                "customers_affected": a.customers,
                "funds_involved": a.funds,
                "data_leaked_records": a.data_leaked,
                "sensitive_data": a.sensitive_data or None,
                "peak_hours": a.peak_hours or None,
            }.items()
            if v is not None
        }
    )
    db = ctx.database()
    with db.session(ctx.actor()) as s:
        inc = _find(ctx, s)
        result = assessment.assess(
            inc.id,
            AssessmentCreate(
                criteria=criteria,
                override_level=a.override,
                override_reason=a.reason,
                decision_note=a.note,
            ),
            session=s,
        )
        data = {
            "reference": inc.reference,
            "computed": result.computed_level,
            "severity": result.final_level,
            "override_reason": result.override_reason,
        }
        level = result.final_level
    ctx.emit(
        data,
        _("{ref}: severity {level}").format(
            ref=data["reference"], level=ctx.tr(SEVERITY_LABELS[level])
        ),
    )
    return 0


def cmd_advance(ctx: CliContext) -> int:
    from ebconsole.incidents import service as incidents
    from ebconsole.incidents.enums import STATUS_LABELS, Status
    from ebconsole.validation import Checker

    c = Checker()
    target = c.choice("status", ctx.args.to, Status, required=True)
    c.raise_if_failed()
    assert target is not None
    db = ctx.database()
    with db.session(ctx.actor()) as s:
        inc = _find(ctx, s)
        inc = incidents.advance(
            inc.id, target, session=s, note=ctx.args.note, reason=ctx.args.reason
        )
        data = {"reference": inc.reference, "status": inc.status.value}
        status = inc.status
    ctx.emit(data, f"{data['reference']}: {ctx.tr(STATUS_LABELS[status])}")
    return 0


def cmd_log(ctx: CliContext) -> int:
    from ebconsole.incidents import service as incidents
    from ebconsole.incidents.enums import TIMELINE_LABELS, TimelineKind
    from ebconsole.incidents.schemas import TimelineEntryCreate
    from ebconsole.incidents.serialize import timeline_to_dicts
    from ebconsole.masking import mask_text

    db = ctx.database()
    if ctx.args.add:
        with db.session(ctx.actor()) as s:
            inc = _find(ctx, s)
            incidents.record_action(
                inc.id,
                TimelineEntryCreate(kind=TimelineKind(ctx.args.kind), text=ctx.args.add),
                session=s,
            )
    with db.session(ctx.actor(), readonly=True) as s:
        inc = _find(ctx, s)
        entries = list(inc.timeline)
        data = timeline_to_dicts(entries)
        for entry in data:  # numbers typed into notes are masked like the fields
            entry["text"] = mask_text(entry["text"])
        tr = ctx.tr
        human = table(
            [_("Time"), _("Kind"), _("By"), _("Entry")],
            [
                [format_local(e.at), tr(TIMELINE_LABELS[e.kind]), e.actor_name, mask_text(e.text)]
                for e in entries
            ],
        )
    ctx.emit(data, human)
    return 0

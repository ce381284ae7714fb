"""The post-incident review report (事后评估报告) of one incident: the incident in brief,
the cause, the evaluation of the handling, the lessons, the reporting obligations met or
missed, and the improvement actions with their owners and due dates (plan §4.3
总结与改进)."""

from __future__ import annotations

from pathlib import Path

from ebconsole.i18n import N_
from ebconsole.incidents.enums import CATEGORY_LABELS, STATUS_LABELS
from ebconsole.reports.builders import incident as parts
from ebconsole.reports.builders import titles
from ebconsole.reports.builders.common import (
    BuildOptions,
    between,
    duration,
    new_report,
    severity_label,
)
from ebconsole.reports.data.incident import IncidentData
from ebconsole.reports.output import BuildResult

TITLE = titles.REVIEW


def build(data: IncidentData, path: str | Path, options: BuildOptions) -> BuildResult:
    t = options.translate
    lang = options.language
    rep, section = new_report(
        data.origin,
        options,
        title=t(TITLE),
        subtitle=f"{data.reference}　{data.title}",
        keywords=(data.reference,),
    )
    reviewed = bool(data.review_cause or data.review_lessons or data.review_handling)
    if not reviewed:
        rep.note(
            t(
                N_(
                    "The review of this incident has not been recorded yet: this copy shows "
                    "what is known so far."
                )
            )
        )

    section(t(N_("The incident in brief")))
    rep.key_values(
        [
            (t(N_("Incident number")), data.reference),
            (t(N_("Status")), t(STATUS_LABELS[data.status])),
            (t(N_("Title")), data.title),
            (t(N_("Severity")), severity_label(t, data.severity)),
            (t(N_("Incident class")), t(CATEGORY_LABELS[data.category])),
            (t(N_("Subtype")), data.subtype_label(lang)),
            (t(N_("Branch")), data.branch),
            (t(N_("Owner")), data.owner_name),
            (t(N_("Reported at")), data.reported_at),
            (t(N_("Response activated")), data.activated_at or "-"),
            (t(N_("Service restored")), data.restored_at or "-"),
            (t(N_("Closed at")), data.closed_at or "-"),
            (
                t(N_("Time to restore service")),
                duration(t, between(data.reported_at, data.restored_at)) or "-",
            ),
            (t(N_("Reviewed by")), data.reviewed_by or "-"),
        ]
    )
    if data.description:
        rep.paragraph(data.description)

    section(t(N_("Cause")))
    rep.paragraph(data.review_cause or t(N_("Not recorded.")))
    section(t(N_("Evaluation of the handling")))
    rep.paragraph(data.review_handling or t(N_("Not recorded.")))
    section(t(N_("Lessons learned")))
    rep.paragraph(data.review_lessons or t(N_("Not recorded.")))

    section(t(N_("Reporting obligations")))
    parts.obligations(rep, t, data.obligations)

    section(t(N_("Improvement actions")))
    if data.actions:
        parts.actions_table(rep, t, data.actions)
    else:
        rep.paragraph(t(N_("No improvement action has been raised from this review.")))

    rep.signatures((N_("Prepared by"), N_("Reviewed by"), N_("Approved by")))
    return rep.build(path, progress=options.progress)

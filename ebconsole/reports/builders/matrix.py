"""The responsibility matrix and emergency contacts (职责矩阵与应急通讯录): the plan's
three groups with their make-up and duties, each group's role in each phase of the
response, and the contact list with phones and deputies.

Staff phones are printed in full: a contact list is for dialling. They are not customer
data; the report's notice asks the reader to keep the copy safe."""

from __future__ import annotations

from pathlib import Path

from ebconsole.i18n import N_
from ebconsole.organisation.enums import GROUP_LABELS, RESPONSIBILITY_LABELS, GroupCode
from ebconsole.reports import Column
from ebconsole.reports.builders import titles
from ebconsole.reports.builders.common import BuildOptions, new_report, raw
from ebconsole.reports.data.matrix import MatrixData
from ebconsole.reports.output import BuildResult

TITLE = titles.MATRIX


def build(data: MatrixData, path: str | Path, options: BuildOptions) -> BuildResult:
    t = options.translate
    lang = options.language
    rep, section = new_report(
        data.origin, options, title=t(TITLE), subtitle=t(N_("E-banking emergency response plan"))
    )

    section(t(N_("Emergency organisation")))
    rep.data_table(
        [t(N_("Group")), t(N_("Made up of")), t(N_("Duties"))],
        [[g.name(lang), g.composition(lang), g.duties(lang)] for g in data.groups],
        col_widths=[1.6, 3, 5],
    )

    section(t(N_("Responsibility matrix")))
    matrix = data.matrix
    rep.data_table(
        [t(N_("Phase of the response")), *[Column(g.name(lang), "center") for g in matrix.groups]],
        [
            [
                p.name(lang),
                *[
                    t(RESPONSIBILITY_LABELS[role]) if (role := matrix.role(p.id, g.id)) else "—"
                    for g in matrix.groups
                ],
            ]
            for p in matrix.phases
        ],
        col_widths=[2.4, *[1.5] * len(matrix.groups)],
    )
    rep.paragraph(
        t(
            N_(
                "Leads: directs the phase and decides. Executes: does the work. Supports: "
                "assists the group that executes. Informed: is kept up to date."
            )
        )
    )
    missing = matrix.phases_without_lead()
    if missing:
        rep.note(
            t(N_("No group leads: {phases}.")).format(
                phases=("、" if lang.startswith("zh") else ", ").join(p.name(lang) for p in missing)
            )
        )

    section(t(N_("Emergency contacts")))
    rep.note(
        t(
            N_(
                "Phone numbers are printed in full for use in an emergency. Keep this copy "
                "safe and destroy it when a newer one is issued."
            )
        )
    )
    for code in GroupCode:
        members = [c for c in data.contacts if c.group_code is code]
        if not members:
            continue
        name = members[0].group_name_zh if lang.startswith("zh") else members[0].group_name_en
        section.sub(name or t(GROUP_LABELS[code]))
        rep.data_table(
            [
                t(N_("Name")),
                t(N_("Position")),
                t(N_("Department")),
                t(N_("Office phone")),
                t(N_("Mobile phone")),
                t(N_("Deputy")),
                t(N_("Deputy's mobile")),
            ],
            [
                [
                    c.name,
                    c.title,
                    c.department,
                    raw(rep, c.office_phone),
                    raw(rep, c.mobile_phone),
                    c.deputy_name,
                    raw(rep, c.deputy_mobile_phone),
                ]
                for c in members
            ],
            col_widths=[1.1, 2.2, 1.6, 1.7, 1.6, 1.1, 1.6],
        )
    rep.signatures((N_("Prepared by"), N_("Reviewed by"), N_("Approved by")))
    return rep.build(path, progress=options.progress)

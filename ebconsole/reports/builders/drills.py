"""The training and drill report (培训与演练情况报告) of one year: compliance with the
plan's at-least-once-a-year rule, where each plan stands, every training session and
drill held, their evaluations and findings, and the improvement actions raised."""

from __future__ import annotations

from pathlib import Path

from ebconsole.drills.enums import (
    AUDIENCE_LABELS,
    KIND_LABELS,
    METHOD_LABELS,
    RATING_LABELS,
    SCENARIO_LABELS,
    ExerciseKind,
)
from ebconsole.i18n import N_
from ebconsole.improvements.enums import ACTION_STATUS_LABELS, SOURCE_LABELS
from ebconsole.reports import Column
from ebconsole.reports.builders import titles
from ebconsole.reports.builders.common import BuildOptions, joined, label, new_report
from ebconsole.reports.data.drills import DrillsData, SessionData
from ebconsole.reports.document import Report
from ebconsole.reports.output import BuildResult

TITLE = titles.DRILLS


def build(data: DrillsData, path: str | Path, options: BuildOptions) -> BuildResult:
    t = options.translate
    lang = options.language
    rep, section = new_report(
        data.origin,
        options,
        title=t(TITLE),
        subtitle=t(N_("Year {year}")).format(year=data.year),
        keywords=(str(data.year),),
    )
    trainings = [s for s in data.sessions if s.kind is ExerciseKind.TRAINING]
    drills = [s for s in data.sessions if s.kind is ExerciseKind.DRILL]

    section(t(N_("Compliance with the plan")))
    rep.paragraph(
        t(
            N_(
                "The plan (§6) asks for training on the plan and for a drill at least once "
                "a year each."
            )
        )
    )

    def verdict(ok: bool) -> str:
        if ok:
            return t(N_("Met"))
        if data.year >= data.today.year:
            return t(N_("Not yet met"))
        return t(N_("Not met"))

    rep.data_table(
        [
            t(N_("Requirement")),
            Column(t(N_("Times held")), "right"),
            t(N_("Dates")),
            Column(t(N_("Result")), "center"),
        ],
        [
            [
                t(N_("Training at least once a year")),
                len(data.trainings),
                joined(lang, [d.isoformat() for d in data.trainings]) or "-",
                verdict(data.training_ok),
            ],
            [
                t(N_("Drill at least once a year")),
                len(data.drills),
                joined(lang, [d.isoformat() for d in data.drills]) or "-",
                verdict(data.drill_ok),
            ],
        ],
        col_widths=[2.6, 0.8, 4, 1.2],
    )
    if not (data.training_ok and data.drill_ok):
        rep.note(
            t(N_("The at-least-once-a-year rule is not met for {year}.")).format(year=data.year)
            if data.year < data.today.year
            else t(N_("The rule is not met yet for {year}: plan the missing sessions.")).format(
                year=data.year
            )
        )

    section(t(N_("Training and drill plans")))
    compliance = {c.plan_id: c for c in data.compliance}
    rows = []
    for plan in data.plans:
        c = compliance.get(plan.id)
        rows.append(
            [
                plan.title,
                t(KIND_LABELS[plan.kind]),
                t(METHOD_LABELS[plan.method]),
                joined(lang, [label(t, AUDIENCE_LABELS, a) for a in plan.audiences]),
                plan.cycle_months,
                c.held_in_year if c else 0,
                (c.last_held if c and c.last_held else t(N_("Never held"))),
                c.next_due if c else "",
                (t(N_("Overdue")) if c.overdue else t(N_("On schedule"))) if c else "",
            ]
        )
    rep.data_table(
        [
            t(N_("Plan")),
            Column(t(N_("Kind")), "center"),
            t(N_("Method")),
            t(N_("Audience")),
            Column(t(N_("Cycle (months)")), "right"),
            Column(t(N_("Held this year")), "right"),
            t(N_("Last held")),
            t(N_("Next due")),
            Column(t(N_("Status")), "center"),
        ],
        rows,
        col_widths=[3, 0.8, 1.3, 1.8, 0.9, 0.9, 1.4, 1.4, 1.1],
    )

    section(t(N_("Training sessions")))
    session_table(rep, trainings, drills=False)
    section(t(N_("Drills held")))
    session_table(rep, drills, drills=True)

    section(t(N_("Evaluations and findings")))
    evaluated = [s for s in data.sessions if s.evaluation or s.findings]
    if not evaluated:
        rep.paragraph(t(N_("No evaluation has been recorded for this year.")))
    for s in evaluated:
        section.sub(f"{s.held_on.isoformat()}　{s.plan_title}")
        pairs: list[tuple[str, object]] = [
            (t(N_("Kind")), t(KIND_LABELS[s.kind])),
            (t(N_("Method")), t(METHOD_LABELS[s.method])),
            (t(N_("Rating")), label(t, RATING_LABELS, s.rating) or "-"),
            (t(N_("Score")), s.score if s.score is not None else "-"),
            (t(N_("Number of participants")), s.participant_count),
            (t(N_("Duration (minutes)")), s.duration_minutes or "-"),
        ]
        if s.scenario:
            pairs.append((t(N_("Scenario")), t(SCENARIO_LABELS[s.scenario])))
        if s.participants:
            pairs.append((t(N_("Participants")), joined(lang, list(s.participants))))
        rep.key_values(pairs)
        if s.evaluation:
            rep.paragraph(t(N_("Evaluation: {text}")).format(text=s.evaluation))
        if s.findings:
            finding_rows = []
            for n, finding in enumerate(s.findings):
                action = s.actions.get(n)
                finding_rows.append(
                    [
                        n + 1,
                        finding,
                        action.owner_name if action else t(N_("No action raised")),
                        action.due_date if action else "",
                        t(ACTION_STATUS_LABELS[action.status]) if action else "",
                    ]
                )
            rep.data_table(
                [
                    Column(t(N_("No.")), "right"),
                    t(N_("Finding")),
                    t(N_("Action owner")),
                    t(N_("Due date")),
                    Column(t(N_("Status")), "center"),
                ],
                finding_rows,
                col_widths=[0.5, 5, 1.5, 1.4, 1.1],
            )

    section(t(N_("Improvement actions")))
    rep.data_table(
        [
            t(N_("Improvement action")),
            t(N_("Source")),
            t(N_("Owner")),
            t(N_("Due date")),
            Column(t(N_("Status")), "center"),
            t(N_("Result")),
        ],
        [
            [
                a.title,
                f"{t(SOURCE_LABELS[a.source_kind])}\n{a.source_ref or ''}".strip(),
                a.owner_name,
                a.due_date,
                t(ACTION_STATUS_LABELS[a.status]),
                a.result,
            ]
            for a in data.actions
        ],
        col_widths=[3.5, 2.6, 1.2, 1.4, 1.1, 2],
        empty=t(N_("No improvement action was raised from this year's sessions.")),
    )
    rep.signatures()
    return rep.build(path, progress=options.progress)


def session_table(rep: Report, sessions: list[SessionData], *, drills: bool) -> None:
    tr = rep.translate
    columns: list[Column | str] = [
        tr(N_("Held on")),
        tr(N_("Plan")),
        tr(N_("Method")),
    ]
    if drills:
        columns.append(tr(N_("Scenario")))
    columns += [
        Column(tr(N_("Participants")), "right"),
        Column(tr(N_("Duration (minutes)")), "right"),
        Column(tr(N_("Score")), "right"),
        Column(tr(N_("Rating")), "center"),
    ]
    rows = []
    for s in sessions:
        row: list[object] = [s.held_on, s.plan_title, tr(METHOD_LABELS[s.method])]
        if drills:
            row.append(label(tr, SCENARIO_LABELS, s.scenario))
        row += [
            s.participant_count,
            s.duration_minutes if s.duration_minutes is not None else "",
            s.score if s.score is not None else "",
            label(tr, RATING_LABELS, s.rating),
        ]
        rows.append(row)
    widths = [1.4, 3.4, 1.3] + ([1.8] if drills else []) + [1, 1, 0.8, 1]
    rep.data_table(columns, rows, col_widths=widths)

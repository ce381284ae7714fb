"""The status report (情况通报) for coordinators: open incidents by severity with how long
they have run, their state, owner and next deadline; overdue reporting obligations; who
is on duty now; overdue resource checks; training and drills due; counts by class and
severity with a chart. The title block carries the generation time, the workstation and
how fresh the data is (a printed copy is read offline)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm

from ebconsole.drills.enums import KIND_LABELS as EXERCISE_LABELS
from ebconsole.i18n import N_, Translate
from ebconsole.incidents.enums import CATEGORY_LABELS, STATUS_LABELS, Category, Severity
from ebconsole.obligations.enums import KIND_LABELS as OBLIGATION_LABELS
from ebconsole.reports import Column
from ebconsole.reports.builders import titles
from ebconsole.reports.builders.common import (
    NOT_ASSESSED,
    BuildOptions,
    duration,
    new_report,
    raw,
    severity_label,
)
from ebconsole.reports.charts import SEVERITY_COLORS, bar_chart
from ebconsole.reports.data.status import OpenIncident, StatusData
from ebconsole.reports.document import Report
from ebconsole.reports.output import BuildResult
from ebconsole.resources.enums import KIND_LABELS as RESOURCE_LABELS
from ebconsole.roster.enums import DUTY_ROLE_LABELS
from ebconsole.timeutil import format_local

TITLE = titles.STATUS
OVERDUE_MARK = N_(" (overdue)")
NOT_ASSESSED_COLOR = colors.HexColor("#9AA5B1")
LEVELS: tuple[Severity | None, ...] = (Severity.I, Severity.II, Severity.III, Severity.IV, None)

# the open-incident table's columns (tests look for them on every page the table spans)
INCIDENT_COLUMNS = (
    N_("Incident number"),
    N_("Title"),
    N_("Incident class"),
    N_("Status"),
    N_("Owner"),
    N_("Reported at"),
    N_("Running for"),
    N_("Next deadline"),
)


def build(data: StatusData, path: str | Path, options: BuildOptions) -> BuildResult:
    t = options.translate
    rep, section = new_report(
        data.origin,
        options,
        title=t(TITLE),
        subtitle=t(N_("Situation as of {time}")).format(time=format_local(data.now)),
    )

    section(t(N_("Overview")))
    overview(rep, t, data)

    section(t(N_("Open incidents by severity")))
    if not data.open_incidents:
        rep.paragraph(t(N_("No incident is open.")))
    for level in LEVELS:
        group = [i for i in data.open_incidents if i.severity is level]
        if not group:
            continue
        section.sub(
            t(N_("{level}: {count} open")).format(level=severity_label(t, level), count=len(group))
        )
        incident_table(rep, t, data, group)

    section(t(N_("Overdue reporting obligations")))
    rep.data_table(
        [
            t(N_("Incident number")),
            t(N_("Title")),
            t(N_("Obligation")),
            t(N_("Owner")),
            t(N_("Due at")),
            Column(t(N_("Overdue by")), "right"),
        ],
        [
            [
                o.reference,
                o.title,
                t(OBLIGATION_LABELS[o.kind]),
                o.owner_name,
                format_local(o.due_at) + (t(N_(" (estimated)")) if o.due_estimated else ""),
                duration(t, data.now - o.due_at),
            ]
            for o in data.overdue_obligations
        ],
        col_widths=[2.3, 3.2, 1.8, 1.1, 1.8, 1.3],
        empty=t(N_("No reporting obligation is overdue.")),
    )

    section(t(N_("On duty now")))
    if data.on_duty:
        rep.data_table(
            [
                t(N_("Duty role")),
                t(N_("Name")),
                t(N_("Phone on duty")),
                t(N_("On duty from")),
                t(N_("On duty until")),
            ],
            [
                [t(DUTY_ROLE_LABELS[d.role]), d.name, raw(rep, d.phone), d.starts_at, d.ends_at]
                for d in data.on_duty
            ],
            col_widths=[1.5, 1.5, 2, 2, 2],
        )
    else:
        rep.note(t(N_("Nobody is on the duty roster at this time.")))

    section(t(N_("Overdue resource checks")))
    rep.data_table(
        [
            t(N_("Resource name")),
            t(N_("Kind of resource")),
            t(N_("Location")),
            t(N_("Last checked at")),
            t(N_("Check was due")),
            t(N_("Contact")),
        ],
        [
            [
                r.name,
                t(RESOURCE_LABELS[r.kind]),
                r.location,
                r.last_checked_at or t(N_("Never checked")),
                r.next_check_due or t(N_("At once")),
                r.contact_name,
            ]
            for r in data.overdue_resources
        ],
        col_widths=[2.6, 2, 2, 1.6, 1.6, 1.8],
        empty=t(N_("Every resource check is up to date.")),
    )

    section(t(N_("Training and drills due")))
    rep.paragraph(
        t(
            N_(
                "The plan asks for at least one training and one drill a year. Held in "
                "{year} so far: {trainings} training sessions, {drills} drills."
            )
        ).format(year=data.year, trainings=data.trainings_this_year, drills=data.drills_this_year)
    )
    rep.data_table(
        [
            t(N_("Plan")),
            Column(t(N_("Training or drill")), "center"),
            t(N_("Last held")),
            t(N_("Next due")),
            Column(t(N_("Status")), "center"),
        ],
        [
            [
                e.title,
                t(EXERCISE_LABELS[e.kind]),
                e.last_held or t(N_("Never held")),
                e.next_due,
                t(N_("Overdue")) if e.overdue else t(N_("Due soon")),
            ]
            for e in data.exercises_due
        ],
        col_widths=[4, 1.3, 1.5, 1.5, 1.2],
        empty=t(N_("No training or drill falls due in the next 30 days.")),
    )
    return rep.build(path, progress=options.progress)


def overview(rep: Report, t: Translate, data: StatusData) -> None:
    def open_at(level: Severity | None) -> int:
        return sum(n for (_c, s), n in data.open_counts.items() if s is level)

    total_open = len(data.open_incidents)
    pairs: list[tuple[str, object]] = [(t(N_("Open incidents")), total_open)]
    pairs += [(severity_label(t, level), open_at(level)) for level in LEVELS]
    pairs += [
        (t(N_("Overdue reporting obligations")), len(data.overdue_obligations)),
        (t(N_("On duty now")), len(data.on_duty)),
        (t(N_("Overdue resource checks")), len(data.overdue_resources)),
        (
            t(N_("Training and drills overdue")),
            sum(1 for e in data.exercises_due if e.overdue),
        ),
        (t(N_("Overdue improvement actions")), data.overdue_actions),
    ]
    rep.key_values(pairs)

    categories = [
        c
        for c in Category
        if any(k[0] is c for k in (*data.open_counts, *data.recent_counts))
        or c is not Category.OTHER
    ]
    rep.heading(t(N_("Counts by class and severity")), level=1)
    counts: list[list[int]] = []
    for c in categories:
        by_level = [data.open_counts.get((c, level), 0) for level in LEVELS]
        recent = sum(n for (cat, _s), n in data.recent_counts.items() if cat is c)
        counts.append([*by_level, sum(by_level), recent])
    rows: list[list[object]] = [
        [t(CATEGORY_LABELS[c]), *numbers] for c, numbers in zip(categories, counts, strict=True)
    ]
    rows.append([t(N_("Total")), *[sum(col) for col in zip(*counts, strict=True)]])
    level_titles = [f"{level.value}" if level else t(NOT_ASSESSED) for level in LEVELS]
    rep.data_table(
        [
            t(N_("Incident class")),
            *[Column(title, "right") for title in level_titles],
            Column(t(N_("Open now")), "right"),
            Column(
                t(N_("Reported in the last {days} days")).format(days=data.recent_days), "right"
            ),
        ],
        rows,
        col_widths=[2.4, 0.8, 0.8, 0.8, 0.8, 1.2, 1, 1.9],
    )
    rep.chart(
        bar_chart(
            rep.fonts,
            [t(CATEGORY_LABELS[c]) for c in categories],
            [
                (
                    severity_label(t, level),
                    [data.open_counts.get((c, level), 0) for c in categories],
                )
                for level in LEVELS
            ],
            title=t(N_("Open incidents by class and severity")),
            colors=[*SEVERITY_COLORS, NOT_ASSESSED_COLOR],
            height=56 * mm,
        )
    )


def incident_table(
    rep: Report, t: Translate, data: StatusData, incidents: list[OpenIncident]
) -> None:
    rows = []
    for i in incidents:
        if i.next_deadline is None:
            deadline = ""
        else:
            what = t(OBLIGATION_LABELS[i.next_deadline_kind]) if i.next_deadline_kind else ""
            late = i.next_deadline < data.now
            deadline = f"{format_local(i.next_deadline)}\n{what}"
            if late:
                deadline += t(OVERDUE_MARK)
        rows.append(
            [
                i.reference,
                i.title,
                t(CATEGORY_LABELS[i.category]),
                t(STATUS_LABELS[i.status]),
                i.owner_name or t(N_("Unassigned")),
                i.reported_at,
                duration(t, data.now - i.reported_at),
                deadline,
            ]
        )
    rep.data_table(
        [
            t(INCIDENT_COLUMNS[0]),
            t(INCIDENT_COLUMNS[1]),
            t(INCIDENT_COLUMNS[2]),
            t(INCIDENT_COLUMNS[3]),
            t(INCIDENT_COLUMNS[4]),
            t(INCIDENT_COLUMNS[5]),
            Column(t(INCIDENT_COLUMNS[6]), "right"),
            t(INCIDENT_COLUMNS[7]),
        ],
        rows,
        col_widths=[2.1, 3.2, 1.5, 1.3, 1.0, 1.5, 1.1, 1.9],
    )

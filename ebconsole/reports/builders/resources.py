"""The resource inventory with check status (应急资源清单及检查情况): every reserve of
plan §5 (technical, people, material) with where it is, how many, whether it is ready,
who to call, and where its periodic check stands; the overdue checks listed apart."""

from __future__ import annotations

from pathlib import Path

from ebconsole.i18n import N_, Translate
from ebconsole.reports import Column
from ebconsole.reports.builders import titles
from ebconsole.reports.builders.common import BuildOptions, duration, new_report, raw
from ebconsole.reports.charts import bar_chart
from ebconsole.reports.data.resources import ResourceData, ResourcesData
from ebconsole.reports.output import BuildResult
from ebconsole.resources.enums import KIND_LABELS, STATUS_LABELS, ResourceKind, ResourceStatus
from ebconsole.timeutil import format_local

TITLE = titles.RESOURCES


def check_state(t: Translate, item: ResourceData) -> str:
    if item.last_checked_at is None:
        return t(N_("Never checked"))
    return t(N_("Check overdue")) if item.overdue else t(N_("Checked"))


def build(data: ResourcesData, path: str | Path, options: BuildOptions) -> BuildResult:
    t = options.translate
    rep, section = new_report(
        data.origin, options, title=t(TITLE), subtitle=t(N_("Resource assurance"))
    )
    items = data.items

    section(t(N_("Overview")))
    by_status = {s: sum(1 for i in items if i.status is s) for s in ResourceStatus}
    rep.key_values(
        [
            (t(N_("Items")), len(items)),
            (t(N_("Checks overdue")), sum(1 for i in items if i.overdue)),
            *[(t(STATUS_LABELS[s]), n) for s, n in by_status.items()],
            (t(N_("Never checked")), sum(1 for i in items if i.last_checked_at is None)),
        ]
    )
    kinds = [k for k in ResourceKind if any(i.kind is k for i in items)]
    if kinds:
        rep.chart(
            bar_chart(
                rep.fonts,
                [t(KIND_LABELS[k]) for k in kinds],
                [
                    (
                        t(N_("Checked on time")),
                        [sum(1 for i in items if i.kind is k and not i.overdue) for k in kinds],
                    ),
                    (
                        t(N_("Check overdue")),
                        [sum(1 for i in items if i.kind is k and i.overdue) for k in kinds],
                    ),
                ],
                title=t(N_("Items by kind and check status")),
                horizontal=True,
                stacked=True,
                height=max(60.0, 16.0 * len(kinds) + 50),
            )
        )

    section(t(N_("Inventory")))
    if not items:
        rep.paragraph(t(N_("The inventory is empty.")))
    for kind in kinds:
        group = [i for i in items if i.kind is kind]
        section.sub(t(KIND_LABELS[kind]))
        rep.data_table(
            [
                t(N_("Resource name")),
                t(N_("Location")),
                Column(t(N_("Quantity")), "right"),
                Column(t(N_("Status")), "center"),
                t(N_("Contact")),
                t(N_("Last checked")),
                t(N_("Next check due")),
                Column(t(N_("Check status")), "center"),
            ],
            [
                [
                    i.name + (f"\n{i.notes}" if i.notes else ""),
                    i.location,
                    f"{i.quantity} {i.unit or ''}".strip(),
                    t(STATUS_LABELS[i.status]),
                    raw(rep, "\n".join(p for p in (i.contact_name, i.contact_phone) if p)),
                    "\n".join(
                        p
                        for p in (
                            format_local(i.last_checked_at),
                            i.last_checked_by or "",
                        )
                        if p
                    )
                    or "-",
                    i.next_check_due or t(N_("At once")),
                    check_state(t, i),
                ]
                for i in group
            ],
            col_widths=[2.6, 2, 0.9, 1.1, 2.1, 1.6, 1.6, 1.1],
        )

    section(t(N_("Overdue checks")))
    overdue = data.overdue
    rep.data_table(
        [
            t(N_("Resource name")),
            t(N_("Kind of resource")),
            t(N_("Last checked")),
            t(N_("Check was due")),
            Column(t(N_("Overdue by")), "right"),
            Column(t(N_("Check interval (days)")), "right"),
        ],
        [
            [
                i.name,
                t(KIND_LABELS[i.kind]),
                i.last_checked_at or t(N_("Never checked")),
                i.next_check_due or t(N_("At once")),
                duration(t, data.now - i.next_check_due) if i.next_check_due else "",
                i.check_interval_days,
            ]
            for i in overdue
        ],
        col_widths=[3, 2.2, 1.7, 1.7, 1.2, 1.2],
        empty=t(N_("Every resource check is up to date.")),
    )
    rep.signatures((N_("Checked by"), N_("Reviewed by"), N_("Approved by")))
    return rep.build(path, progress=options.progress)

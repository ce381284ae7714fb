"""Error codes and field labels of the drills aggregate."""

from __future__ import annotations

from ebconsole.i18n import N_
from ebconsole.i18n.messages import register_labels, register_messages

register_messages(
    {
        "method_not_for_kind": N_("'{value}' is not a method for {kind_label}"),
        "scenario_required": N_("a drill needs a scenario"),
        "count_below_names": N_("is smaller than the {count} names listed"),
        "finding_already_raised": N_("finding {number} already has an improvement action"),
    }
)

register_labels(
    {
        "audiences": N_("Audience"),
        "content": N_("Content"),
        "method": N_("Method"),
        "scenario": N_("Scenario"),
        "cycle_months": N_("Cycle (months)"),
        "plan_id": N_("Plan"),
        "held_on": N_("Held on"),
        "participants": N_("Participants"),
        "participant_count": N_("Number of participants"),
        "duration_minutes": N_("Duration (minutes)"),
        "score": N_("Score"),
        "rating": N_("Rating"),
        "evaluation": N_("Evaluation"),
        "findings": N_("Finding"),
        "finding_index": N_("Finding"),
    }
)

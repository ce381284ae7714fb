"""Error codes and field labels of the assessment aggregate (imported by its modules)."""

from __future__ import annotations

from ebconsole.assessment.enums import CRITERION_LABELS
from ebconsole.i18n import N_
from ebconsole.i18n.messages import register_labels, register_messages

register_messages(
    {
        "policy_not_object": N_("must be a JSON object"),
        "policy_unknown_key": N_("is not a setting of this policy"),
        "policy_invalid_id": N_(
            "'{value}' is not a valid rule identifier (letters, digits, '.', '_' and '-')"
        ),
        "policy_rule_empty": N_("has no condition"),
        "policy_unknown_criterion": N_("is not a grading criterion (known: {allowed})"),
        "policy_condition_true": N_(
            "must be true: a condition cannot ask for something not to have happened"
        ),
        "amount_negative": N_("must not be negative"),
        "incident_closed": N_("the incident is closed ({status_label})"),
    }
)

register_labels(
    {
        **{criterion.value: label for criterion, label in CRITERION_LABELS.items()},
        "criteria": N_("Criteria"),
        "override_level": N_("Overridden level"),
        "override_reason": N_("Reason for the override"),
        "notify": N_("Notified"),
        "decision_note": N_("Decision note"),
        "policy": N_("Policy"),
        "rules": N_("Rule"),
        "when": N_("Conditions"),
        "default_level": N_("Default level"),
        "basis": N_("Basis"),
        "id": N_("Identifier"),
        "level": N_("Level"),
    }
)

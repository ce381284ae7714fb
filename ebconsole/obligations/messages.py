"""Error codes and field labels of the obligations aggregate (imported by its modules)."""

from __future__ import annotations

import ebconsole.assessment.messages  # noqa: F401  (the policy codes shared with grading)
from ebconsole.i18n import N_
from ebconsole.i18n.messages import register_labels, register_messages
from ebconsole.obligations.enums import KIND_LABELS

register_messages(
    {
        "invalid_time_zone": N_("'{value}' is not a known time zone (e.g. Asia/Shanghai)"),
        "already_done": N_("was already done on {at}"),
    }
)

register_labels(
    {
        **{kind.value: label for kind, label in KIND_LABELS.items()},
        "obligations": N_("Obligations"),
        "enabled": N_("Enabled"),
        "levels": N_("Levels"),
        "minutes": N_("Minutes"),
        "working_days": N_("Working days"),
        "hours": N_("Hours"),
        "max_extensions": N_("Maximum extensions"),
        "remind_minutes": N_("Warn before (minutes)"),
        "zone": N_("Time zone"),
        "obligation": N_("Obligation"),
    }
)

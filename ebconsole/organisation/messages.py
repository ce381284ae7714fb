"""Error codes and field labels of the organisation aggregate."""

from __future__ import annotations

from ebconsole.i18n import N_
from ebconsole.i18n.messages import register_labels, register_messages

register_messages(
    {
        "phone_required": N_("an office or a mobile phone number is required"),
        "deputy_self": N_("a member cannot be their own deputy"),
    }
)

register_labels(
    {
        "name_zh": N_("Name (Chinese)"),
        "name_en": N_("Name (English)"),
        "composition_zh": N_("Composition (Chinese)"),
        "composition_en": N_("Composition (English)"),
        "duties_zh": N_("Duties (Chinese)"),
        "duties_en": N_("Duties (English)"),
        "group_id": N_("Group"),
        "phase_id": N_("Phase"),
        "office_phone": N_("Office phone"),
        "mobile_phone": N_("Mobile phone"),
        "deputy_id": N_("Deputy"),
        "user_id": N_("User account"),
        "position": N_("Order"),
        "responsibility": N_("Responsibility"),
    }
)

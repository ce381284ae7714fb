"""Field labels of the resources aggregate."""

from __future__ import annotations

from ebconsole.i18n import N_
from ebconsole.i18n.messages import register_labels

register_labels(
    {
        "kind": N_("Kind"),
        "location": N_("Location"),
        "quantity": N_("Quantity"),
        "unit": N_("Unit"),
        "contact_name": N_("Contact"),
        "contact_phone": N_("Contact phone"),
        "check_interval_days": N_("Check interval (days)"),
        "last_checked_at": N_("Last checked at"),
        "checked_at": N_("Checked at"),
        "notes": N_("Notes"),
        "resource_id": N_("Resource"),
        "used_at": N_("Used at"),
    }
)

"""Field labels of the improvements aggregate."""

from __future__ import annotations

from ebconsole.i18n import N_
from ebconsole.i18n.messages import register_labels

register_labels(
    {
        "source_kind": N_("Source"),
        "source_id": N_("Source record"),
        "source_item": N_("Source item"),
        "source_ref": N_("Source reference"),
        "owner_name": N_("Owner"),
        "owner_user_id": N_("Owner account"),
        "due_date": N_("Due date"),
        "result": N_("Result"),
        "done_at": N_("Done at"),
    }
)

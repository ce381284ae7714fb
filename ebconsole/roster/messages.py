"""Error codes and field labels of the roster aggregate."""

from __future__ import annotations

from ebconsole.i18n import N_
from ebconsole.i18n.messages import register_labels, register_messages

register_messages(
    {
        "must_be_later": N_("must be later than {other_label}"),
        "shift_too_long": N_("a shift lasts at most {max} hours"),
        "shift_overlap": N_("{person} is already on duty from {start} to {end}"),
    }
)

register_labels(
    {
        "person_name": N_("Person on duty"),
        "person_phone": N_("Phone on duty"),
        "member_id": N_("Group member"),
        "starts_at": N_("Starts at"),
        "ends_at": N_("Ends at"),
        "people": N_("People"),
        "start_date": N_("Start date"),
        "days": N_("Days"),
        "shift_hours": N_("Shift length (hours)"),
        "start_hour": N_("Handover hour"),
    }
)

"""Error codes of the audit trail (English source strings)."""

from __future__ import annotations

from ebconsole.i18n import N_
from ebconsole.i18n.messages import register_messages

MESSAGES = {
    "audit_chain_busy": N_(
        "another change from this workstation was saved at the same moment; "
        "nothing was saved, try again"
    ),
}

register_messages(MESSAGES)

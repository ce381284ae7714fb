"""Error codes and labels of replication (English source strings)."""

from __future__ import annotations

from ebconsole.errors import EbError
from ebconsole.i18n import N_
from ebconsole.i18n.messages import register_labels, register_messages


class SyncError(EbError):
    """A bundle or a batch of changes was refused; nothing was applied."""


MESSAGES = {
    "bundle_unreadable": N_(
        "'{path}' is not an ebconsole bundle or is damaged (truncated?): {detail}"
    ),
    "bundle_too_large": N_("the bundle is larger than {max_mb} MB; refused"),
    "bundle_missing_part": N_(
        "the bundle lacks its {part}; it is damaged or not an ebconsole bundle"
    ),
    "bundle_unsigned": N_("the bundle is not signed; refused"),
    "bundle_bad_signature": N_(
        "the bundle's signature does not match the deployment key: it was altered or "
        "made with another bank's key; refused"
    ),
    "bundle_checksum": N_(
        "the bundle's content does not match its checksum: it was altered or damaged; refused"
    ),
    "bundle_version": N_(
        "the bundle has format version {found}; this ebconsole reads version {expected}"
    ),
    "bundle_count": N_("the bundle announces {expected} changes but holds {found}; refused"),
    "bad_change": N_("change {index} of the batch is malformed: {detail}"),
    "apply_failed": N_(
        "the changes could not be applied ({detail}); nothing was applied. "
        "A change may depend on records this database has not received yet"
    ),
    "key_missing": N_(
        "no deployment key at '{path}': copy the bank's key file there or name the key file"
    ),
    "key_invalid": N_(
        "the deployment key file '{path}' is not valid (64 hexadecimal digits expected)"
    ),
    "conflict_not_found": N_("no conflict '{key}'"),
    "conflict_resolved": N_("the conflict was already resolved"),
    "bad_resolution": N_("'{value}' is not a resolution; use winner or loser"),
    "hub_not_configured": N_("no hub configured: pass --hub or set $EBCONSOLE_HUB_URL"),
    "hub_is_local": N_("the hub must be another database than this workstation's"),
    "since_invalid": N_("'{value}' is not a date (YYYY-MM-DD)"),
    "join_not_new": N_(
        "this database is set up already; only a new database can join the bank's "
        "workstations (its own data would clash with theirs)"
    ),
    "join_no_accounts": N_(
        "no accounts arrived with the bank's data: name an administrator to create and join again"
    ),
    "join_failed": N_(
        "could not take the bank's data from the hub ({detail}); nothing was set up, "
        "try again when the hub can be reached"
    ),
}

LABELS = {
    "bundle": N_("Bundle"),
    "conflict": N_("Conflict"),
    "resolution": N_("Resolution"),
    "hub": N_("Hub"),
    "key_file": N_("Key file"),
    "since": N_("Since"),
    "admin": N_("Administrator"),
}

register_messages(MESSAGES)
register_labels(LABELS)

"""Error codes and field labels of the incidents aggregate (English source strings)."""

from __future__ import annotations

from ebconsole.i18n import N_
from ebconsole.i18n.messages import register_labels, register_messages

MESSAGES = {
    # intake and input types
    "datetime_after": N_("must not be later than {other_label}"),
    "unknown_subtype": N_("'{value}' is not a subtype of {category_label}; known: {allowed}"),
    "fraud_not_allowed": N_("only incidents of the class Customer fraud carry a fraud report"),
    "fraud_contact_required": N_("give the customer's account number or phone number"),
    "file_decode": N_("the file cannot be read as {encoding}"),
    "file_truncated": N_(
        "the file ends in the middle of a character: it is incomplete (truncated)"
    ),
    "json_duplicate_key": N_("the key '{key}' appears twice in one object"),
    # records and lifecycle
    "incident_archived": N_("the incident is archived"),
    "archive_open": N_("an open incident cannot be archived; close it first"),
    "no_fraud_report": N_("the incident has no fraud report"),
    "stop_payment_already_requested": N_(
        "a stop-payment was already requested at {at}; extend it instead"
    ),
    "stop_payment_not_requested": N_("no stop-payment has been requested yet"),
    "stop_payment_extension_limit": N_("a stop-payment can be extended at most {max} times"),
    "freeze_already_requested": N_("a freeze was already requested at {at}"),
    "user_inactive": N_("the user '{key}' is disabled or archived"),
}

LABELS = {
    # an item of a list of incidents: "[2].title" reads "Incident 3 › Title"
    "": N_("Incident"),
    "incident": N_("Incident"),
    "cause": N_("Cause"),
    "handling": N_("Handling summary"),
    "lessons": N_("Lessons learned"),
    "handed_off_to": N_("Handed off to"),
    "owner": N_("Owner"),
    "kind": N_("Kind"),
    "text": N_("Text"),
    "at": N_("Time"),
    "statuses": N_("Status"),
    "categories": N_("Incident class"),
    "severities": N_("Severity"),
    "date_from": N_("Reported from"),
    "date_to": N_("Reported until"),
    "limit": N_("Limit"),
    "offset": N_("Offset"),
    "sort": N_("Sort by"),
    "encoding": N_("Encoding"),
    "stop_payment_extensions": N_("Stop-payment extensions"),
}

# Used as `entity_label` of a `not_found` error.
ENTITY_INCIDENT = N_("incident")
ENTITY_USER = N_("user")

register_messages(MESSAGES)
register_labels(LABELS)

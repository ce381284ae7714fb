"""Message templates for error codes and labels for field paths (English source strings).

Every aggregate adds its codes and field names here so that one catalog serves the CLI,
the console and the reports. Templates use str.format placeholders.
"""

from __future__ import annotations

import re

from ebconsole.i18n import N_, Translate

MESSAGES: dict[str, str] = {
    # generic input rules
    "required": N_("is required"),
    "invalid_choice": N_("'{value}' is not one of: {allowed}"),
    "invalid_datetime": N_(
        "'{value}' is not a valid date and time (ISO 8601, e.g. 2026-05-01T14:30)"
    ),
    "invalid_date": N_("'{value}' is not a valid date (YYYY-MM-DD)"),
    "datetime_in_future": N_("lies in the future"),
    "datetime_order": N_("must not be earlier than {other_label}"),
    "too_long": N_("is longer than {max} characters"),
    "too_short": N_("is shorter than {min} characters"),
    "control_characters": N_("contains control characters"),
    "not_a_number": N_("'{value}' is not a number"),
    "amount_not_positive": N_("must be greater than zero"),
    "amount_decimals": N_("has more than {max} decimal places"),
    "amount_too_large": N_("is larger than {max}"),
    "invalid_id_number": N_(
        "is not a valid mainland ID number (GB 11643: 18 characters, check digit {expected})"
    ),
    "invalid_id_format": N_(
        "is not a valid mainland ID number (GB 11643: 17 digits and a check digit)"
    ),
    "invalid_phone": N_("'{value}' is not a valid phone number"),
    "invalid_account": N_("'{value}' is not a valid account or card number (8 to 32 digits)"),
    "invalid_currency": N_("'{value}' is not a three-letter currency code"),
    "invalid_type": N_("must be {expected_label}"),
    "unknown_field": N_("is not a field of the intake format"),
    "not_in_range": N_("must be between {min} and {max}"),
    "not_unique": N_("'{value}' is already in use"),
    "too_many": N_("has more than {max} entries"),
    "empty_list": N_("contains no incident"),
    "list_item_failed": N_("item {index} has errors, nothing was added"),
    # files
    "file_not_found": N_("file '{path}' does not exist"),
    "file_not_utf8": N_(
        "the file is not UTF-8 text; it looks like {encoding}: save it as UTF-8 or pass --encoding {encoding}"
    ),
    "file_binary": N_("the file is not text (it contains binary data)"),
    "file_too_large": N_("the file is larger than {max_mb} MB"),
    "json_syntax": N_("is not valid JSON: {detail} (line {line}, column {column})"),
    "json_too_deep": N_("nests deeper than {max} levels"),
    "json_not_object": N_("must be a JSON object or a list of objects"),
    # records
    "not_found": N_("no {entity_label} '{key}'"),
    "stale_record": N_("was changed by someone else since you opened it; reload and try again"),
    "archived": N_("is archived"),
    # lifecycle
    "invalid_transition": N_("cannot go from {from_label} to {to_label}"),
    "reason_required": N_("a reason is required"),
    "not_assessed": N_("the incident has not been assessed yet"),
    # accounts
    "login_failed": N_("wrong user name or password"),
    "account_locked": N_("the account is locked until {until}"),
    "account_inactive": N_("the account is disabled"),
    "permission_denied": N_("your role ({role_label}) may not {action_label}"),
    "weak_password": N_("must be at least {min} characters long"),
    "not_initialised": N_("the database is not initialised; run 'ebconsole init' first"),
    # database
    "db_newer": N_(
        "the database was written by a newer ebconsole (schema {found}); this version knows up to {known}. Install the newer version; the file was not opened"
    ),
    "db_unknown": N_(
        "the database has a schema this ebconsole does not know ({found}); it was not opened"
    ),
    "db_unreachable": N_("cannot open the database: {detail}"),
}

FIELD_LABELS: dict[str, str] = {
    "title": N_("Title"),
    "category": N_("Incident class"),
    "subcategory": N_("Subtype"),
    "channel": N_("Channel"),
    "occurred_at": N_("Occurred at"),
    "reported_at": N_("Reported at"),
    "reporter": N_("Reporter"),
    "name": N_("Name"),
    "department": N_("Department"),
    "phone": N_("Phone"),
    "branch": N_("Branch"),
    "description": N_("Description"),
    "affected_services": N_("Affected services"),
    "fraud": N_("Fraud report"),
    "customer_name": N_("Customer name"),
    "id_number": N_("ID number"),
    "account_number": N_("Account number"),
    "transactions": N_("Transaction"),
    "time": N_("Time"),
    "amount": N_("Amount"),
    "currency": N_("Currency"),
    "counterparty_name": N_("Counterparty name"),
    "counterparty_account": N_("Counterparty account"),
    "counterparty_bank": N_("Counterparty bank"),
    "reference": N_("Transaction reference"),
    "police_report_no": N_("Police report number"),
    "stop_payment_requested_at": N_("Stop-payment requested at"),
    "freeze_requested_at": N_("Freeze requested at"),
    "file": N_("File"),
    "username": N_("User name"),
    "password": N_("Password"),
    "role": N_("Role"),
    "site_code": N_("Site code"),
    "workstation": N_("Workstation"),
    "reason": N_("Reason"),
    "note": N_("Note"),
    "status": N_("Status"),
    "severity": N_("Severity"),
    "database": N_("Database"),
}


def register_messages(messages: dict[str, str]) -> None:
    """An aggregate adds its own error codes (call at import of its module)."""
    MESSAGES.update(messages)


def register_labels(labels: dict[str, str]) -> None:
    FIELD_LABELS.update(labels)


def message_template(code: str) -> str:
    return MESSAGES.get(code, code)


_INDEX = re.compile(r"\[(\d+)\]")


def field_label(path: str, tr: Translate) -> str:
    """`fraud.transactions[1].amount` → "Fraud report › Transaction 2 › Amount" (translated)."""
    parts: list[str] = []
    for piece in path.split("."):
        m = _INDEX.search(piece)
        base = _INDEX.sub("", piece)
        label = tr(FIELD_LABELS[base]) if base in FIELD_LABELS else base
        if m:
            label = f"{label} {int(m.group(1)) + 1}"
        parts.append(label)
    return " › ".join(parts)

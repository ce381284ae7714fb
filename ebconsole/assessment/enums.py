"""Grading criteria (what the assessor measures) and the names of stored policies."""

from __future__ import annotations

from enum import StrEnum

from ebconsole.i18n import N_


class Criterion(StrEnum):
    """One measurable fact about an incident's impact (plan §4.2, 初步评估)."""

    OUTAGE_MINUTES = "outage_minutes"
    PROVINCES_AFFECTED = "provinces_affected"
    BRANCHES_AFFECTED = "branches_affected"
    CUSTOMERS_AFFECTED = "customers_affected"
    FUNDS_INVOLVED = "funds_involved"
    DATA_LEAKED_RECORDS = "data_leaked_records"
    DATA_LEAKED = "data_leaked"
    SENSITIVE_DATA = "sensitive_data"
    PEAK_HOURS = "peak_hours"

    @property
    def label(self) -> str:
        return CRITERION_LABELS[self]

    @property
    def is_flag(self) -> bool:
        return self in FLAG_CRITERIA

    @property
    def is_money(self) -> bool:
        return self is Criterion.FUNDS_INVOLVED


CRITERION_LABELS = {
    Criterion.OUTAGE_MINUTES: N_("Outage (minutes)"),
    Criterion.PROVINCES_AFFECTED: N_("Provinces affected"),
    Criterion.BRANCHES_AFFECTED: N_("Branches affected"),
    Criterion.CUSTOMERS_AFFECTED: N_("Customers affected"),
    Criterion.FUNDS_INVOLVED: N_("Funds involved (CNY)"),
    Criterion.DATA_LEAKED_RECORDS: N_("Personal records leaked"),
    Criterion.DATA_LEAKED: N_("Data leaked"),
    Criterion.SENSITIVE_DATA: N_("Sensitive personal information"),
    Criterion.PEAK_HOURS: N_("During peak business hours"),
}

FLAG_CRITERIA = frozenset({Criterion.DATA_LEAKED, Criterion.SENSITIVE_DATA, Criterion.PEAK_HOURS})


class PolicyName(StrEnum):
    """Editable policies kept as versioned JSON documents."""

    GRADING = "grading"
    OBLIGATIONS = "obligations"


POLICY_LABELS = {
    PolicyName.GRADING: N_("Grading policy"),
    PolicyName.OBLIGATIONS: N_("Obligation policy"),
}

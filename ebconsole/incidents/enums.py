from __future__ import annotations

from enum import StrEnum

from ebconsole.i18n import N_


class Category(StrEnum):
    SYSTEM_FAILURE = "system_failure"
    NETWORK_ATTACK = "network_attack"
    NATURAL_DISASTER = "natural_disaster"
    CUSTOMER_FRAUD = "customer_fraud"
    OTHER = "other"


CATEGORY_LABELS = {
    Category.SYSTEM_FAILURE: N_("System failure"),
    Category.NETWORK_ATTACK: N_("Network attack"),
    Category.NATURAL_DISASTER: N_("Natural disaster"),
    Category.CUSTOMER_FRAUD: N_("Customer fraud"),
    Category.OTHER: N_("Other"),
}


class Channel(StrEnum):
    """How the incident was discovered (plan §4.1)."""

    EMPLOYEE_REPORT = "employee_report"
    SYSTEM_MONITORING = "system_monitoring"
    CUSTOMER_FEEDBACK = "customer_feedback"


CHANNEL_LABELS = {
    Channel.EMPLOYEE_REPORT: N_("Employee report"),
    Channel.SYSTEM_MONITORING: N_("System monitoring"),
    Channel.CUSTOMER_FEEDBACK: N_("Customer feedback"),
}


class Status(StrEnum):
    REPORTED = "reported"
    ASSESSING = "assessing"
    ACTIVATED = "activated"
    HANDLING = "handling"
    RECOVERING = "recovering"
    RESTORED = "restored"
    REVIEWED = "reviewed"
    DISMISSED = "dismissed"
    OUT_OF_SCOPE = "out_of_scope"


STATUS_LABELS = {
    Status.REPORTED: N_("Reported"),
    Status.ASSESSING: N_("Assessing"),
    Status.ACTIVATED: N_("Response activated"),
    Status.HANDLING: N_("Handling"),
    Status.RECOVERING: N_("Recovering"),
    Status.RESTORED: N_("Service restored"),
    Status.REVIEWED: N_("Reviewed and closed"),
    Status.DISMISSED: N_("Closed without activation"),
    Status.OUT_OF_SCOPE: N_("Out of scope (handed off)"),
}

OPEN_STATUSES = frozenset(
    {Status.REPORTED, Status.ASSESSING, Status.ACTIVATED, Status.HANDLING, Status.RECOVERING}
)
CLOSED_STATUSES = frozenset(set(Status) - OPEN_STATUSES)


class Severity(StrEnum):
    """Levels of the grading policy, I the gravest."""

    I = "I"  # noqa: E741
    II = "II"
    III = "III"
    IV = "IV"

    @property
    def rank(self) -> int:
        return ("I", "II", "III", "IV").index(self.value) + 1


SEVERITY_LABELS = {
    Severity.I: N_("I Especially grave"),
    Severity.II: N_("II Grave"),
    Severity.III: N_("III Major"),
    Severity.IV: N_("IV General"),
}


class TimelineKind(StrEnum):
    ACTION = "action"
    DECISION = "decision"
    NOTIFICATION = "notification"
    NOTE = "note"
    STATUS_CHANGE = "status_change"
    ASSESSMENT = "assessment"


TIMELINE_LABELS = {
    TimelineKind.ACTION: N_("Action"),
    TimelineKind.DECISION: N_("Decision"),
    TimelineKind.NOTIFICATION: N_("Notification"),
    TimelineKind.NOTE: N_("Note"),
    TimelineKind.STATUS_CHANGE: N_("Status change"),
    TimelineKind.ASSESSMENT: N_("Assessment"),
}


class FraudChannel(StrEnum):
    """Where the customer's money moved."""

    MOBILE_BANKING = "mobile_banking"
    ONLINE_BANKING = "online_banking"
    PHONE_BANKING = "phone_banking"
    ATM = "atm"
    COUNTER = "counter"
    THIRD_PARTY_PAYMENT = "third_party_payment"
    OTHER = "other"


FRAUD_CHANNEL_LABELS = {
    FraudChannel.MOBILE_BANKING: N_("Mobile banking"),
    FraudChannel.ONLINE_BANKING: N_("Online banking"),
    FraudChannel.PHONE_BANKING: N_("Phone banking"),
    FraudChannel.ATM: N_("ATM"),
    FraudChannel.COUNTER: N_("Counter"),
    FraudChannel.THIRD_PARTY_PAYMENT: N_("Third-party payment"),
    FraudChannel.OTHER: N_("Other"),
}

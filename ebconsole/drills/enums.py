"""Training and drills (plan §6): kinds, audiences, methods, scenarios, ratings."""

from __future__ import annotations

from enum import StrEnum

from ebconsole.i18n import N_


class ExerciseKind(StrEnum):
    TRAINING = "training"
    DRILL = "drill"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    ExerciseKind.TRAINING: N_("Training"),
    ExerciseKind.DRILL: N_("Drill"),
}


class Audience(StrEnum):
    """培训对象."""

    STAFF = "staff"
    MANAGEMENT = "management"
    CUSTOMERS = "customers"
    PARTNERS = "partners"

    @property
    def label(self) -> str:
        return AUDIENCE_LABELS[self]


AUDIENCE_LABELS = {
    Audience.STAFF: N_("E-banking staff"),
    Audience.MANAGEMENT: N_("Management"),
    Audience.CUSTOMERS: N_("Customers"),
    Audience.PARTNERS: N_("Partners"),
}


class Method(StrEnum):
    """培训方式 for training, 演练方式 for drills."""

    ONLINE = "online"
    OFFLINE = "offline"
    LECTURE = "lecture"
    CASE_STUDY = "case_study"
    TABLETOP = "tabletop"
    LIVE = "live"

    @property
    def label(self) -> str:
        return METHOD_LABELS[self]


METHOD_LABELS = {
    Method.ONLINE: N_("Online training"),
    Method.OFFLINE: N_("Offline training"),
    Method.LECTURE: N_("Lecture"),
    Method.CASE_STUDY: N_("Case study"),
    Method.TABLETOP: N_("Tabletop drill"),
    Method.LIVE: N_("Live drill"),
}

METHODS_BY_KIND = {
    ExerciseKind.TRAINING: (Method.ONLINE, Method.OFFLINE, Method.LECTURE, Method.CASE_STUDY),
    ExerciseKind.DRILL: (Method.TABLETOP, Method.LIVE),
}


class Scenario(StrEnum):
    """The simulated situation of a drill."""

    NETWORK_ATTACK = "network_attack"
    SYSTEM_FAILURE = "system_failure"
    NATURAL_DISASTER = "natural_disaster"
    CUSTOMER_COMPLAINT = "customer_complaint"
    CUSTOMER_FRAUD = "customer_fraud"
    OTHER = "other"

    @property
    def label(self) -> str:
        return SCENARIO_LABELS[self]


SCENARIO_LABELS = {
    Scenario.NETWORK_ATTACK: N_("Simulated network attack"),
    Scenario.SYSTEM_FAILURE: N_("Simulated system failure"),
    Scenario.NATURAL_DISASTER: N_("Simulated natural disaster"),
    Scenario.CUSTOMER_COMPLAINT: N_("Simulated customer complaint"),
    Scenario.CUSTOMER_FRAUD: N_("Simulated customer fraud"),
    Scenario.OTHER: N_("Other scenario"),
}


class Rating(StrEnum):
    """The overall verdict of the evaluation (演练评估)."""

    EXCELLENT = "excellent"
    GOOD = "good"
    SATISFACTORY = "satisfactory"
    UNSATISFACTORY = "unsatisfactory"

    @property
    def label(self) -> str:
        return RATING_LABELS[self]


RATING_LABELS = {
    Rating.EXCELLENT: N_("Excellent"),
    Rating.GOOD: N_("Good"),
    Rating.SATISFACTORY: N_("Satisfactory"),
    Rating.UNSATISFACTORY: N_("Unsatisfactory"),
}

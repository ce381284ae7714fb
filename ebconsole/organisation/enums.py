"""The plan's emergency groups (§3), response phases (§4) and responsibility roles."""

from __future__ import annotations

from enum import StrEnum

from ebconsole.i18n import N_


class GroupCode(StrEnum):
    LEADERSHIP = "leadership"
    WORKING = "working"
    SUPPORT = "support"


GROUP_LABELS = {
    GroupCode.LEADERSHIP: N_("Emergency leadership group"),
    GroupCode.WORKING: N_("Emergency working group"),
    GroupCode.SUPPORT: N_("Emergency support group"),
}


class PhaseCode(StrEnum):
    DISCOVERY = "discovery_report"
    ASSESSMENT = "assessment_decision"
    HANDLING = "handling"
    RECOVERY = "recovery"
    REVIEW = "review"


PHASE_LABELS = {
    PhaseCode.DISCOVERY: N_("Discovery and report"),
    PhaseCode.ASSESSMENT: N_("Initial assessment and decision"),
    PhaseCode.HANDLING: N_("Emergency handling"),
    PhaseCode.RECOVERY: N_("Service recovery"),
    PhaseCode.REVIEW: N_("Summary and improvement"),
}


class Responsibility(StrEnum):
    """What a group does in a phase (RACI-like)."""

    LEAD = "lead"
    EXECUTE = "execute"
    SUPPORT = "support"
    INFORMED = "informed"


RESPONSIBILITY_LABELS = {
    Responsibility.LEAD: N_("Leads"),
    Responsibility.EXECUTE: N_("Executes"),
    Responsibility.SUPPORT: N_("Supports"),
    Responsibility.INFORMED: N_("Informed"),
}

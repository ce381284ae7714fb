"""The incident lifecycle as data (plan §4): which status may follow which, and what each
step needs. The service applies it; the UI asks `allowed_transitions` for its buttons.

    reported → assessing → activated → handling → recovering → restored → reviewed
                         ↘ dismissed (no activation, with a reason)
    any open status → out_of_scope (criminal case or terrorism: handed off, with a reason)
    recovering → handling (recovery failed)      restored → handling (reopened, with a reason)
"""

from __future__ import annotations

from dataclasses import dataclass

from ebconsole.i18n import N_
from ebconsole.incidents.enums import Status

S = Status


@dataclass(frozen=True)
class Transition:
    source: Status
    target: Status
    action: str  # English label of the button / command (translate with tr)
    needs_reason: bool = False  # dismissal, hand-off, reopening
    needs_severity: bool = False  # activation needs an assessed severity
    needs_review: bool = False  # closing needs the review's cause and lessons
    reopens: bool = False  # clears restored_at: the incident is handled again


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.REPORTED, S.ASSESSING, N_("Start assessment")),
    Transition(S.REPORTED, S.OUT_OF_SCOPE, N_("Hand off (out of scope)"), needs_reason=True),
    Transition(S.ASSESSING, S.ACTIVATED, N_("Activate the response"), needs_severity=True),
    Transition(S.ASSESSING, S.DISMISSED, N_("Close without activation"), needs_reason=True),
    Transition(S.ASSESSING, S.OUT_OF_SCOPE, N_("Hand off (out of scope)"), needs_reason=True),
    Transition(S.ACTIVATED, S.HANDLING, N_("Start handling")),
    Transition(S.ACTIVATED, S.OUT_OF_SCOPE, N_("Hand off (out of scope)"), needs_reason=True),
    Transition(S.HANDLING, S.RECOVERING, N_("Start recovery")),
    Transition(S.HANDLING, S.OUT_OF_SCOPE, N_("Hand off (out of scope)"), needs_reason=True),
    Transition(S.RECOVERING, S.RESTORED, N_("Service restored")),
    Transition(S.RECOVERING, S.HANDLING, N_("Back to handling")),
    Transition(S.RECOVERING, S.OUT_OF_SCOPE, N_("Hand off (out of scope)"), needs_reason=True),
    Transition(S.RESTORED, S.REVIEWED, N_("Close with review"), needs_review=True),
    Transition(S.RESTORED, S.HANDLING, N_("Reopen"), needs_reason=True, reopens=True),
)

_TABLE: dict[tuple[Status, Status], Transition] = {(t.source, t.target): t for t in TRANSITIONS}


def transition(source: Status, target: Status) -> Transition | None:
    """The rule for source → target, or None when the lifecycle does not allow it."""
    return _TABLE.get((source, target))


def allowed_transitions(status: Status) -> list[Status]:
    """The statuses that may follow `status`, in the table's order."""
    return [t.target for t in TRANSITIONS if t.source is status]


def transitions_from(status: Status) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source is status]


def is_terminal(status: Status) -> bool:
    return not allowed_transitions(status)

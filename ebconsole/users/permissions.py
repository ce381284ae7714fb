"""Who may do what: the one table of roles and permissions, checked by the services.

The roles build on each other: a coordinator may do everything a clerk may, an
administrator everything a coordinator may. The system actor (set-up, migrations, sync
imports, the demo on an empty database) may do everything.

    clerk          record intake (new incidents, corrections and notes on the incidents
                   they may see, the stop-payment and freeze requests the branch makes
                   for a defrauded customer), see their own branch's incidents, print the incident
                   response report of such an incident (customer data masked)
    coordinator    + every branch's incidents, assess, drive the response (lifecycle,
                   owner, review), record obligations,
                   record resource checks, duty roster, training and drills, improvement
                   actions, every report, sync, reveal masked customer data (audited),
                   back up the database
    administrator  + users, responsibility matrix and groups, resource inventory, grading
                   and obligation policy, workstation settings, restore a backup

Services call `authorize(session, Permission.X)` at their top (`require(actor, …)` for
an actor in hand); it raises PermissionDenied naming the action and the role. The console
(`ui/permissions.py`) derives its enabled buttons from the same table, so the two cannot
drift. A read in a session opened without an actor (`db.session(readonly=True)`) is an
internal read (reports gathered for an already-checked operator, tests) and is not
restricted: every operator-facing read passes the operator's actor.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy.orm import Session

from ebconsole.actor import Actor
from ebconsole.errors import PermissionDenied
from ebconsole.i18n import N_
from ebconsole.users.enums import ROLE_LABELS, Role


class Permission(StrEnum):
    # clerk
    VIEW_INCIDENTS = "incidents.view"
    RECORD_INTAKE = "incidents.intake"
    VIEW_PLAN = "plan.view"  # organisation, resources, roster, drills: read
    PRINT_OWN_INCIDENT_REPORT = "reports.own_incident"
    # coordinator
    VIEW_ALL_INCIDENTS = "incidents.all_branches"
    ASSESS = "incidents.assess"
    DRIVE_RESPONSE = "incidents.respond"
    RECORD_OBLIGATIONS = "obligations.record"
    CHECK_RESOURCES = "resources.check"
    MANAGE_ROSTER = "roster.edit"
    MANAGE_DRILLS = "drills.edit"
    MANAGE_IMPROVEMENTS = "improvements.edit"
    PRINT_REPORTS = "reports.generate"
    SYNC = "sync.run"
    REVEAL_CUSTOMER_DATA = "customers.reveal"
    BACK_UP = "backup.create"  # a backup holds every customer's data in clear
    # administrator
    MANAGE_USERS = "users.manage"
    MANAGE_MATRIX = "organisation.edit"
    MANAGE_INVENTORY = "resources.edit"
    MANAGE_POLICY = "assessment.policy"
    MANAGE_SETTINGS = "settings.edit"
    RESTORE_BACKUP = "backup.restore"

    @property
    def label(self) -> str:
        return PERMISSION_LABELS[self]


PERMISSION_LABELS: dict[Permission, str] = {
    Permission.VIEW_INCIDENTS: N_("view incidents"),
    Permission.RECORD_INTAKE: N_("record incident reports"),
    Permission.VIEW_PLAN: N_("view the emergency plan"),
    Permission.PRINT_OWN_INCIDENT_REPORT: N_("print the report of an incident of their branch"),
    Permission.VIEW_ALL_INCIDENTS: N_("see every branch's incidents"),
    Permission.ASSESS: N_("assess incidents"),
    Permission.DRIVE_RESPONSE: N_("drive the emergency response"),
    Permission.RECORD_OBLIGATIONS: N_("record notifications"),
    Permission.CHECK_RESOURCES: N_("record resource checks"),
    Permission.MANAGE_ROSTER: N_("edit the duty roster"),
    Permission.MANAGE_DRILLS: N_("plan and record drills"),
    Permission.MANAGE_IMPROVEMENTS: N_("manage improvement actions"),
    Permission.PRINT_REPORTS: N_("generate reports"),
    Permission.SYNC: N_("exchange data with other sites"),
    Permission.REVEAL_CUSTOMER_DATA: N_("reveal masked customer data"),
    Permission.BACK_UP: N_("back up the database"),
    Permission.MANAGE_USERS: N_("manage users"),
    Permission.MANAGE_MATRIX: N_("edit the responsibility matrix"),
    Permission.MANAGE_INVENTORY: N_("edit the resource inventory"),
    Permission.MANAGE_POLICY: N_("edit the grading policy"),
    Permission.MANAGE_SETTINGS: N_("change workstation settings"),
    Permission.RESTORE_BACKUP: N_("restore the database from a backup"),
}

_CLERK = frozenset(
    {
        Permission.VIEW_INCIDENTS,
        Permission.RECORD_INTAKE,
        Permission.VIEW_PLAN,
        Permission.PRINT_OWN_INCIDENT_REPORT,
    }
)
_COORDINATOR = _CLERK | {
    Permission.VIEW_ALL_INCIDENTS,
    Permission.ASSESS,
    Permission.DRIVE_RESPONSE,
    Permission.RECORD_OBLIGATIONS,
    Permission.CHECK_RESOURCES,
    Permission.MANAGE_ROSTER,
    Permission.MANAGE_DRILLS,
    Permission.MANAGE_IMPROVEMENTS,
    Permission.PRINT_REPORTS,
    Permission.SYNC,
    Permission.REVEAL_CUSTOMER_DATA,
    Permission.BACK_UP,
}
_ADMINISTRATOR = _COORDINATOR | {
    Permission.MANAGE_USERS,
    Permission.MANAGE_MATRIX,
    Permission.MANAGE_INVENTORY,
    Permission.MANAGE_POLICY,
    Permission.MANAGE_SETTINGS,
    Permission.RESTORE_BACKUP,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: _CLERK,
    Role.COORDINATOR: frozenset(_COORDINATOR),
    Role.ADMINISTRATOR: frozenset(_ADMINISTRATOR),
    Role.SYSTEM: frozenset(Permission),
}


def roles_with(permission: Permission) -> frozenset[Role]:
    return frozenset(r for r, perms in ROLE_PERMISSIONS.items() if permission in perms)


def has(who: Actor | Role, permission: Permission) -> bool:
    role = who.role if isinstance(who, Actor) else who
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def denied(actor: Actor, permission: Permission) -> PermissionDenied:
    error = PermissionDenied.one(
        "permission_denied",
        None,
        role_label=ROLE_LABELS[actor.role],
        action_label=PERMISSION_LABELS[permission],
    )
    assert isinstance(error, PermissionDenied)
    return error


def require(actor: Actor | None, permission: Permission) -> None:
    """PermissionDenied (naming the action and the role) unless the actor may do it.

    `None` is an internal read (a session opened without an actor): not restricted."""
    if actor is None:
        return
    if not has(actor, permission):
        raise denied(actor, permission)


def require_any(actor: Actor | None, permissions: Iterable[Permission]) -> None:
    wanted = list(permissions)
    if actor is None or any(has(actor, p) for p in wanted):
        return
    raise denied(actor, wanted[0])


def session_actor(session: Session) -> Actor | None:
    """The session's actor, or None for an internal read-only session."""
    actor = session.info.get("actor")
    return actor if isinstance(actor, Actor) else None


def authorize(session: Session, permission: Permission) -> Actor | None:
    """`require` for the session's actor; the usual first line of a service function.

    A write session always has an actor (the audit hook insists), so writes are always
    checked."""
    actor = session_actor(session)
    require(actor, permission)
    return actor


# -- incidents: which a clerk may see --------------------------------------------------------
def sees_all_incidents(actor: Actor | None) -> bool:
    return actor is None or has(actor, Permission.VIEW_ALL_INCIDENTS)


def may_see_incident(actor: Actor | None, branch: str | None, created_by: str | None) -> bool:
    """Every incident for coordinators and administrators; for a clerk those of their own
    branch and those they recorded themselves."""
    if sees_all_incidents(actor):
        return True
    assert actor is not None
    if not has(actor, Permission.VIEW_INCIDENTS):
        return False
    if actor.branch and branch == actor.branch:
        return True
    return bool(created_by) and created_by == actor.username[:40]


def may_see_branch(actor: Actor, branch: str | None) -> bool:
    """A clerk works on their own branch only; coordinators and administrators on all."""
    if sees_all_incidents(actor):
        return True
    return bool(branch) and branch == actor.branch

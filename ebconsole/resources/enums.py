"""Kinds of emergency reserves (plan §5) and their readiness."""

from __future__ import annotations

from enum import StrEnum

from ebconsole.i18n import N_


class ResourceKind(StrEnum):
    BACKUP_SYSTEM = "backup_system"
    TECHNICAL_TEAM = "technical_team"
    MONITORING = "monitoring"
    SPARE_EQUIPMENT = "spare_equipment"
    EMERGENCY_SUPPLIES = "emergency_supplies"
    BACKUP_MEDIA = "backup_media"
    LOGISTICS = "logistics"
    OTHER_CONTACT = "other_contact"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    ResourceKind.BACKUP_SYSTEM: N_("Backup system / backup centre"),
    ResourceKind.TECHNICAL_TEAM: N_("Emergency technical team"),
    ResourceKind.MONITORING: N_("Monitoring and early-warning system"),
    ResourceKind.SPARE_EQUIPMENT: N_("Spare equipment"),
    ResourceKind.EMERGENCY_SUPPLIES: N_("Emergency supplies"),
    ResourceKind.BACKUP_MEDIA: N_("Backup media"),
    ResourceKind.LOGISTICS: N_("Transport and logistics"),
    ResourceKind.OTHER_CONTACT: N_("Other contacts"),
}


class ResourceStatus(StrEnum):
    READY = "ready"
    DEGRADED = "degraded"
    UNAVAILABLE = "unavailable"
    IN_USE = "in_use"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    ResourceStatus.READY: N_("Ready for use"),
    ResourceStatus.DEGRADED: N_("Degraded"),
    ResourceStatus.UNAVAILABLE: N_("Unavailable"),
    ResourceStatus.IN_USE: N_("In use"),
}

"""The six reports' titles (English source, translated on display).

Here, not in the builder modules, so that the registry and the console's Reports tab can
name the reports without importing a builder (and reportlab with it)."""

from __future__ import annotations

from ebconsole.i18n import N_

INCIDENT = N_("Incident response report")
STATUS = N_("E-banking emergency status report")
MATRIX = N_("Responsibility matrix and emergency contacts")
RESOURCES = N_("Emergency resource inventory and checks")
DRILLS = N_("Training and drill report")
REVIEW = N_("Post-incident review report")

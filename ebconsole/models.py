"""Imports every aggregate's models so the metadata (and Alembic) sees all tables."""

import ebconsole.assessment.models
import ebconsole.audit.models
import ebconsole.drills.models
import ebconsole.improvements.models
import ebconsole.incidents.models
import ebconsole.obligations.models
import ebconsole.organisation.models
import ebconsole.resources.models
import ebconsole.roster.models
import ebconsole.sync.models
import ebconsole.users.models  # noqa: F401
from ebconsole.db.base import Base

__all__ = ["Base"]

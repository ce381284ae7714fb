from __future__ import annotations

from ebconsole.assessment.schemas import PolicyInput

__all__ = ["PolicyInput"]

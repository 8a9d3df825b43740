"""The reference backup appliance: ``create_app(settings)`` over a domain core with two faces."""

from __future__ import annotations

from harness.appliance.app import create_app
from harness.appliance.settings import ApplianceSettings

__all__ = ["ApplianceSettings", "create_app"]

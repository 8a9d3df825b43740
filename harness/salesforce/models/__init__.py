"""The fake Salesforce's state and rules, with no HTTP in sight."""

from __future__ import annotations

from harness.salesforce.models.clock import Clock
from harness.salesforce.models.state import SalesforceState

__all__ = ["Clock", "SalesforceState"]

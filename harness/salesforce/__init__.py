"""The fake Salesforce: orgs, users, external client apps, OAuth, identity, REST and metadata reads.

Use ``create_app(SalesforceBackend(seed))`` to get an ASGI app; drive its state through
``/__harness`` (see ``harness/README.md``) or the backend's methods in-process.
"""

from __future__ import annotations

from harness.salesforce.app import create_app
from harness.salesforce.backend import SalesforceBackend

__all__ = ["SalesforceBackend", "create_app"]

"""The appliance's domain core: wizard, connections, policies, backups and their store.

Both faces (the JSON API and the HTML pages) call only :class:`Appliance` from ``appliance.py``.
"""

from __future__ import annotations

from harness.appliance.core.appliance import Appliance

__all__ = ["Appliance"]

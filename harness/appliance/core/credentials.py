"""The one home of app credentials: consumer key and sealed consumer secret, written once when entered.

Rules served: PURPOSE (the app's consumer key and secret are what authorize the appliance at Salesforce)
and docs/design.md "The reference appliance" (secrets are encrypted at rest and never shown back). The
wizard, authorization attempts and orgs keep only an app id. ``secret`` is the one place a consumer
secret is decrypted.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.appliance.core.clock import ApplianceClock
from harness.appliance.core.crypto import SecretBox
from harness.appliance.core.errors import InvalidInput
from harness.appliance.core.store import Store


@dataclass(frozen=True)
class AppCredentials:
    """An app as the appliance uses it at Salesforce; only the token calls ever see ``secret``."""

    app_id: int
    consumer_key: str
    secret: str


def require_credentials(consumer_key: str, consumer_secret: str) -> tuple[str, str]:
    key, secret = (consumer_key or "").strip(), (consumer_secret or "").strip()
    if not key or not secret:
        raise InvalidInput("Enter both the Consumer Key and the Consumer Secret.")
    if len(key) > 255 or len(secret) > 255 or any(c.isspace() for c in key + secret):
        raise InvalidInput("The Consumer Key and Consumer Secret are single words without spaces.")
    return key, secret


class Credentials:
    """App records: ``add`` once per entry, then referred to by id; rows are never rewritten."""

    def __init__(self, store: Store, box: SecretBox, clock: ApplianceClock) -> None:
        self.store, self._box, self.clock = store, box, clock

    def add(self, consumer_key: str, consumer_secret: str) -> int:
        """Validates and seals what the administrator entered; returns the new app's id."""
        key, secret = require_credentials(consumer_key, consumer_secret)
        row = {"consumer_key": key, "consumer_secret_enc": self._box.seal(secret), "created_at": self.clock.now()}
        return int(self.store.add("apps", row))

    def consumer_key(self, app_id: int | None) -> str | None:
        row = self.store.get("apps", app_id) if app_id is not None else None
        return str(row["consumer_key"]) if row else None

    def consumer_keys(self) -> dict[int, str]:
        """Every app's consumer key by id, in one query (for tables of orgs)."""
        return {int(row["id"]): str(row["consumer_key"]) for row in self.store.rows("apps")}

    def secret(self, app_id: int) -> AppCredentials:
        """The app with its secret opened: the only decryption of a consumer secret in the appliance."""
        row = self.store.get("apps", app_id)
        if row is None:
            raise InvalidInput("Enter the Consumer Key and Consumer Secret again.")
        return AppCredentials(app_id, str(row["consumer_key"]), self._box.open(row["consumer_secret_enc"]))

    def same(self, app_id: int | None, consumer_key: str, consumer_secret: str) -> bool:
        """True when the entry repeats the app already stored (so a connection made with it stays valid)."""
        if app_id is None or self.store.get("apps", app_id) is None:
            return False
        stored = self.secret(app_id)
        return (stored.consumer_key, stored.secret) == require_credentials(consumer_key, consumer_secret)

"""Faker-made values for one scenario, seeded from the run seed and the scenario's id.

Every org, user, app name and secret a scenario uses comes from here, so a run can be replayed
with ``--faker-seed`` and the values end up in the report as evidence.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from faker import Faker

# The layer is the last parameter of a scenario's node id: ``test_x[api]`` or ``test_x[Daily-ui]``.
_LAYER_PARAM = re.compile(r"(?:\[(?:api|ui)\]|-(?:api|ui)\])$")


def without_layer(scenario_id: str) -> str:
    """The scenario's id with the layer left out, so both layers of one scenario share it."""
    return _LAYER_PARAM.sub(lambda m: "" if m.group(0).startswith("[") else "]", scenario_id)


def scenario_seed(run_seed: int, scenario_id: str) -> int:
    """One seed per scenario and run seed; the ``[api]`` and ``[ui]`` runs of a scenario get the same one,
    so both layers act on the same generated data and must end in the same state."""
    digest = hashlib.sha256(f"{run_seed}:{without_layer(scenario_id)}".encode()).digest()
    return int.from_bytes(digest[:6], "big")


class ScenarioData:
    """Generates and remembers the values one scenario used."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.faker = Faker()
        self.faker.seed_instance(seed)
        self.values: dict[str, Any] = {}
        # Ids of the Salesforce apps the scenario made, for the end-of-scenario snapshot.
        self.app_ids: list[str] = []

    def remember(self, key: str, value: Any) -> Any:
        self.values[key] = value
        return value

    def org_name(self) -> str:
        word = self.faker.unique.word().lower()
        return self.remember(f"org:{word}", f"{word}{self.faker.random_int(10, 99)}")

    def user(self, org_name: str) -> dict[str, Any]:
        first, last = self.faker.first_name(), self.faker.last_name()
        user = {
            "first_name": first,
            "last_name": last,
            "username": f"{first}.{last}@{org_name}.example.com".lower(),
            "email": self.faker.email(),
            "password": self.faker.password(length=14, special_chars=True),
        }
        self.remember(f"user:{user['username']}", {k: v for k, v in user.items() if k != "password"})
        return user

    def app_name(self) -> str:
        name = f"Backup {self.faker.unique.color_name()} {self.faker.random_int(100, 999)}"
        return self.remember(f"app:{name}", name)

    def administrator(self) -> tuple[str, str]:
        username = self.faker.user_name()
        password = self.faker.password(length=12, special_chars=True, upper_case=True, lower_case=True)
        self.remember("appliance_admin", username)
        return username, password

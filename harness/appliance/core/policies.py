"""Backup policies and their runs: the default policy created by the wizard, Run now, history.

Rules served: PURPOSE - the app authorizes access to the one org the default backup policy protects;
docs/salesforce-facts.md 1.2 - the default policy protects one org with the chosen schedule, files and attachments off,
objects kept 1 year; built-in schedules Hourly (top of every hour), Daily (00:00 UTC) and Weekly
(Sunday 00:00 UTC). A backup of a connection that needs re-authorization fails at once with that reason.
A run is saved as "Running" before it starts; a run still "Running" when the appliance starts again was
cut short by the stop and is marked "Interrupted" with the reason, never left running.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from harness.appliance.core.backup_job import BackupJob
from harness.appliance.core.clock import ApplianceClock
from harness.appliance.core.connections import Connections, ConnectionUnusable
from harness.appliance.core.errors import InvalidInput, NotFound
from harness.appliance.core.salesforce_client import NetworkFault, SalesforceError
from harness.appliance.core.store import Store

DEFAULT_POLICY_NAME = "Default backup policy"
RUNNING = "Running"
INTERRUPTED = "Interrupted"


def next_run(schedule: str, now: float) -> float:
    moment = dt.datetime.fromtimestamp(now, dt.UTC)
    if schedule == "Hourly":
        start = moment.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    else:
        start = moment.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
        if schedule == "Weekly":
            start += dt.timedelta(days=(6 - start.weekday()) % 7)  # weekday() 6 is Sunday
    return start.timestamp()


class Policies:
    def __init__(self, store: Store, clock: ApplianceClock, connections: Connections, job: BackupJob) -> None:
        self.store, self.clock, self.connections, self.job = store, clock, connections, job

    def create_default(self, org_id: str, schedule: str) -> dict[str, Any]:
        if any(p["org_id"] == org_id for p in self.store.rows("policies")):
            raise InvalidInput(f"The organization {org_id} is already protected by a backup policy.")
        policy_id = self.store.add(
            "policies",
            {
                "name": DEFAULT_POLICY_NAME,
                "org_id": org_id,
                "schedule": schedule,
                "files_and_attachments": False,
                "retention": "1 year",
                "next_run_at": next_run(schedule, self.clock.now()),
            },
        )
        return self.get(policy_id)

    def get(self, policy_id: int) -> dict[str, Any]:
        row = self.store.get("policies", policy_id)
        if row is None:
            raise NotFound(f"There is no backup policy {policy_id}.")
        return row

    def all(self) -> list[dict[str, Any]]:
        return self.store.rows("policies")

    def runs(self, policy_id: int) -> list[dict[str, Any]]:
        self.get(policy_id)
        return self.store.rows("runs", policy_id=policy_id)

    def run_now(self, policy_id: int, trigger: str = "manual") -> dict[str, Any]:
        policy = self.get(policy_id)
        run_id = self.store.add(
            "runs",
            {
                "policy_id": policy_id,
                "org_id": policy["org_id"],
                "trigger": trigger,
                "started_at": self.clock.now(),
                "status": RUNNING,
                "reason": "",
                "objects": {},
            },
        )
        self.store.change("runs", run_id, **self._execute(policy, run_id), finished_at=self.clock.now())
        return self.store.get("runs", run_id) or {}

    def _execute(self, policy: dict[str, Any], run_id: int) -> dict[str, Any]:
        try:
            tokens = self.connections.access(policy["org_id"])
        except ConnectionUnusable as exc:
            return {"status": "Failed", "reason": f"{exc.status}: {exc.reason}"}
        try:
            result = self.job.run(policy["org_id"], run_id, tokens)
        except (SalesforceError, NetworkFault) as exc:
            return {"status": "Failed", "reason": f"The backup stopped: {exc}"}
        except OSError as exc:  # a full or read-only disk ends the run with its reason, never a 500
            return {"status": "Failed", "reason": f"The backup could not be saved: {exc.strerror or exc}"}
        status = "Warning" if result.skipped else "Success"
        reason = (
            f"Skipped {len(result.skipped)} objects: {', '.join(result.skipped)}" if result.skipped else ""
        )
        return {"status": status, "reason": reason, "objects": result.counts, "snapshot": str(result.path)}

    def mark_interrupted(self) -> int:
        """At start-up: a run left "Running" belongs to a process that stopped; say so."""
        now = self.clock.now()
        stamp = dt.datetime.fromtimestamp(now, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        reason = (f"Interrupted: the appliance stopped while this backup was running (restarted at {stamp}). "
                  "Nothing from this run was kept; run the backup again.")
        return self.store.change_where("runs", {"status": RUNNING}, status=INTERRUPTED, reason=reason,
                                       finished_at=now)

    def run_due(self) -> list[dict[str, Any]]:
        """Runs every policy whose schedule time has come (called when the harness clock moves)."""
        done = []
        for policy in self.all():
            if policy["next_run_at"] is not None and policy["next_run_at"] <= self.clock.now():
                done.append(self.run_now(policy["id"], trigger="schedule"))
                self.store.change(
                    "policies", policy["id"], next_run_at=next_run(policy["schedule"], self.clock.now())
                )
        return done

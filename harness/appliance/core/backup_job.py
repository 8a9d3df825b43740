"""One backup: Salesforce REST versions, describe global, describe each object, query with paging.

Rule served: PURPOSE - what the app's credentials are for: the appliance reads the org's data with the
access token it obtains from the refresh token. Files and attachments are off in the default policy
(docs/salesforce-facts.md 1.2), so binary (base64) fields and the file objects are left out. The snapshot is JSON under
``data_dir/backups/<org id>/``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from harness.appliance.core.salesforce_client import SalesforceClient, SalesforceError, Tokens

FILE_OBJECTS = frozenset({"Attachment", "ContentVersion", "ContentDocument", "Document"})
MAX_OBJECTS = 200  # a guard for huge orgs; the fake's orgs are small


@dataclass
class JobResult:
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    path: Path | None = None


class BackupJob:
    def __init__(self, client: SalesforceClient, data_dir: Path) -> None:
        self.client, self.data_dir = client, data_dir

    def run(self, org_id: str, run_id: int, tokens: Tokens) -> JobResult:
        get = _getter(self.client, tokens)
        base = _latest_version_url(get("/services/data/"))
        described = get(f"{base}/sobjects").get("sobjects", [])
        names = [o["name"] for o in described if o.get("queryable", True) and o["name"] not in FILE_OBJECTS]
        result, data = JobResult(), {}
        for name in names[:MAX_OBJECTS]:
            try:
                data[name] = self._object(get, base, name)
            except SalesforceError as exc:
                if exc.status == 401:
                    raise
                result.skipped.append(name)
                continue
            result.counts[name] = len(data[name])
        result.path = self._write(org_id, run_id, data)
        return result

    def _object(self, get: Any, base: str, name: str) -> list[dict[str, Any]]:
        fields = [
            f["name"]
            for f in get(f"{base}/sobjects/{name}/describe").get("fields", [])
            if f.get("type") not in ("base64", "address", "location")
        ]
        page = get(f"{base}/query?q=" + quote(f"SELECT {','.join(fields or ['Id'])} FROM {name}"))
        records = list(page.get("records", []))
        while not page.get("done", True) and page.get("nextRecordsUrl"):
            page = get(page["nextRecordsUrl"])
            records.extend(page.get("records", []))
        return [{k: v for k, v in r.items() if k != "attributes"} for r in records]

    def _write(self, org_id: str, run_id: int, data: dict[str, Any]) -> Path:
        folder = self.data_dir / "backups" / org_id
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / f"run-{run_id}.json"
        # The org's records: readable by the owner only, like every file the appliance keeps.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
            handle.write(json.dumps({"org_id": org_id, "objects": data}, indent=1, default=str))
        return path


def _getter(client: SalesforceClient, tokens: Tokens) -> Any:
    def get(path: str) -> Any:
        return client.rest_get(tokens.instance_url, path, tokens.access_token)

    return get


def _latest_version_url(versions: Any) -> str:
    if not isinstance(versions, list) or not versions:
        raise SalesforceError("no_api_versions", "the org lists no REST API versions", 200)
    latest = max(versions, key=lambda v: float(v.get("version", 0)))
    return str(latest.get("url") or f"/services/data/v{latest['version']}")

"""An org's records are made when first read, and are the same records whenever that is.

Rule served: creating an org is cheap (most scenarios never read its records), yet the world stays
deterministic: the records' ids are drawn at creation from the fake's id stream and their values
from a Faker seeded by the org, so reading them early or late, or after a restart, changes nothing.
"""

from __future__ import annotations

import json

from harness.salesforce import SalesforceBackend
from harness.salesforce.models.persistence import Snapshots


def _two_orgs(read_first_early: bool) -> tuple[SalesforceBackend, dict, dict]:
    backend = SalesforceBackend(seed=11)
    first = backend.state.create_org({"name": "early"})
    early = backend.state.orgs[first["id"]].records if read_first_early else None
    second = backend.state.create_org({"name": "late"})
    backend.state.create_user(second["id"], {})
    records = backend.state.orgs[first["id"]].records
    assert early is None or early == records
    return backend, first, second


def test_creating_an_org_makes_no_record_values_until_they_are_read() -> None:
    backend = SalesforceBackend(seed=11)
    org = backend.state.orgs[backend.state.create_org({"name": "unread"})["id"]]
    assert org.pending_records is not None and org.made_records == {}
    assert sum(len(rows) for rows in org.records.values()) > 0
    assert org.pending_records is None


def test_records_read_late_are_the_records_read_early_and_no_later_id_moves() -> None:
    early_backend, early_first, early_second = _two_orgs(read_first_early=True)
    late_backend, late_first, late_second = _two_orgs(read_first_early=False)
    assert early_first["id"] == late_first["id"] and early_second["id"] == late_second["id"]
    assert early_backend.state.orgs[early_first["id"]].records == late_backend.state.orgs[late_first["id"]].records
    assert list(early_backend.state.users) == list(late_backend.state.users)


def test_a_snapshot_holds_records_never_read_and_a_restart_serves_them(tmp_path) -> None:
    first = SalesforceBackend(seed=5)
    org_id = first.state.create_org({"name": "kept"})["id"]
    Snapshots(first, tmp_path / "salesforce.json").save()
    saved = json.loads((tmp_path / "salesforce.json").read_text())
    assert saved["orgs"][org_id]["made_records"], "the file holds the records as data"
    second = SalesforceBackend(seed=1)
    assert Snapshots(second, tmp_path / "salesforce.json").load()
    assert second.state.orgs[org_id].records == first.state.orgs[org_id].records


def test_a_snapshot_written_before_records_were_lazy_still_restores_them(tmp_path) -> None:
    first = SalesforceBackend(seed=5)
    org_id = first.state.create_org({"name": "older"})["id"]
    expected = first.state.orgs[org_id].records
    Snapshots(first, tmp_path / "salesforce.json").save()
    older = json.loads((tmp_path / "salesforce.json").read_text())
    older["orgs"][org_id]["records"] = older["orgs"][org_id].pop("made_records")  # the earlier field name
    (tmp_path / "salesforce.json").write_text(json.dumps(older))
    second = SalesforceBackend(seed=1)
    assert Snapshots(second, tmp_path / "salesforce.json").load()
    assert second.state.orgs[org_id].records == expected


def test_a_reset_world_makes_the_values_a_new_fake_would_though_it_keeps_its_fakers() -> None:
    used = SalesforceBackend(seed=3)
    org = used.state.create_org({})  # the fake picks the name: its Faker is built and drawn from
    used.state.create_app(org["id"], {"oauth_enabled": False})
    _ = used.state.orgs[org["id"]].records
    kept = used.state.fake
    used.reset(9)
    assert used.state.fake is kept, "the reset took the Faker over instead of building one"
    fresh = SalesforceBackend(seed=9)
    for backend in (used, fresh):
        made = backend.state.create_org({})
        backend.state.create_user(made["id"], {})
        backend.state.create_app(made["id"], {"oauth_enabled": False})
    assert [o.to_dict() for o in used.state.orgs.values()] == [o.to_dict() for o in fresh.state.orgs.values()]
    assert [u.to_dict(with_password=True) for u in used.state.users.values()] == [
        u.to_dict(with_password=True) for u in fresh.state.users.values()]
    assert [a.to_dict() for a in used.state.apps.values()] == [a.to_dict() for a in fresh.state.apps.values()]
    assert [o.records for o in used.state.orgs.values()] == [o.records for o in fresh.state.orgs.values()]

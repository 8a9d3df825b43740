from __future__ import annotations

from harness.drivers.snapshot import Placeholders


def test_ids_and_keys_become_placeholders_in_order_of_appearance() -> None:
    marks = Placeholders()
    marks.add("00D000000000001AAA", "org")
    marks.add("3MVGkey", "key")
    marks.add("00D000000000002AAA", "org")
    marks.add("00D000000000001AAA", "org")  # seen before: keeps its number
    tree = {"org_id": "00D000000000002AAA", "app": "3MVGkey",
            "message": "Connected to Salesforce organization 00D000000000001AAA."}
    assert marks.tree(tree) == {"app": "<key-1>", "message": "Connected to Salesforce organization <org-1>.",
                                "org_id": "<org-2>"}


def test_values_that_differ_per_run_are_left_out_and_settings_stay() -> None:
    app = {"id": "0xA1", "consumer_secret": "s", "created_at": 1.5, "refresh_token": "t", "state": "x",
           "require_secret_web_server": True, "require_secret_refresh": False, "refresh_token_rotation": False,
           "grants": [{"refresh_token_active": True, "issued_at": 3, "user_id": "u"}]}
    assert Placeholders().tree(app) == {
        "grants": [{"refresh_token_active": True, "user_id": "u"}], "refresh_token_rotation": False,
        "require_secret_refresh": False, "require_secret_web_server": True}


def test_the_same_state_gives_the_same_snapshot_whatever_the_ids() -> None:
    def normalized(org_id: str, key: str) -> object:
        marks = Placeholders()
        marks.add(org_id, "org")
        marks.add(key, "key")
        return marks.tree({"orgs": [{"org_id": org_id, "app": key, "status": "Connected"}]})

    assert normalized("00DAAA", "3MVGa") == normalized("00DBBB", "3MVGb")
    assert normalized("00DAAA", "3MVGa") != Placeholders().tree({"orgs": [{"org_id": "00DAAA", "app": "3MVGa",
                                                                             "status": "Connected"}]})

from __future__ import annotations

from harness.scenario_data import ScenarioData, scenario_seed


def test_the_same_run_seed_and_scenario_give_the_same_values() -> None:
    first, second = ScenarioData(scenario_seed(7, "a::b[api]")), ScenarioData(scenario_seed(7, "a::b[api]"))
    assert (first.org_name(), first.user("x")) == (second.org_name(), second.user("x"))


def test_scenarios_and_runs_get_their_own_seeds() -> None:
    assert scenario_seed(7, "a[api]") != scenario_seed(7, "a[ui]")
    assert scenario_seed(7, "a[api]") != scenario_seed(8, "a[api]")


def test_values_used_are_remembered_without_passwords() -> None:
    data = ScenarioData(1)
    user = data.user("acme")
    assert user["password"] not in str(data.values)
    assert any(user["username"] in key for key in data.values)


def test_appliance_administrator_password_meets_the_appliance_rules() -> None:
    for seed in range(30):
        _, password = ScenarioData(seed).administrator()
        assert len(password) >= 8
        assert any(c.isupper() for c in password) and any(c.islower() for c in password)
        assert any(not c.isalnum() for c in password)

from __future__ import annotations

from harness.pytest.scenario_data import ScenarioData, scenario_seed, without_layer


def test_the_same_run_seed_and_scenario_give_the_same_values() -> None:
    first, second = ScenarioData(scenario_seed(7, "a::b[api]")), ScenarioData(scenario_seed(7, "a::b[api]"))
    assert (first.org_name(), first.user("x")) == (second.org_name(), second.user("x"))


def test_both_layers_of_a_scenario_share_its_seed() -> None:
    assert scenario_seed(7, "f.feature::t[api]") == scenario_seed(7, "f.feature::t[ui]")
    assert scenario_seed(7, "f.feature::t[Daily-api]") == scenario_seed(7, "f.feature::t[Daily-ui]")


def test_scenarios_examples_and_runs_get_their_own_seeds() -> None:
    assert scenario_seed(7, "f.feature::t[api]") != scenario_seed(7, "f.feature::u[api]")
    assert scenario_seed(7, "f.feature::t[Daily-api]") != scenario_seed(7, "f.feature::t[Weekly-api]")
    assert scenario_seed(7, "f.feature::t[api]") != scenario_seed(8, "f.feature::t[api]")


def test_only_the_layer_parameter_is_left_out() -> None:
    assert without_layer("f::t[api]") == "f::t"
    assert without_layer("f::t[https://172.12.0.1:8443-ui]") == "f::t[https://172.12.0.1:8443]"
    assert without_layer("f::t[rapid-api-x]") == "f::t[rapid-api-x]"


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

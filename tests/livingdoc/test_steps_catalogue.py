"""`harness docs steps`: descriptions read as written, and each parameter says which values it takes.

Rule served: the step catalogue lets a writer compose a scenario without reading Python
(docs/design.md section 6).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.livingdoc import steps_catalogue
from steps import STEP_MODULES
from steps.parameter_values import parameter_values

ROOT = Path(__file__).resolve().parents[2]
SWITCH = "an external client app set up as the guide asks, but with \"{label}\" {state}"


@pytest.fixture(scope="module")
def entries() -> list[steps_catalogue.StepEntry]:
    return steps_catalogue.catalogue(STEP_MODULES, ROOT / "features", parameter_values())


def test_descriptions_are_printed_as_written(entries: list[steps_catalogue.StepEntry]) -> None:
    (switch,) = [e for e in entries if e.pattern == SWITCH]
    assert switch.summary == "One Setup switch (by its label) turned on or off; everything else as the guide asks."
    assert "about:      One Setup switch (by its label)" in steps_catalogue.render(entries)


def test_every_parameter_says_which_values_it_takes(entries: list[steps_catalogue.StepEntry]) -> None:
    (switch,) = [e for e in entries if e.pattern == SWITCH]
    assert switch.values["state"] == '"on" or "off"'
    assert '"Require Secret for Web Server Flow"' in switch.values["label"] and "letter case" in switch.values["label"]
    undescribed = [(e.pattern, p) for e in entries for p in e.parameters if p.split(":")[0] not in e.values]
    assert undescribed == []


def test_json_carries_descriptions_and_values(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert steps_catalogue.main(type("Args", (), {"json": True, "features": None})()) == 0
    steps = json.loads(capsys.readouterr().out)["steps"]
    (switch,) = [s for s in steps if s["pattern"] == SWITCH]
    assert switch["summary"].startswith("One Setup switch") and switch["values"]["state"] == '"on" or "off"'

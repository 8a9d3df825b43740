"""Allure results through allure-pytest-bdd: steps, tables, layers, statement labels, seed, screenshots, traces.

Rule served: "Reports from one run" (docs/design.md section 6), read by Allure. A tiny pytest-bdd
project runs once in a temporary folder with ``--alluredir``; its "page" is a stand-in whose
``screenshot`` writes a file, and its trace is a small zip, so no browser is needed. When the Allure
Report command is installed (package.json), the results are also turned into a report.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FEATURE = """\
@CALLBACK
Feature: Widgets
  Scenario: The checklist names every part
    Given a widget
    And the widget is "blue"
    Then the checklist asks for:
      | part   |
      | lid    |
"""
TESTS = """\
import zipfile
import pytest
from pytest_bdd import given, parsers, scenarios, then

scenarios("widgets.feature")


class Page:
    def screenshot(self, path, full_page):
        with open(path, "wb") as f:
            f.write(b"png")


class Data:
    seed = 4242
    values = {"org_name": "Acme"}


@pytest.fixture(params=["api", "ui"], autouse=True)
def layer(request):
    return request.param


@pytest.fixture
def scenario_data():
    return Data()


@pytest.fixture
def page(request, tmp_path):
    yield Page()
    trace = tmp_path / "trace.zip"
    with zipfile.ZipFile(trace, "w") as archive:
        archive.writestr("trace.trace", "{}")
    request.node.user_properties.append(("playwright_trace", str(trace)))


@pytest.fixture
def admin_password():
    return "s3cret-Pa55"


@given("a widget")
def _(scenario_data, layer, request):
    if layer == "ui":
        request.getfixturevalue("page")


@given(parsers.parse('the widget is "{colour}"'))
def _(colour, admin_password):
    pass


@then("the checklist asks for:")
def _(datatable, layer):
    assert [row[0] for row in datatable] == ["part", "lid"]
    assert layer == "api", "the ui layer fails here"
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project run once for the module, in its own process: Allure's hooks are process-wide, so an
    outer run with ``--alluredir`` (``make test``) must not receive this run's labels and files."""
    project = tmp_path_factory.mktemp("allure_project")
    (project / "widgets.feature").write_text(FEATURE, encoding="utf-8")
    (project / "test_widgets.py").write_text(TESTS, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "harness.pytest.evidence",
                           "-p", "harness.pytest.allure_results", "-p", "no:playwright",
                           "-p", "no:cacheprovider", "-p", "no:randomly", "-c", os.devnull, "--rootdir", str(project),
                           "--evidence", "reports/evidence.json", "--alluredir", "reports/allure-results"],
                          cwd=project, capture_output=True, text=True, timeout=300, check=False)
    assert "1 failed, 1 passed" in done.stdout, done.stdout + done.stderr
    return project / "reports" / "allure-results"


def _tests(results: Path) -> dict[str, dict[str, object]]:
    found = [json.loads(p.read_text(encoding="utf-8")) for p in results.glob("*-result.json")]
    return {next(p["value"] for p in t["parameters"] if p["name"] == "layer"): t for t in found}


def test_each_layer_is_a_test_with_steps_table_labels_and_seed(results: Path) -> None:
    tests = _tests(results)
    assert set(tests) == {"'api'", "'ui'"}
    assert {tests["'api'"]["status"], tests["'ui'"]["status"]} == {"passed", "failed"}
    for test in tests.values():
        assert [s["name"] for s in test["steps"]] == ["Given a widget", 'And the widget is "blue"',
                                                      "Then the checklist asks for:"]
        # the sentence's own argument is a parameter; the fixture beside it (a password) is not
        assert test["steps"][1]["parameters"] == [{"name": "colour", "value": "'blue'"}]
        (table,) = test["steps"][2]["attachments"]
        assert table["name"] == "Data table"
        assert (results / table["source"]).read_text(encoding="utf-8").split() == ["part", "lid"]
        assert {"name": "statement", "value": "CALLBACK"} in test["labels"]
        seed = next(p for p in test["parameters"] if p["name"] == "faker seed")
        assert seed["value"] == "4242" and seed["excluded"] is True


def test_no_fixture_value_reaches_the_results(results: Path) -> None:
    assert [p.name for p in results.iterdir() if "s3cret-Pa55" in p.read_text(encoding="utf-8", errors="replace")] == []


def test_screenshots_and_the_trace_are_attached(results: Path) -> None:
    ui = _tests(results)["'ui'"]
    names = [a["name"] for a in ui["attachments"]]
    assert "screenshot after step 3: Then the checklist asks for:" in names
    assert "Playwright trace (playwright show-trace)" in names
    for attachment in ui["attachments"]:
        assert (results / attachment["source"]).is_file()
    assert not [a for a in _tests(results)["'api'"].get("attachments", []) if a["name"].startswith("screenshot")]


def test_the_allure_report_is_generated(results: Path, tmp_path: Path) -> None:
    allure = ROOT / "node_modules" / ".bin" / "allure"
    if shutil.which("node") is None or not allure.is_file():
        pytest.fail("Allure Report is not installed: run `make setup` (npm ci in the project root)")
    report = tmp_path / "allure-report"
    done = subprocess.run([str(allure), "generate", str(results), "--output", str(report)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (report / "index.html").is_file()

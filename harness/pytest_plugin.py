"""pytest plumbing: options, session servers, per-scenario isolation, layers and evidence.

Fixture scopes follow cost: the virtual network, the servers and the browser live for the session;
the HTTP client, the browser context, the Faker data and the server state are per scenario.
Each Gherkin scenario runs once per layer (``[api]`` and ``[ui]``) unless a tag limits it.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

from harness.browser import ensure_chromium
from harness.drivers.api import ApiAdministrator
from harness.drivers.control import ApplianceControl, SalesforceControl
from harness.drivers.protocol import Administrator
from harness.embedded import (
    APPLIANCE_URL,
    LEGACY_APPLIANCE_URL,
    EmbeddedReference,
    ReferenceAccess,
    RunningReference,
)
from harness.scenario_data import ScenarioData, scenario_seed

LAYERS = ("api", "ui")
_EVIDENCE: dict[str, dict[str, Any]] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("harness")
    group.addoption("--layer", choices=("api", "ui", "both"), default="both",
                    help="run scenarios through the API driver, the browser driver, or both (default)")
    group.addoption("--faker-seed", type=int, default=None,
                    help="run seed for Faker; printed at start so a run can be replayed")
    group.addoption("--reference", default=None, metavar="PATH",
                    help="run against a reference started elsewhere (`harness serve` writes PATH, "
                         "reference.json); default: start the embedded reference in this process")
    group.addoption("--evidence", default=None,
                    help="write evidence (Faker values, screenshots, layers) as JSON to this path")


def pytest_configure(config: pytest.Config) -> None:
    seed = config.getoption("--faker-seed")
    config.stash[_RUN_SEED] = seed if seed is not None else random.SystemRandom().randrange(1, 2**31)
    described = config.getoption("--reference")
    if described:
        try:  # checked before collection, so a wrong path is one clear error, not a failure per test
            config.stash[_RUNNING] = RunningReference.load(Path(described))
        except ValueError as exc:
            raise pytest.UsageError(str(exc)) from None
    for statement in _statement_ids():
        config.addinivalue_line("markers", f"{statement}: verifies documented statement {statement}")


_RUN_SEED = pytest.StashKey[int]()
_RUNNING = pytest.StashKey[ReferenceAccess]()


def _statement_ids() -> list[str]:
    """Statement ids from the source map become markers, so ``--strict-markers`` knows every tag."""
    from harness.livingdoc.sourcemap import load

    return [statement.id for statement in load().statements]


def pytest_report_header(config: pytest.Config) -> str:
    return f"harness: faker run seed {config.stash[_RUN_SEED]} (replay with --faker-seed)"


@pytest.hookimpl(trylast=True)
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.function not in scenario_wrapper_template_registry or "layer" not in metafunc.fixturenames:
        return
    marks = {m.name for m in metafunc.definition.iter_markers()}
    chosen = metafunc.config.getoption("--layer")
    layers = [layer for layer in LAYERS if chosen in ("both", layer)]
    if "api_only" in marks:
        layers = [layer for layer in layers if layer == "api"]
    if "ui_only" in marks:
        layers = [layer for layer in layers if layer == "ui"]
    params = layers or [pytest.param("none", marks=pytest.mark.skip(reason=f"not run in layer {chosen}"))]
    metafunc.parametrize("layer", params, indirect=True, ids=layers or ["skipped"])


@pytest.fixture(autouse=True)
def layer(request: pytest.FixtureRequest) -> str | None:
    return getattr(request, "param", None)


@pytest.fixture(scope="session")
def run_seed(pytestconfig: pytest.Config) -> int:
    return pytestconfig.stash[_RUN_SEED]


@pytest.fixture(scope="session")
def reference(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceAccess]:
    running = pytestconfig.stash.get(_RUNNING, None) or EmbeddedReference(tmp_path_factory.mktemp("reference")).start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(reference: ReferenceAccess) -> dict[str, Any]:
    headed = os.environ.get("HARNESS_HEADED") == "1"
    return {"executable_path": ensure_chromium(), "headless": not headed, "args": reference.browser_args,
            "proxy": {"server": reference.proxy_url}}


@pytest.fixture(scope="session")
def browser_context_args() -> dict[str, Any]:
    # Certificate errors are not ignored: the browser trusts the harness CA through its SPKI pin.
    return {"viewport": {"width": 1100, "height": 900}}


@pytest.fixture
def http(reference: ReferenceAccess) -> Iterator[httpx.Client]:
    with reference.client() as client:
        yield client


@pytest.fixture
def scenario_data(request: pytest.FixtureRequest, run_seed: int) -> ScenarioData:
    data = ScenarioData(scenario_seed(run_seed, request.node.nodeid))
    request.node.stash[_DATA] = data
    return data


_DATA = pytest.StashKey[ScenarioData]()


@pytest.fixture
def salesforce(http: httpx.Client, scenario_data: ScenarioData) -> SalesforceControl:
    control = SalesforceControl(http)
    control.reset(scenario_data.seed)
    return control


@pytest.fixture
def appliance_url() -> str:
    return APPLIANCE_URL


@pytest.fixture
def legacy_appliance_url() -> str:
    return LEGACY_APPLIANCE_URL


@pytest.fixture
def appliances(http: httpx.Client) -> dict[str, ApplianceControl]:
    controls = {"3.2": ApplianceControl(http, APPLIANCE_URL), "3.1": ApplianceControl(http, LEGACY_APPLIANCE_URL)}
    for control in controls.values():
        control.reset()
    return controls


@pytest.fixture
def setup_client(reference: ReferenceAccess) -> Iterator[ApiAdministrator]:
    """A second, API-only administrator for Given-steps that prepare the appliance."""
    with reference.client() as client:
        yield ApiAdministrator(client)


@pytest.fixture
def admin(request: pytest.FixtureRequest, layer: str | None, http: httpx.Client,
          salesforce: SalesforceControl, appliances: dict[str, ApplianceControl]) -> Administrator:
    if layer == "ui":
        from harness.drivers.ui import UiAdministrator

        page = request.getfixturevalue("page")
        request.node.stash[_PAGE] = page
        return UiAdministrator(page)
    return ApiAdministrator(http)


_PAGE = pytest.StashKey[Any]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not item.config.getoption("--evidence"):
        return
    entry: dict[str, Any] = {"outcome": report.outcome, "duration": report.duration,
                             "layer": item.callspec.params.get("layer") if hasattr(item, "callspec") else None}
    data = item.stash.get(_DATA, None)
    if data is not None:
        entry.update(faker_seed=data.seed, values=data.values)
    page = item.stash.get(_PAGE, None)
    if page is not None:
        entry["screenshots"] = [_screenshot(item, page)]
    _EVIDENCE[item.nodeid] = entry


def _screenshot(item: pytest.Item, page: Any) -> str:
    folder = Path(item.config.getoption("--evidence")).parent / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)[-150:] + ".png")
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as error:  # a closed page must not hide the scenario's own result
        return f"unavailable: {error}"
    return str(path)


def pytest_sessionfinish(session: pytest.Session) -> None:
    target = session.config.getoption("--evidence")
    if not target:
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"run_seed": session.config.stash[_RUN_SEED], "written_at": time.time(), "tests": _EVIDENCE}
    path.write_text(json.dumps(document, indent=2, default=str))

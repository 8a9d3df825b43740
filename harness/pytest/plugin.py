"""pytest plumbing: options, session servers, per-scenario isolation and layers (evidence: evidence.py).

Fixture scopes follow cost: the virtual network, the servers and the browser live for the session;
the HTTP client, the browser context, the Faker data and the server state are per scenario.
Each Gherkin scenario runs once per layer (``[api]`` and ``[ui]``) unless a tag limits it.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from harness.drivers.api import ApiAdministrator
from harness.drivers.control_clients import ApplianceControl, SalesforceControl
from harness.drivers.protocol import Administrator
from harness.network import is_loopback
from harness.pytest import bdd_internals
from harness.pytest.bdd_internals import scenario_wrapper_template_registry
from harness.pytest.let_go import fixtures_of, let_go_of
from harness.pytest.scenario_data import ScenarioData, scenario_seed
from harness.reference.browser import ENV_VAR as CHROMIUM_VAR
from harness.reference.browser import ensure_chromium
from harness.reference.embedded import (
    APPLIANCE_URL,
    LEGACY_APPLIANCE_URL,
    EmbeddedReference,
    ReferenceAccess,
    RunningReference,
)

LAYERS = ("api", "ui")
# Registered with this plugin wherever it is loaded (conftest.py, ``-p harness.pytest.plugin``).
pytest_plugins = ["harness.pytest.passed_reports"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("harness")
    group.addoption("--layer", choices=("api", "ui", "both"), default="both",
                    help="run scenarios through the API driver, the browser driver, or both (default)")
    group.addoption("--faker-seed", type=int, default=None,
                    help="run seed for Faker; printed at start so a run can be replayed")
    group.addoption("--reference", default=None, metavar="PATH",
                    help="run against a reference started elsewhere (`harness serve` writes PATH, "
                         "reference.json); default: start the embedded reference in this process")
    group.addoption("--browser-server", default=os.environ.get("HARNESS_BROWSER_SERVER"), metavar="WS_URL",
                    help="drive a remote Playwright browser server (`playwright run-server --unsafe`) at "
                         "WS_URL instead of launching Chromium here (env HARNESS_BROWSER_SERVER)")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_RUN_SEED] = _run_seed(config)
    bdd_internals.memoize_step_lookup()
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
_WORKER_SEED = "harness_run_seed"


def _run_seed(config: pytest.Config) -> int:
    """One seed per run: drawn here, or on the xdist controller, which hands it to every worker."""
    handed = getattr(config, "workerinput", {}).get(_WORKER_SEED)
    if handed is not None:
        return int(handed)
    seed = config.getoption("--faker-seed")
    return seed if seed is not None else random.SystemRandom().randrange(1, 2**31)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist, on the controller: each worker replays the controller's seed, so one seed replays the run."""
    node.workerinput[_WORKER_SEED] = node.config.stash[_RUN_SEED]


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
    skipped = pytest.param("none", marks=pytest.mark.skip(reason=f"not run in layer {chosen}"))
    params: list[Any] = list(layers) or [skipped]
    metafunc.parametrize("layer", params, indirect=True, ids=layers or ["skipped"])


@pytest.fixture(autouse=True)
def layer(request: pytest.FixtureRequest) -> str | None:
    return getattr(request, "param", None)


@pytest.fixture(scope="session")
def run_seed(pytestconfig: pytest.Config) -> int:
    return pytestconfig.stash[_RUN_SEED]


@pytest.fixture(scope="session")
def reference(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceAccess]:
    running = pytestconfig.stash.get(_RUNNING, None) or EmbeddedReference(
        tmp_path_factory.mktemp("reference"), password_hash_cost=10).start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig: pytest.Config, reference: ReferenceAccess) -> dict[str, Any]:
    headed = os.environ.get("HARNESS_HEADED") == "1"
    launch: dict[str, Any] = {"headless": not headed, "args": reference.browser_args,
                              "proxy": {"server": reference.proxy_url}}
    chromium = _chromium_for(pytestconfig.getoption("--browser-server"), headless=not headed)
    return {"executable_path": chromium, **launch} if chromium else launch


def _chromium_for(server: str | None, headless: bool) -> str | None:
    """The Chromium to launch: ours (the headless shell when headless: harness/reference/browser.py);
    on a browser server on this machine too, else the server's own (unless HARNESS_CHROMIUM names
    one: a team's grid may keep its Chromium at a known path)."""
    if server and not is_loopback(urlsplit(server).hostname or ""):
        return os.environ.get(CHROMIUM_VAR) or None
    return ensure_chromium(headless)


@pytest.fixture(scope="session")
def connect_options(pytestconfig: pytest.Config, browser_type_launch_args: dict[str, Any]) -> dict[str, Any] | None:
    """pytest-playwright connects to a browser server instead of launching when this is set.

    The launch options travel in the ``x-playwright-launch-options`` header, in the server's own
    (camelCase) names: pytest-playwright would send the Python names, and the server would drop
    ``executable_path``. The server must accept them (``run-server --unsafe``: the CA pin is a
    Chromium flag) and its browser must reach the proxy's address.
    """
    endpoint = pytestconfig.getoption("--browser-server")
    if not endpoint:
        return None
    return {"endpoint": endpoint, "timeout": 30_000,
            "headers": {"x-playwright-launch-options": server_launch_options(browser_type_launch_args)}}


def server_launch_options(launch: dict[str, Any]) -> str:
    """Launch options as a Playwright server reads them: JSON with camelCase names."""
    return json.dumps({re.sub(r"_([a-z])", lambda m: m.group(1).upper(), key): value for key, value in launch.items()})


@pytest.fixture(scope="session")
def browser_context_args() -> dict[str, Any]:
    # Certificate errors are not ignored: the browser trusts the harness CA through its SPKI pin.
    return {"viewport": {"width": 1100, "height": 900}}


@pytest.fixture(scope="session")
def _session_clients(reference: ReferenceAccess) -> Iterator[dict[str, httpx.Client]]:
    """Two HTTP clients for the whole session (the driver's and the Given-steps'), so connections,
    proxy tunnels and TLS sessions are kept alive between scenarios instead of rebuilt for each."""
    clients = {"admin": reference.client(), "setup": reference.client()}
    yield clients
    for client in clients.values():
        client.close()


def _fresh(client: httpx.Client) -> httpx.Client:
    client.cookies.clear()  # a scenario starts logged out: no session cookie from the one before
    return client


@pytest.fixture
def http(_session_clients: dict[str, httpx.Client]) -> httpx.Client:
    return _fresh(_session_clients["admin"])


@pytest.fixture
def scenario_data(request: pytest.FixtureRequest, run_seed: int) -> Iterator[ScenarioData]:
    data = ScenarioData(scenario_seed(run_seed, request.node.nodeid))
    yield data
    # The evidence keeps this object (seed and values) until the session ends; the Faker instance
    # in it (about 30 KB of providers) was a third of the test process's growth over a long run.
    data.faker = None  # type: ignore[assignment]


@pytest.fixture
def salesforce(request: pytest.FixtureRequest, layer: str | None, http: httpx.Client, scenario_data: ScenarioData,
               reference: ReferenceAccess) -> SalesforceControl:
    control = SalesforceControl(http, reference.control_token)
    if layer in LAYERS:  # a scenario: reset with its first world, or before its first other step
        control.defer_reset(scenario_data.seed)
        _defer(request, control)
    else:
        control.reset(scenario_data.seed)
    return control


_DEFERRED = pytest.StashKey[list[Any]]()


def _defer(request: pytest.FixtureRequest, control: Any) -> None:
    """Remembers a control client whose reset waits; forgotten when the scenario ends (items live
    for the whole session, so nothing of a finished scenario stays on them)."""
    waiting = request.node.stash.setdefault(_DEFERRED, [])
    waiting.append(control)
    request.addfinalizer(waiting.clear)


@pytest.hookimpl(trylast=True)
def pytest_bdd_before_step(request: pytest.FixtureRequest, step: Any, step_func: Any) -> None:
    """A step that builds a world adds to what waits (``hold``); before any other step what waits (resets,
    the gathered Salesforce world) is sent, so no step (nor the browser, nor the appliance on its behalf)
    ever meets the previous scenario's state or misses a piece of its own. Last among the hooks, so what
    is sent here counts as part of the step that needs it (benchmarks/probe.py)."""
    building = getattr(step_func, "builds_world", False)
    for control in request.node.stash.get(_DEFERRED, []):
        if building:
            control.hold()
        else:
            control.flush()


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_after_step(request: pytest.FixtureRequest, scenario: Any, step: Any, step_func: Any) -> None:
    """The Given set-up is over after its last Given step: what it gathered goes out now, in one call per
    system, as part of the set-up (first among the hooks, before the probe closes the step)."""
    if getattr(step_func, "builds_world", False) and _last_given(scenario, step):
        for control in request.node.stash.get(_DEFERRED, []):
            control.flush()


def _last_given(scenario: Any, step: Any) -> bool:
    """True when the step after ``step`` is no Given step (``And`` after a Given is one: pytest-bdd types
    it so), or there is none; also when ``step`` cannot be found (sending early is always safe)."""
    steps = list(getattr(scenario, "steps", []))
    at = next((n for n, s in enumerate(steps) if s is step), len(steps))
    return at + 1 >= len(steps) or steps[at + 1].type != "given"


@pytest.fixture
def appliance_url() -> str:
    return APPLIANCE_URL


@pytest.fixture(scope="session")
def _legacy_touched() -> dict[str, bool]:
    # True at the start: a reference started elsewhere may hold anything until it is reset once.
    return {"touched": True}


@pytest.fixture(autouse=True)
def _legacy_pristine(request: pytest.FixtureRequest, layer: str | None, _legacy_touched: dict[str, bool]) -> None:
    """Every scenario starts with the pre-3.2 appliance as new, yet it is reset only after a scenario
    used it (most never do): it can only be reached through ``legacy_appliance_url``."""
    if layer is None or not _legacy_touched["touched"]:
        return
    request.getfixturevalue("appliances")["3.1"].reset()
    _legacy_touched["touched"] = False


@pytest.fixture
def legacy_appliance_url(_legacy_touched: dict[str, bool]) -> str:
    _legacy_touched["touched"] = True
    return LEGACY_APPLIANCE_URL


@pytest.fixture
def appliances(request: pytest.FixtureRequest, layer: str | None, http: httpx.Client,
               reference: ReferenceAccess) -> dict[str, ApplianceControl]:
    token = reference.control_token
    controls = {"3.2": ApplianceControl(http, APPLIANCE_URL, token),
                "3.1": ApplianceControl(http, LEGACY_APPLIANCE_URL, token)}
    if layer in LAYERS:  # a scenario: reset with the wizard's world, or before its first other step
        controls["3.2"].defer_reset()
        _defer(request, controls["3.2"])
    else:
        controls["3.2"].reset()
    return controls


@pytest.fixture
def setup_client(_session_clients: dict[str, httpx.Client]) -> ApiAdministrator:
    """A second, API-only administrator for Given-steps that prepare the appliance."""
    return ApiAdministrator(_fresh(_session_clients["setup"]))


@pytest.fixture
def admin(request: pytest.FixtureRequest, layer: str | None, http: httpx.Client,
          salesforce: SalesforceControl, appliances: dict[str, ApplianceControl]) -> Administrator:
    if layer == "ui":
        from harness.drivers.ui import UiAdministrator

        return UiAdministrator(request.getfixturevalue("page"), http)
    return ApiAdministrator(http)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """Items, the fixture manager and the session's fixtures live until the session ends; what a
    finished scenario left in them is let go here (harness/pytest/let_go.py says what, as measured),
    so the test process stays flat over a long run (docs/design.md, speed)."""
    used = fixtures_of(item)
    result = yield
    let_go_of(item, used)
    return result

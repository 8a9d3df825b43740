"""Evidence of each scenario run: steps, screenshots, traces, Faker values and recorded facts.

Rule served: "The values a scenario used are evidence in the report" (docs/design.md section 5) and
"Reports from one run: ... per statement: status, scenarios, each layer's result, steps,
screenshots, Faker values, timings" (section 6). In the browser layer a screenshot is taken after
every When and Then step (``--step-screenshots failures`` keeps only the failing step's), and
pytest-playwright's trace of a failed scenario (``--tracing retain-on-failure``) is linked.

Works under pytest-xdist: each worker builds a test's entry and attaches it to the teardown report
(``report.harness_evidence``, plain JSON, so it crosses the wire with the report); the controller
collects entries in ``pytest_runtest_logreport`` and writes ``--evidence PATH`` once at the end.
``record(item_or_request, key, value)`` adds a JSON-serialisable fact to the current test's entry
(a normalised system snapshot under ``"snapshot"``, a scan result, ...).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

REPORT_ATTRIBUTE = "harness_evidence"
SCREENSHOT_MODES = ("all", "failures", "none")
# Keys the plugin fills itself; record() refuses them so a fact cannot hide a result.
RESERVED = frozenset({"nodeid", "name", "outcome", "duration", "layer", "steps", "scenario", "screenshots",
                      "trace", "error", "faker_seed", "values", "run_seed", "started"})
_ENTRY = pytest.StashKey[dict[str, Any]]()
_PAGE = pytest.StashKey[Any]()
_DATA = pytest.StashKey[Any]()
_STEP_STARTED = pytest.StashKey[float]()
_RUN_SEED = pytest.StashKey[int]()


def record(item_or_request: Any, key: str, value: Any) -> None:
    """Add ``value`` under ``key`` to the current test's evidence entry (last write wins).

    ``item_or_request`` is the pytest item or a function-scoped ``request``. The value must be JSON
    serialisable; it is checked here so the mistake points at the caller, not at the report writer.
    """
    item = getattr(item_or_request, "node", item_or_request)
    if not isinstance(item, pytest.Item):
        raise TypeError(f"evidence.record needs a test item or a function-scoped request, got {item!r}")
    if key in RESERVED:
        raise ValueError(f"evidence key {key!r} is filled by the harness itself; choose another name")
    try:
        json.dumps(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"evidence {key!r} of {item.nodeid} is not JSON serialisable: {exc}") from None
    _entry(item)[key] = value


def _entry(item: pytest.Item) -> dict[str, Any]:
    if _ENTRY not in item.stash:
        layer = item.callspec.params.get("layer") if hasattr(item, "callspec") else None
        item.stash[_ENTRY] = {"nodeid": item.nodeid, "name": item.name, "layer": layer, "started": time.time(),
                              "outcome": "passed", "duration": 0.0}
    return item.stash[_ENTRY]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("harness")
    group.addoption("--evidence", default=None, metavar="PATH",
                    help="write evidence (steps, screenshots, traces, Faker values) as JSON to this path")
    group.addoption("--step-screenshots", choices=SCREENSHOT_MODES, default="all",
                    help="browser layer: a screenshot after every When/Then step (all, default), "
                         "only of a failing step (failures), or none")


def pytest_configure(config: pytest.Config) -> None:
    target = config.getoption("--evidence")
    if target and not hasattr(config, "workerinput"):  # the controller (or a run without xdist)
        config.pluginmanager.register(EvidenceWriter(Path(target)), "harness-evidence-writer")


def _folder(config: pytest.Config) -> Path | None:
    target = config.getoption("--evidence")
    return Path(target).resolve().parent if target else None


def folder_of(config: pytest.Config) -> Path | None:
    """The folder screenshot paths are relative to (the evidence file's), or None without ``--evidence``."""
    return _folder(config)


def steps_of(item: pytest.Item) -> list[dict[str, Any]]:
    """The current test's steps as recorded so far (keyword, name, status, screenshot, rows, ...)."""
    return list(_entry(item).get("steps", []))


def scenario_data_of(item: pytest.Item) -> Any:
    """The test's ``scenario_data`` (its Faker seed and values), or None if the scenario used none."""
    return item.stash.get(_DATA, None)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(
    fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest
) -> Generator[None, Any, Any]:
    """Remember the objects evidence is read from, without the fixtures knowing about evidence."""
    value = yield
    name = fixturedef.argname
    if name == "page" and isinstance(request.node, pytest.Item):
        request.node.stash[_PAGE] = value
    elif name == "scenario_data" and isinstance(request.node, pytest.Item):
        request.node.stash[_DATA] = value
    elif name == "run_seed" and isinstance(value, int):
        request.config.stash[_RUN_SEED] = value
    return value


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    entry = _entry(request.node)
    entry["scenario"] = _describe_scenario(feature, scenario)
    entry["steps"] = [{"keyword": s.keyword.strip(), "type": s.type, "name": s.name, "line": s.line_number,
                       "status": "skipped", "duration": 0.0, **step_argument(s)} for s in scenario.steps]


def step_argument(step: Any) -> dict[str, Any]:
    """A step's data table (``rows``: lists of cell texts) or doc string, as the scenario gave it.

    Rule served: "Reports from one run: ... per statement: ... steps" (docs/design.md section 6): a
    step such as "the wizard's checklist asks for:" means nothing to a reader without its table.
    """
    argument: dict[str, Any] = {}
    if getattr(step, "datatable", None) is not None:
        argument["rows"] = [[str(cell) for cell in row] for row in step.datatable.raw()]
    if getattr(step, "docstring", None) is not None:
        argument["doc_string"] = str(step.docstring)
    return argument


def _describe_scenario(feature: Any, scenario: Any) -> dict[str, Any]:
    described: dict[str, Any] = {
        "keyword": scenario.keyword, "name": scenario.name, "line": scenario.line_number,
        "description": scenario.description or "", "tags": sorted(scenario.tags),
        "feature": {"uri": feature.rel_filename, "name": feature.name, "keyword": feature.keyword,
                    "line": feature.line_number, "description": feature.description or "",
                    "language": feature.language, "tags": sorted(feature.tags)},
    }
    if scenario.rule is not None:
        described["rule"] = {"name": scenario.rule.name, "tags": sorted(scenario.rule.tags)}
    return described


def pytest_bdd_before_step(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                           step_func: Any) -> None:
    request.node.stash[_STEP_STARTED] = time.perf_counter()


def pytest_bdd_after_step(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                          step_func: Any, step_func_args: dict[str, Any]) -> None:
    shoot = request.config.getoption("--step-screenshots") == "all" and step.type in ("when", "then")
    _finish_step(request.node, step, "passed", shoot)


def pytest_bdd_step_error(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                          step_func: Any, step_func_args: dict[str, Any], exception: Exception) -> None:
    shoot = request.config.getoption("--step-screenshots") != "none"
    _finish_step(request.node, step, "failed", shoot, f"{type(exception).__name__}: {exception}")


def pytest_bdd_step_func_lookup_error(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                                      exception: Exception) -> None:
    _finish_step(request.node, step, "undefined", False, f"no step definition matches: {step.keyword} {step.name}")


def _finish_step(item: pytest.Item, step: Any, status: str, shoot: bool, error: str = "") -> None:
    steps = _entry(item).get("steps", [])
    done = sum(1 for s in steps if s["status"] != "skipped")
    if done >= len(steps):
        return
    current = steps[done]
    current["status"] = status
    current["duration"] = time.perf_counter() - item.stash.get(_STEP_STARTED, time.perf_counter())
    if error:
        current["error"] = error
    if shoot and item.stash.get(_PAGE, None) is not None:
        current["screenshot"] = _screenshot(item, done, current["keyword"])


def _screenshot(item: pytest.Item, index: int, keyword: str) -> str:
    """Save the page as it is now; returns the file's path relative to the evidence file."""
    base = _folder(item.config)
    if base is None:
        return ""
    folder = base / "screenshots" / sanitise(item.nodeid)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{index + 1:02d}-{keyword.lower() or 'step'}.png"
    try:
        item.stash[_PAGE].screenshot(path=str(path), full_page=True)
    except Exception as error:  # a closed page must not hide the scenario's own result
        return f"unavailable: {error}"
    return path.relative_to(base).as_posix()


def sanitise(nodeid: str) -> str:
    """A file or folder name for a test id (also used to find a test's files)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)[-150:]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if not item.config.getoption("--evidence"):
        if report.when == "teardown":
            _let_go(item)
        return report
    entry = _entry(item)
    entry["duration"] += report.duration
    if report.failed or (report.skipped and entry["outcome"] == "passed"):
        entry["outcome"] = "failed" if report.failed else "skipped"
    if report.failed and report.longrepr is not None and "error" not in entry:
        entry["error"] = str(report.longrepr)
        _mark_failed_step(entry, entry["error"])
    if report.when == "teardown":
        _close(item, entry)
        setattr(report, REPORT_ATTRIBUTE, entry)
        _let_go(item)
    return report


def _let_go(item: pytest.Item) -> None:
    """Items live until the session ends: a finished test's entry (its snapshot among it), page and
    data leave the item, so a long run does not grow by them (the report keeps the entry it needs)."""
    for key in (_ENTRY, _PAGE, _DATA):
        if key in item.stash:
            del item.stash[key]


def _mark_failed_step(entry: dict[str, Any], error: str) -> None:
    """Give the failing step the full traceback (the step-error hook saw only the exception)."""
    for step in entry.get("steps", []):
        if step["status"] == "failed":
            step["error"] = error
            return


def _close(item: pytest.Item, entry: dict[str, Any]) -> None:
    data = item.stash.get(_DATA, None)
    if data is not None:
        entry.update(faker_seed=data.seed, values=json.loads(json.dumps(data.values, default=str)))
    seed = item.config.stash.get(_RUN_SEED, None)
    if seed is not None:
        entry["run_seed"] = seed
    entry["screenshots"] = [s["screenshot"] for s in entry.get("steps", []) if s.get("screenshot")]


class EvidenceWriter:
    """On the controller: gather every test's entry from its reports and write the file once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.started = time.time()
        self.tests: dict[str, dict[str, Any]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        entry = getattr(report, REPORT_ATTRIBUTE, None)
        if isinstance(entry, dict):
            self.tests[report.nodeid] = {**self.tests.get(report.nodeid, {}), **entry}
        traces = [str(v) for k, v in report.user_properties if k == "playwright_trace"]
        if traces and report.when == "teardown":
            self.tests.setdefault(report.nodeid, {"nodeid": report.nodeid})["trace"] = self._relative(traces[0])

    def _relative(self, path: str) -> str:
        absolute = Path(path) if Path(path).is_absolute() else Path.cwd() / path
        return Path(os.path.relpath(absolute.resolve(), self.path.resolve().parent)).as_posix()

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        seeds = sorted({e["run_seed"] for e in self.tests.values() if "run_seed" in e})
        document = {"run_seed": seeds[0] if len(seeds) == 1 else (seeds or None), "started": self.started,
                    "written_at": time.time(), "tests": self.tests}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(json.dumps(document, indent=1, default=str), encoding="utf-8")
        partial.replace(self.path)  # a reader never sees half a file

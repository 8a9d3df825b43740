"""pytest hooks of the secret scan (harness/pytest/secret_scan.py): a leaked secret fails the run, naming the place.

Rule served: during the acceptance run, every appliance page and JSON answer and every server log line
is scanned after each test for every secret in play in that test (the fake Salesforce's consumer
secrets, user passwords, access and refresh tokens, and the passwords the test holds); at the end,
every report file is scanned for every secret seen in the run. Works against the embedded reference;
against ``--reference`` the servers' answers are in another process and only report files are scanned.
Under xdist, workers scan their own tests and hand their secrets to the controller for the reports.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.pytest.secret_scan import Hit, LogTap, Secrets, SeenSecrets, find, from_salesforce, report_files

_TAP = LogTap()
_LOGGERS = ("", "uvicorn", "uvicorn.access")
_SEEN = SeenSecrets()  # on disk, not in memory: a long run stays flat
_FIGURES = {"answers": 0, "log lines": 0, "report files": 0}
_FILE_HITS: list[Hit] = []
_COUNT: list[int] = []  # secrets seen in the run, counted once at its end


def pytest_configure(config: pytest.Config) -> None:
    for name in _LOGGERS:
        logging.getLogger(name).addHandler(_TAP)


def pytest_unconfigure(config: pytest.Config) -> None:
    for name in _LOGGERS:
        logging.getLogger(name).removeHandler(_TAP)


_REFERENCE: list[Any] = []  # the session's reference, once a test started it
_VALUES: list[Any] = []  # the values of the fixtures the current test set up (steps ask for them late)


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest) -> Iterator[None]:
    outcome: Any = yield  # pluggy's Result (pluggy arrives with pytest; not imported here)
    value = outcome.get_result() if outcome.excinfo is None else None
    if fixturedef.argname == "reference" and value is not None:
        _REFERENCE[:] = [value]
    _VALUES.append(value)


@pytest.fixture(autouse=True)
def secret_scan(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test against the embedded reference: no secret in any answer or log line."""
    _VALUES.clear()
    yield
    backend = getattr(_REFERENCE[0], "salesforce_backend", None) if _REFERENCE else None
    places = _TAP.take()
    if backend is None:
        return
    for recorder in getattr(_REFERENCE[0], "recorders", []):
        places += recorder.take()
    secrets = from_salesforce(backend.state)
    for value in [*request.node.funcargs.values(), *_VALUES]:
        _passwords(value, secrets)
    _SEEN.update(secrets)
    _FIGURES["answers"] += sum(1 for place, _ in places if not place.startswith("log line"))
    _FIGURES["log lines"] += sum(1 for place, _ in places if place.startswith("log line"))
    hits = [hit for place, text in places for hit in find(text, place, secrets)]
    if hits:
        pytest.fail("secret leaked: " + "; ".join(sorted({str(h) for h in hits})), pytrace=False)


def _passwords(value: Any, secrets: Secrets, depth: int = 0) -> None:
    """Passwords a test holds (the appliance administrator's, a Salesforce user's), one level deep."""
    password = getattr(value, "password", None)
    secrets.add(password, "password")
    if depth == 0 and dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            _passwords(getattr(value, item.name, None), secrets, 1)


def _report_folders(config: pytest.Config) -> set[Path]:
    folders = set()
    for option in ("--evidence", "--junitxml", "--cucumberjson"):
        try:
            target = config.getoption(option)
        except ValueError:
            continue
        if target:
            folders.add(Path(target).resolve().parent)
    return folders


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """Under xdist, each worker hands the secrets it saw and its figures to the controller."""
    output = getattr(node, "workeroutput", {})
    for value, kind in output.get("secret_scan_secrets", {}).items():
        _SEEN.add(value, kind)
    for name, count in output.get("secret_scan_figures", {}).items():
        _FIGURES[name] = _FIGURES.get(name, 0) + count


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Report files are written by now; any secret seen during the run in one of them fails the run."""
    workeroutput = getattr(session.config, "workeroutput", None)
    seen = _SEEN.read()
    _COUNT.append(len(seen))
    if workeroutput is not None:  # an xdist worker: the controller scans the reports
        workeroutput["secret_scan_secrets"] = dict(seen.kinds)
        workeroutput["secret_scan_figures"] = dict(_FIGURES)
        return
    for folder in _report_folders(session.config):
        for place, text in report_files(folder):
            _FIGURES["report files"] += 1
            _FILE_HITS.extend(find(text, place, seen))
    if _FILE_HITS:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    seen = _COUNT[-1] if _COUNT else 0
    if not seen and not _FIGURES["report files"]:
        return
    figures = ", ".join(f"{count} {name}" for name, count in _FIGURES.items())
    terminalreporter.write_line(f"secret scan: {seen} secrets in play; scanned {figures}; "
                                f"{len(_FILE_HITS)} found in report files")
    for hit in _FILE_HITS:
        terminalreporter.write_line(f"secret leaked: {hit}", red=True)

"""pytest's terminal reporter keeps a passed test's reports as a count, not as three report objects.

Rule served: docs/design.md, speed - the test process stays flat over a long run. The terminal
reporter keeps every report it logged until the session ends (``stats``): per test its setup, call
and teardown reports, each with a copy of the item's keywords and its node id, about 2 KB a test,
the largest part of what a long run kept once the fixtures let go (harness/pytest/let_go.py). At the
end it reads a passed test's reports only to count them, unless ``-rp``, ``-rP`` or ``-rA`` asks for
their lines or output. So, when the run does not ask, a passed report is replaced in ``stats``, once
the reporter has logged it, by one shared stand-in per phase that counts the same; failed, skipped,
xfail and xpass reports, reports with captured output (a failed test's teardown output is shown
from its teardown report), and every report when the run asks for passes, are kept as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest


@dataclass(frozen=True)
class Counted:
    """Stands for a passed report in the terminal reporter's ``stats``: it counts, and has no output."""

    when: str
    outcome: str = "passed"
    nodeid: str = ""
    id: str = ""  # never a test's id: the reporter looks teardown reports up by it
    sections: tuple[tuple[str, str], ...] = ()
    count_towards_summary: bool = True

    @property
    def passed(self) -> bool:
        return True

    @property
    def failed(self) -> bool:
        return False

    @property
    def skipped(self) -> bool:
        return False


STAND_INS = {when: Counted(when) for when in ("setup", "call", "teardown")}
# The categories the terminal reporter files a plain passed report under ("" for setup and teardown).
_PASSED_CATEGORIES = ("passed", "")


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(PassedReports(config), "harness-passed-reports")


class PassedReports:
    """Registered per run, so it reads that run's terminal reporter."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @pytest.hookimpl(trylast=True)  # after the terminal reporter has filed it
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if not (report.passed and report.when in STAND_INS) or report.sections or hasattr(report, "wasxfail"):
            return
        reporter = self._reporter_not_showing_passes()
        if reporter is None:
            return
        for category in _PASSED_CATEGORIES:
            filed = reporter.stats.get(category)
            if filed and filed[-1] is report:
                filed[-1] = STAND_INS[report.when]
                return

    def _reporter_not_showing_passes(self) -> Any:
        """The terminal reporter, if the run does not ask for passed tests' lines or output (``-rp``/``-rP``)."""
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None or not isinstance(getattr(reporter, "stats", None), dict):
            return None
        chars = str(getattr(reporter, "reportchars", ""))
        return None if "p" in chars.lower() else reporter

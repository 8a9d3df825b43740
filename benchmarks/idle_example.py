"""A test that does nothing, run ``BENCH_IDLE_TESTS`` times: the memory floor of a long run.

Rule served: docs/design.md, speed - the test process stays flat over a long run. The memory
benchmark runs this file beside the scenarios, in the same project (its conftest, plugins and
let-go hooks), so the growth per 100 tests that pytest and the plugins cost by themselves is
printed next to the scenarios' growth. Not collected by ``make test`` (its name is not a test
file's); with the variable unset it holds no test.
"""

from __future__ import annotations

import os

import pytest

COUNT = int(os.environ.get("BENCH_IDLE_TESTS", "0"))


@pytest.mark.parametrize("n", range(COUNT))
def test_nothing(n: int) -> None:
    assert n >= 0

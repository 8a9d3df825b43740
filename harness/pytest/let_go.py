"""What a finished test left in structures that live for the whole session, let go of after its teardown.

Rule served: docs/design.md, speed - the test process stays flat over a long run. Items, the fixture
manager, the session's fixtures and the terminal reporter live until the session ends; whatever a
finished test left in them is kept for the whole run. Found with tracemalloc and ``gc.get_objects()``
counts over a long run, per scenario:

- pytest-bdd's report contexts and step reports, the fixtures ``target_fixture`` registers with their
  values, and pytest-playwright's ``rep_*`` attributes (read while the test's reports are logged);
- the finalizers pytest adds to every fixture a function-scoped fixture depends on
  (``FixtureDef.execute``: ``parent.addfinalizer(partial(self.finish, request=...))``): a session
  fixture (``reference``, the HTTP clients, the browser) keeps one per dependent fixture per test
  until the session ends, and each holds its request, through it the test's whole map of fixtures
  (the ``target_fixture`` values among them); once the test is torn down these finalizers do nothing;
- tmp_path's per-test record of the reports' outcomes, kept on the item when the test used no tmp_path.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from _pytest.tmpdir import tmppath_result_key


def fixtures_of(item: pytest.Item) -> dict[str, Any]:
    """The item's map of the fixtures it uses (filled while it runs); pytest drops its request at the
    end of the protocol, so this is taken before."""
    request = getattr(item, "_request", None)
    return getattr(request, "_fixture_defs", {}) if request else {}


def let_go_of(item: pytest.Item, used: dict[str, Any]) -> None:
    """After the test's protocol: ``used`` is what ``fixtures_of`` returned before it."""
    from pytest_bdd import reporting

    reporting.scenario_reports_registry.pop(item, None)
    reporting.test_report_context_registry.clear()  # only the reports of the test that just ended
    for when in ("setup", "call", "teardown"):
        item.__dict__.pop(f"rep_{when}", None)
    if tmppath_result_key in item.stash:
        del item.stash[tmppath_result_key]
    _drop_fixtures_registered_on(item)
    for fixturedef in list(used.values()):
        finalizers = getattr(fixturedef, "_finalizers", None)
        if finalizers:
            finalizers[:] = [f for f in finalizers if not _finishes_function_fixture_of(f, item)]


def _finishes_function_fixture_of(finalizer: Any, item: pytest.Item) -> bool:
    """A ``FixtureDef.finish`` of a function-scoped fixture, bound to this item's request: it finished
    with the test's teardown (a second call returns at once), so keeping it only keeps the request."""
    if not isinstance(finalizer, functools.partial):
        return False
    fixturedef = getattr(finalizer.func, "__self__", None)
    request = finalizer.keywords.get("request")
    return (getattr(finalizer.func, "__name__", "") == "finish" and getattr(fixturedef, "scope", None) == "function"
            and getattr(request, "_pyfuncitem", None) is item)


def _drop_fixtures_registered_on(item: pytest.Item) -> None:
    manager = getattr(item.session, "_fixturemanager", None)
    # pytest >= 9.1 files a fixture registered on a node under that node; a target_fixture of this
    # scenario is filed under its item, which no other test can see.
    for by_node in getattr(manager, "_arg2node2fixturedefs", {}).values():
        by_node.pop(item, None)
    registered: dict[str, list[Any]] = getattr(manager, "_arg2fixturedefs", {})  # older pytest: one list
    for name, defs in list(registered.items()):
        kept = [d for d in defs if getattr(d, "node", None) is not item and getattr(d, "baseid", None) != item.nodeid]
        if len(kept) == len(defs):
            continue
        if kept:
            defs[:] = kept
        else:
            del registered[name]

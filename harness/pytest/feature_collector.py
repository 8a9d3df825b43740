"""Collects ``.feature`` files as pytest modules, so a feature file can be run by its own path.

pytest-bdd binds scenarios only from Python modules that call ``scenarios()``; failures then point
at that module. Here each feature file is its own module, built on the fly, so
``pytest features/create_external_client_app/pkce.feature`` works and node ids name the feature.
"""

from __future__ import annotations

import types
from pathlib import Path

import pytest


class FeatureModule(pytest.Module):
    """A feature file presented to pytest as a module of scenario tests."""

    def _getobj(self) -> types.ModuleType:
        module = types.ModuleType(f"feature_{self.path.stem}")
        module.__file__ = str(self.path)
        code = f"from pytest_bdd import scenarios\nscenarios({str(self.path)!r})\n"
        exec(compile(code, str(self.path), "exec"), module.__dict__)  # noqa: S102 - our own fixed source
        return module


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".feature":
        return FeatureModule.from_parent(parent, path=file_path)
    return None

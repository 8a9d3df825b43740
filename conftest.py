"""Registers the harness plugin, the evidence plugin, the feature-file collector and the step modules."""

from steps import STEP_MODULES

pytest_plugins = ["harness.pytest_plugin", "harness.evidence", "harness.feature_collector",
                  "harness.pytest_secret_scan", *STEP_MODULES]

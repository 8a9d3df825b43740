"""Registers the harness plugin, the evidence plugin, the feature-file collector and the step modules."""

from steps import STEP_MODULES

pytest_plugins = ["harness.pytest.plugin", "harness.pytest.evidence", "harness.pytest.feature_collector",
                  "harness.pytest.secret_scan_hooks", "harness.pytest.allure_results", *STEP_MODULES]

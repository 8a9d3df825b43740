"""Step definitions: thin, one sentence -> one driver call (+ one assert)."""

STEP_MODULES = ["steps.salesforce_steps", "steps.wizard_steps", "steps.operations_steps", "steps.legacy_steps",
                "steps.oauth_client_steps", "steps.scenario_snapshot", "steps.catalogue_steps"]

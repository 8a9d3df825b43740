"""What the step sentences assume where they do not say, for ``harness docs steps``.

A scenario writer reads the catalogue, not the Python; every value a step fills in by itself is
stated here or in the step's own description. The app settings are read from the code that makes
the app, so this text cannot drift from what the steps do.
"""

from __future__ import annotations

from harness.drivers.setup_labels import SETTING_BY_LABEL, guide_app
from harness.reference.embedded import APPLIANCE_DNS_URL, APPLIANCE_URL, LEGACY_APPLIANCE_URL

GUIDE_CALLBACK = APPLIANCE_URL


def _switches() -> str:
    app = guide_app("", "", [GUIDE_CALLBACK])
    labels = {setting: label for label, setting in SETTING_BY_LABEL.items() if label != "Enable OAuth"}
    return ", ".join(f'"{labels[s]}" {"on" if app.get(s, False) else "off"}' for s in labels)


def defaults() -> list[str]:
    app = guide_app("", "", [GUIDE_CALLBACK])
    return [
        f"The appliance (3.2) answers at {APPLIANCE_URL} and {APPLIANCE_DNS_URL}; the pre-3.2 appliance at "
        f"{LEGACY_APPLIANCE_URL}. Each scenario starts with both appliances at wizard step 1 and an empty "
        "Salesforce.",
        "\"the administrator\" acts in the scenario's layer: [api] through the JSON API, [ui] in the browser. "
        "Each wizard or configuration sentence first gets to its page from wherever the administrator is, as a "
        "person would (the browser's Back away from Salesforce, the console's address, the wizard's Back and "
        "Next, the menu), so sentences can follow one another in any order. Given-steps use the API.",
        "\"a Salesforce org with a system administrator\" (\"the org\", \"the org's user\"): a production org "
        "(login.salesforce.com, My Domain <name>.my.salesforce.com) with one active user with the System "
        "Administrator profile; org name, user name, e-mail and password are made by Faker from the scenario's "
        "seed, the same in both layers.",
        f"an app \"set up as the guide asks\": an {app['kind'].replace('_', ' ')} ({app['distribution_state']}) "
        f"in that org with the callback URLs {' '.join(app['callback_urls'])}, the scopes "
        f"{' '.join(app['scopes'])}, and {_switches()}; Permitted Users \"All users may self-authorize\", "
        "refresh tokens valid until revoked; name and contact e-mail from Faker. \"but with ...\" and "
        "\"with the callback URLs ...\" change only what they name.",
        "\"the appliance wizard is at the external client app step\": steps 1-4 done through the API (licence "
        "accepted, a local administrator with a Faker name and password, the embedded SQLite database, a trial "
        "licence) at https://172.12.0.1.",
        "\"authorizes as the org's user\": the Production environment (login.salesforce.com), signs in with the "
        "user's name and password and clicks Allow when Salesforce asks.",
        "\"the appliance protects the org ...\": the whole wizard through the API with the Daily schedule; the "
        "scenario's administrator still has to log in (\"the administrator is logged in to the appliance\").",
    ]

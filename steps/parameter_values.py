"""Which values each step parameter takes, for ``harness docs steps``.

Rule served: the step catalogue lets a writer compose a scenario without reading Python
(docs/design.md section 6, ``harness docs steps``). A parameter's type (``str``) does not say which
words a step understands, so each parameter name used by the step sentences is described here, with
lists read from the code that interprets them (the Setup labels, the scope names), so the text
cannot drift from what the steps accept.
"""

from __future__ import annotations

from harness.drivers.oauth_client import TOKEN_PARTS
from harness.drivers.setup_labels import REFRESH_POLICY_BY_LABEL, SETTING_BY_LABEL

_SCOPES = "full refresh_token offline_access openid api web id"


def parameter_values() -> dict[str, str]:
    """Parameter name -> the values it takes, as a writer reads them."""
    labels = ", ".join(f'"{label}"' for label in SETTING_BY_LABEL)
    return {
        "label": f"a Setup switch label, letter case ignored (the page's \"Enable oAuth Settings\" too): {labels}",
        "state": '"on" or "off"',
        "scopes": f"scope API names separated by spaces, e.g. \"{_SCOPES}\"",
        "urls": "callback URLs separated by spaces; compared exactly, letter case included",
        "url": "a URL such as https://172.12.0.1; compared exactly, letter case included",
        "answer": '"accepts" or "refuses"',
        "status": 'an org status: "Connected", "Re-authorization required" or "Failed"',
        "schedule": '"Hourly", "Daily" or "Weekly"',
        "code": "a Salesforce error code, e.g. \"access_denied\", \"OAUTH_APP_BLOCKED\", \"redirect_uri_mismatch\"",
        "error": "an OAuth error code of the token endpoint, e.g. \"invalid_client\", \"invalid_grant\"",
        "text": "words the message must contain (a part of it is enough)",
        "title": "the page title, exactly",
        "policy": "a Refresh Token Policy as Setup words it: " + ", ".join(f'"{p}"' for p in REFRESH_POLICY_BY_LABEL),
        "parts": "what the token answer carries, joined with \" and \": " + ", ".join(f'"{p}"' for p in TOKEN_PARTS),
    }

"""Salesforce's error codes in plain words, always followed by the code Salesforce sent.

Rule served: facts section 3.6 - errors sent back to the callback (access_denied, OAUTH_APP_BLOCKED,
inactive_user, inactive_org, ...) and token-endpoint JSON errors (invalid_client, invalid_grant, ...)
reach the administrator as a sentence that says what happened and what to do, with the code.
"""

from __future__ import annotations

_PLAIN: dict[str, str] = {
    "access_denied": "The Salesforce user denied access to the {app}. Authorize again and click Allow.",
    "access-denied": "The Salesforce user denied access to the {app}. Authorize again and click Allow.",
    "OAUTH_APP_BLOCKED": (
        "Salesforce blocked the {app} for this user. Ask the Salesforce administrator "
        "to unblock the app or to give the user access in its Permitted Users policy, "
        "then authorize again."
    ),
    "inactive_user": (
        "The Salesforce user is inactive. Sign in as an active user with the System "
        "Administrator profile and authorize again."
    ),
    "inactive_org": "The Salesforce organization is locked, closed or suspended. Contact Salesforce support.",
    "invalid_scope": (
        "Salesforce refused the scopes the appliance asks for. Select the three scopes from the "
        "checklist (full; refresh_token, also named offline_access; openid) under Selected OAuth "
        "Scopes and authorize again."
    ),
    "immediate_unsuccessful": "Salesforce could not authorize without asking the user. Authorize again.",
    "invalid_client": (
        "Salesforce rejected the consumer secret. Copy the Consumer Secret from the {app} "
        "again, enter it and authorize again."
    ),
    "invalid_client_id": (
        "Salesforce does not know the consumer key. Copy the Consumer Key from the {app} "
        "again, enter it and authorize again."
    ),
    "invalid_grant": "Salesforce refused the authorization. Authorize again.",
    "redirect_uri_mismatch": (
        "The callback URL is not in the Callback URL field of the {app}. Add {callback} "
        "to it and authorize again."
    ),
    "invalid_request": "Salesforce refused the request. Check the {app}'s settings and authorize again.",
    "unsupported_grant_type": "Salesforce does not allow this flow for the {app}. Check its Flow Enablement.",
    "rate_limit_exceeded": "Salesforce refused too many logins. Wait and authorize again.",
}


def plain(code: str, description: str, *, app_noun: str, callback: str = "") -> str:
    template = _PLAIN.get(code, "Salesforce returned an error. Check the {app} and authorize again.")
    sentence = template.format(app=app_noun, callback=callback or "the callback URL")
    detail = f"{code}: {description}" if description else code
    return f"{sentence} (Salesforce: {detail})"


def token_error(code: str, description: str, *, app_noun: str, callback: str = "") -> str:
    if code == "invalid_client":
        # Facts 3.6: invalid_client at the token endpoint means a wrong consumer secret.
        return (
            f"Salesforce rejected the consumer secret (invalid_client). Copy the Consumer Secret from "
            f"the {app_noun} again, enter it and authorize again."
        )
    return plain(code, description, app_noun=app_noun, callback=callback)

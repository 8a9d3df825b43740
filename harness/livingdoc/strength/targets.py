"""Which code implements each statement's rule: the functions ``harness mutate`` seeds mutants into.

Rule served: docs/design.md section 2 - a statement is measured by the mutants of its own rule's code, killed
by its own scenarios. Each entry names one function and, where that function serves several statements,
the lines that serve this one; why a line is left out is said beside it.
"""

from __future__ import annotations

# Statement id -> the functions that implement its rule, as mutmut mutant-name patterns
# (``module.x_function`` for a function, ``module.xǁClassǁmethod`` for a method), optionally followed by
# `` | regex``: then only mutants of source lines matching it count (one function may serve several
# statements, e.g. the switch checks). Every pattern must name a function that exists (tests/test_mutation.py
# checks this in `make test`) and must match mutants when run: a pattern that matches nothing fails the run.
_RULES = "harness.appliance.core.rules"
_FLOWS = "harness.salesforce.models.flows"
_CALLBACK = "harness.appliance.core.callback"
_APPS = "harness.salesforce.models.apps"
_CONN = "harness.appliance.core.connections.xǁConnectionsǁ"
_AUTH = "harness.appliance.core.authorization.xǁAuthorizationsǁ"
_VERIFY = "harness.appliance.core.verification.xǁAppVerificationǁ"
_APPLIANCE = "harness.appliance.core.appliance.xǁApplianceǁ"
_WIZARD = "harness.appliance.core.wizard.xǁWizardǁ"
_INTENTS = "harness.appliance.core.wizard_intents.xǁWizardIntentsǁ"
# check_security serves two statements: each counts the lines of its own switches.
_SWITCH_LINES = r"found: |return found|oauth|OAUTH|secret|SECRET"
# parse_host's ASCII, IPv6, port-range and name-shape lines serve the hardening rule (a hostile Host header is
# refused; tests/security checks it), not the callback statements: those count only the lines that turn a
# plain Host header into the URL's host and port.
_HOST = "harness.appliance.core.host_header.x_parse_host"
_HOST_LINES = r"^found = |^port = |^name = |^return \(name, port\)"
_NAME_LINES = r"^found = |^name = |^return \(name, port\)"  # EXAMPLE-DNS: names, not ports (CALLBACK's)
# Of split_host and callback_url, the lines that pass the host on and make the URL; their refusals are the
# same hardening rule. Of clean_callback_urls, the lines that make the list an app holds (one URL per entry,
# blanks dropped); its type, length and URL-syntax checks guard the fake's control input (tests/salesforce).
_SPLIT = f"{_CALLBACK}.x_split_host | ^parsed = |^return parsed"
_URL = f"{_CALLBACK}.x_callback_url | split_host\\(|^return f"
_LIST = f"{_APPS}.x_clean_callback_urls | ^urls = \\[|^return urls"
# verify serves two statements: SCOPES counts its check of the granted scopes and its refusal of a refresh that
# fails (the refresh is what refresh_token/offline_access is for: acting at any time), OAUTH-ON the refresh with
# the secret and the switches read after it.
_GRANT_LINES = (r"problems|check_grant|return tokens, \[|refresh_failed|Salesforce refused to refresh"
                r"|Refresh Token Policy")
_REFRESH_LINES = r"refresh\(|refreshed|Tokens\(|tokens\.|_check_switches"
# Connections.save: the lines that save a newly connected org and report it, not the re-authorization checks
# (check_target's refusals) nor the lines that replace an existing org's tokens and revoke its old grant.
_SAVE_NEW_ORG = r"^(?!.*(problems|existing = |store\.change|_revoke_replaced))"
# Which app an org authorizes with: the new org's own (3.2+) or the shared one; the app id step 5 hands on.
_WHICH_APP = r"app_for_new_org|shared_app_id|authorizations\.start|credentials\.add|return app_id"
TARGETS: dict[str, tuple[str, ...]] = {
    # Connections.check_target (org_mismatch, org_exists) and save's lines for an org the appliance already holds
    # (its tokens replaced, the replaced grant revoked) serve re-authorization (EDIT-REAUTH), not PURPOSE.
    "PURPOSE": (
        f"{_CONN}save | {_SAVE_NEW_ORG}", f"{_INTENTS}finish_wizard", f"{_WIZARD}connected",
        f"{_INTENTS}set_wizard_app | previous|forget",  # a new app at step 5 drops the org connected before
        f"{_WIZARD}next_from_salesforce",
        "harness.appliance.core.policies.xǁPoliciesǁcreate_default",
        f"{_FLOWS}.x_exchange_code | user|grant|token_response",
    ),
    "SCOPES": (
        f"{_RULES}.x_check_grant", f"{_FLOWS}.x_granted_scopes", f"{_FLOWS}.x_check_request | granted_scopes",
        f"{_FLOWS}.x_token_response | refresh|openid|scope", f"{_FLOWS}.x_exchange_code | refresh",
        f"{_FLOWS}.x_refresh | same_scope|kill_grant|ExpiredToken",
        "harness.salesforce.models.scopes.x_same_scope",
        f"{_VERIFY}verify | {_GRANT_LINES}",
    ),
    "OAUTH-ON": (
        f"{_RULES}.x_check_security | {_SWITCH_LINES}", f"{_VERIFY}verify | {_REFRESH_LINES}",
        f"{_VERIFY}_check_switches",
        f"{_FLOWS}.x_authenticate_client", f"{_FLOWS}.x_exchange_code | authenticate_client|require_secret",
        f"{_FLOWS}.x_refresh | authenticate_client|require_secret", f"{_FLOWS}.x_check_client | oauth_enabled",
    ),
    "PKCE-OFF": (
        f"{_RULES}.x_check_security | found: |return found|pkce|PKCE", f"{_VERIFY}_check_switches | security|settings",
        f"{_FLOWS}.x_check_request | pkce|code_challenge|MissingCodeChallenge",
    ),
    "CALLBACK": (
        f"{_HOST} | {_HOST_LINES}", _SPLIT, _URL, f"{_APPS}.xǁAppǁmatches_callback",
        f"{_FLOWS}.x_check_client | redirect", f"{_FLOWS}.x_exchange_code | redirect",
    ),
    "EXAMPLE-DNS": (
        f"{_HOST} | {_NAME_LINES}", _SPLIT, _URL, f"{_APPS}.xǁAppǁmatches_callback", _LIST,
    ),
    "EDIT-REAUTH": (
        f"{_CONN}edit", f"{_CONN}_forget_grant", f"{_CONN}access", f"{_CONN}_unusable",
        f"{_APPLIANCE}edit_connection", f"{_APPLIANCE}start_reauthorize",
        f"{_FLOWS}.x_refresh | authenticate_client|grant_for_refresh|_usable_user",
        # Re-authorization's own checks and effects (counted here, not under PURPOSE): re-authorizing as a
        # user of another org is refused, adding an org twice is refused, and re-authorizing an org that is
        # already there replaces its tokens and revokes the replaced grant at Salesforce.
        f"{_CONN}check_target | org_id|org_mismatch|org_exists|purpose",
        f"{_CONN}save | existing|store\\.change|_revoke_replaced", f"{_CONN}_revoke_replaced",
    ),
    "LEGACY-3.2": (
        f"{_CONN}set_shared_app", f"{_CONN}app_id_of",
        # Add Organization's environment and My Domain, step 5's pre-filled key (app_view) and set_app's rules
        # for a repeated or a new entry (the same app keeps the step-6 connection, a new one voids it) are the
        # wizard's and the connection's rules; LEGACY-3.2 counts only which app an org gets (its own or the shared).
        # Appliance._public_org is not counted: the app column's rule is VersionPolicy.org_app_label (versions.*);
        # _public_org's own key lookup serves the one-org views (the Edit Connection page, EDIT-REAUTH).
        f"{_CONN}shared_app_id", f"{_APPLIANCE}start_add_org | {_WHICH_APP}",
        f"{_APPLIANCE}set_connected_app",
        f"{_WIZARD}set_app | {_WHICH_APP}", f"{_WIZARD}__init__", "harness.appliance.core.versions.*",
    ),
}

from __future__ import annotations

import pytest

from harness.drivers.setup_labels import GUIDE_SCOPES, guide_app, setting_for


def test_the_guide_app_has_the_three_scopes_secrets_on_and_pkce_off() -> None:
    app = guide_app("n", "e@example.com", ["https://172.12.0.1"])
    assert app["scopes"] == GUIDE_SCOPES == ["full", "refresh_token", "openid"]
    assert app["oauth_enabled"] and app["require_secret_web_server"] and app["require_secret_refresh"]
    assert app["require_pkce"] is False


def test_labels_map_to_settings_and_unknown_labels_are_named() -> None:
    assert setting_for("Require Proof Key for Code Exchange (PKCE)") == "require_pkce"
    with pytest.raises(ValueError, match='unknown Setup label "Require Nothing"'):
        setting_for("Require Nothing")


def test_labels_match_whatever_their_letter_case() -> None:
    assert setting_for("Enable oAuth Settings") == setting_for("Enable OAuth Settings") == "oauth_enabled"
    assert setting_for("require  secret for web server flow") == "require_secret_web_server"

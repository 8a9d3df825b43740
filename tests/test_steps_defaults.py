from __future__ import annotations

from harness.drivers.setup_labels import GUIDE_SCOPES
from steps.defaults import GUIDE_CALLBACK, defaults


def test_the_catalogue_states_the_guide_apps_callback_scopes_and_every_switch() -> None:
    [app] = [line for line in defaults() if "set up as the guide asks" in line]
    assert GUIDE_CALLBACK == "https://172.12.0.1" and GUIDE_CALLBACK in app
    assert " ".join(GUIDE_SCOPES) in app
    for switch in ('"Enable OAuth Settings" on', '"Require Secret for Web Server Flow" on',
                   '"Require Secret for Refresh Token Flow" on', '"Require Proof Key for Code Exchange (PKCE)" off'):
        assert switch in app

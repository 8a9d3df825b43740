"""The RS256 key that signs ID tokens, published as a JWKS at ``/id/keys``.

Serves the documented OpenID rules (docs/salesforce-facts.md 3.1, 3.2): ID tokens are signed RS256, carry a ``kid``
and their keys are listed at ``/id/keys``; the token response ``signature`` is a Base64
HMAC-SHA256 over ``id + issued_at`` keyed with the client secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

KEY_ID = "256"  # Salesforce's kids are short decimal strings; the value itself is our choice.


@lru_cache(maxsize=1)
def _key() -> RSAKey:
    # One key per process: generating RSA keys is slow and resets need not rotate it.
    return RSAKey.generate_key(2048, parameters={"kid": KEY_ID, "use": "sig", "alg": "RS256"})


def jwks() -> dict[str, Any]:
    return {"keys": [_key().as_dict(private=False)]}


def public_key() -> RSAKey:
    return RSAKey.import_key(_key().as_dict(private=False))


def id_token(claims: dict[str, Any]) -> str:
    return jwt.encode({"alg": "RS256", "kid": KEY_ID, "typ": "JWT"}, claims, _key())


def at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def response_signature(identity_url: str, issued_at: str, client_secret: str) -> str:
    mac = hmac.new(client_secret.encode(), (identity_url + issued_at).encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()

"""Salesforce's wire errors, one class per error, each carrying Salesforce's exact strings.

Serves the documented rule "errors appear where Salesforce shows them" (docs/salesforce-facts.md 3.6): a bad client id
or callback is an error *page* with no redirect; denial, blocked apps, bad scopes and inactive
users/orgs are *redirected* to the callback; token-endpoint errors are *json* 400s; a missing PKCE
challenge is a *direct* 400 answer to the authorize call. ``shown`` says where the authorize
endpoint shows the error; the token and revoke endpoints always answer JSON.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal
from urllib.parse import quote, urlencode

Shown = Literal["page", "redirect", "json", "direct"]


class SalesforceError(Exception):
    """An OAuth error as Salesforce sends it: ``error``, ``error_description``, HTTP status."""

    error: ClassVar[str] = "server_error"
    description: ClassVar[str] = "internal server error"
    status: ClassVar[int] = 400
    shown: ClassVar[Shown] = "json"

    def __init__(self, description: str | None = None) -> None:
        self.error_description = description or type(self).description
        super().__init__(f"{self.error}: {self.error_description}")

    def as_json(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.error_description}

    def as_page_text(self) -> str:
        """The raw string Salesforce's OAuth error page shows (PTC doc: %20-encoded)."""
        return f"error={self.error}&error_description={quote(self.error_description)}"

    def redirect_to(self, redirect_uri: str, state: str | None) -> str:
        """``redirect_uri`` plus the error as query parameters (spaces as ``+``)."""
        params = {"error": self.error, "error_description": self.error_description}
        if state is not None:
            params["state"] = state
        joiner = "&" if "?" in redirect_uri else "?"
        return f"{redirect_uri}{joiner}{urlencode(params)}"


# -- authorize endpoint: shown on a Salesforce page, never redirected -------------------------
class InvalidClientId(SalesforceError):
    error, description, shown = "invalid_client_id", "client identifier invalid", "page"


class RedirectUriMissing(SalesforceError):
    error, description, shown = "redirect_uri_missing", "redirect_uri not provided", "page"


class RedirectUriMismatch(SalesforceError):
    error, description, shown = "redirect_uri_mismatch", "redirect_uri must match configuration", "page"


# -- authorize endpoint: a direct 400 answer (third-party observation: no redirect) -----------
class MissingCodeChallenge(SalesforceError):
    error, description, shown = "invalid_request", "missing required code challenge", "direct"


# -- authorize endpoint: redirected back to the callback ---------------------------------------
class UnsupportedResponseType(SalesforceError):
    error, description, shown = "unsupported_response_type", "response type not supported", "redirect"


class InvalidScope(SalesforceError):
    # The description is the documented meaning of invalid_scope (docs/salesforce-facts.md 3.6); no wire sample found.
    error, description, shown = "invalid_scope", "requested scope invalid, unknown or malformed", "redirect"


class AccessDenied(SalesforceError):
    error, description, shown = "access_denied", "end-user denied authorization", "redirect"


class ImmediateUnsuccessful(SalesforceError):
    # Facts give no description for immediate_unsuccessful; this wording is our choice.
    error, description, shown = "immediate_unsuccessful", "user not logged in or not approved", "redirect"


class AppBlocked(SalesforceError):
    error, description, shown = "OAUTH_APP_BLOCKED", "this app is blocked by admin", "redirect"


class ExternalClientAppNotFound(SalesforceError):
    # Facts gap: a Local external client app used by a user of another org. The code and wording
    # follow community reports of Salesforce's answer; treat as our choice.
    error, shown = "OAUTH_EC_APP_NOT_FOUND", "redirect"
    description = "External client app is not installed in this org"


class InactiveUser(SalesforceError):
    error, description, shown = "inactive_user", "user is inactive", "redirect"


class InactiveOrg(SalesforceError):
    error, description, shown = "inactive_org", "org locked, closed or suspended", "redirect"


# -- token / revoke endpoints: JSON 400 --------------------------------------------------------
class InvalidClient(SalesforceError):
    error, description = "invalid_client", "invalid client credentials"


class InvalidGrant(SalesforceError):
    error, description = "invalid_grant", "authentication failure"


class ExpiredAuthorizationCode(InvalidGrant):
    description = "expired authorization code"


class ExpiredToken(InvalidGrant):
    description = "expired access/refresh token"


class InactiveUserGrant(InvalidGrant):
    description = "inactive user"


class MissingCodeVerifier(InvalidGrant):
    # Facts: challenge sent but no verifier -> invalid_grant; the description is our choice.
    description = "missing code verifier"


class InvalidCodeVerifier(SalesforceError):
    # Facts: a verifier that does not match -> invalid_request; the description is our choice.
    error, description = "invalid_request", "invalid code verifier"


class InvalidRequest(SalesforceError):
    error, description = "invalid_request", "invalid request"


class UnsupportedGrantType(SalesforceError):
    error, description = "unsupported_grant_type", "grant type not supported"


class InvalidToken(SalesforceError):
    # Facts 3.5 name the code for a failed revoke; the description is our choice. Sent when the
    # request names no token at all.
    error, description = "invalid_token", "invalid token"


class UnsupportedTokenType(SalesforceError):
    # Facts 3.5 name the code; the description is the one Salesforce sent for an unknown token
    # (a client's bug report, omniphx/forrest issue 213). Sent for every token that is not live.
    error, description = "unsupported_token_type", "this token type is not supported"


# -- REST API errors: a JSON list of {message, errorCode} --------------------------------------
class RestError(Exception):
    """A REST API error: ``[{"message": ..., "errorCode": ...}]`` with an HTTP status."""

    error_code: ClassVar[str] = "UNKNOWN_EXCEPTION"
    message: ClassVar[str] = "An unexpected error occurred."
    status: ClassVar[int] = 400

    def __init__(self, message: str | None = None, fields: list[str] | None = None) -> None:
        self.text = message or type(self).message
        self.fields = fields
        super().__init__(f"{self.error_code}: {self.text}")

    def as_json(self) -> list[dict[str, Any]]:
        error: dict[str, Any] = {"message": self.text, "errorCode": self.error_code}
        if self.fields is not None:
            error["fields"] = self.fields
        return [error]


class InvalidSessionId(RestError):
    error_code, message, status = "INVALID_SESSION_ID", "Session expired or invalid", 401


class NotFound(RestError):
    error_code, message, status = "NOT_FOUND", "The requested resource does not exist", 404


class EntityIsDeleted(RestError):
    error_code, message, status = "ENTITY_IS_DELETED", "entity is deleted", 404


class InvalidTypeForOperation(RestError):
    # Deleting a User, Profile or Organization row; the wording is our choice.
    error_code, message = "INVALID_TYPE_FOR_OPERATION", "entity type cannot be deleted"


class RequiredFieldMissing(RestError):
    error_code = "REQUIRED_FIELD_MISSING"


class InvalidFieldForInsertUpdate(RestError):
    error_code = "INVALID_FIELD_FOR_INSERT_UPDATE"


class JsonParserError(RestError):
    error_code = "JSON_PARSER_ERROR"


class InvalidReplicationDate(RestError):
    error_code = "INVALID_REPLICATION_DATE"


class MethodNotAllowed(RestError):
    error_code, status = "METHOD_NOT_ALLOWED", 405


class MalformedQuery(RestError):
    error_code = "MALFORMED_QUERY"


class InvalidField(RestError):
    error_code = "INVALID_FIELD"


class InvalidType(RestError):
    error_code = "INVALID_TYPE"


class MalformedSearch(RestError):
    error_code = "MALFORMED_SEARCH"


class InvalidQueryLocator(RestError):
    error_code, message = "INVALID_QUERY_LOCATOR", "invalid query locator"


# -- the harness control API (not Salesforce's wire; named after what went wrong) --------------
class ControlError(Exception):
    """A refused control call: ``status`` (400 or 404) and a message naming the problem."""

    status: ClassVar[int] = 400

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class ControlBadRequest(ControlError):
    status = 400


class ControlNotFound(ControlError):
    status = 404

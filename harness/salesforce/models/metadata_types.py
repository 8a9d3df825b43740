"""The Metadata API types that describe an app, and the listing (FileProperties) of each component.

Serves the documented metadata mapping (docs/salesforce-facts.md 2.3, 3.8): ``ExternalClientApplication`` (``.eca``
in ``externalClientApps``), its four settings files ``ExtlClntAppGlobalOauthSettings``,
``ExtlClntAppOauthSettings``, ``ExtlClntAppOauthConfigurablePolicies`` and
``ExtlClntAppConfigurablePolicies`` (all API 59.0 and later), and the legacy ``ConnectedApp``.
A type asked for on an API version that predates it does not exist there (``INVALID_TYPE``).
Listing answers every FileProperties field of the Metadata API WSDL: ids, names, who created and
last modified the component and when, the manageable state and the namespace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from harness.salesforce.models import scopes as catalog
from harness.salesforce.models.apps import App
from harness.salesforce.models.metadata_catalog import COMMON

# Our choice when an org has no user to name as an app's creator: Salesforce's own system user.
AUTOMATED_PROCESS = ("005000000000000AAA", "Automated Process")


class Raw(str):
    """Already-escaped XML to embed as is (nested elements such as ``oauthConfig``)."""


@dataclass
class Audit:
    """Who created and last changed an app, and when (FileProperties)."""

    created_at: float
    created_by: tuple[str, str]  # (user id, user name)
    modified_at: float
    modified_by: tuple[str, str]


@dataclass(frozen=True)
class MetadataType:
    name: str
    folder: str
    suffix: str
    since: float  # first API version that knows the type
    app_kind: str  # which apps it describes: "external_client_app" or "connected_app"
    needs_oauth: bool  # only apps with OAuth enabled have this component
    read: Callable[[App], dict[str, Any]]
    # A settings component is named after its app plus a suffix, e.g. ``My_App_glbloauth`` in
    # ``extlClntAppGlobalOauthSets/My_App_glbloauth.ecaGlblOauth`` (the layout of public projects).
    name_suffix: str = ""
    in_folder: bool = False
    meta_file: bool = False
    children: tuple[str, ...] = ()

    def full_name(self, app: App) -> str:
        return f"{app.api_name}{self.name_suffix}"

    def exists_in(self, version: float) -> bool:
        return version >= self.since

    def describe(self) -> dict[str, Any]:
        """The type's entry in describeMetadata (DescribeMetadataObject)."""
        # One childXmlNames element per child type, before the other fields (the WSDL's order).
        children = Raw("</childXmlNames><childXmlNames>".join(self.children))
        described: dict[str, Any] = {"childXmlNames": children} if self.children else {}
        described.update(directoryName=self.folder, inFolder=_bool(self.in_folder), metaFile=_bool(self.meta_file))
        if self.suffix:
            described["suffix"] = self.suffix.lstrip(".")
        return {**described, "xmlName": self.name}

    def describes(self, app: App) -> bool:
        return app.kind == self.app_kind and (app.oauth_enabled or not self.needs_oauth)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _application(app: App) -> dict[str, Any]:
    # orgScopedExternalApp is seen in public files but its value is not documented: left out.
    return {"contactEmail": app.contact_email, "distributionState": app.distribution_state,
            "isProtected": "false", "label": app.name}


def _global_oauth(app: App) -> dict[str, Any]:
    certificate = {"certificate": app.certificate} if app.certificate else {}
    return {
        "callbackUrl": "\n".join(app.callback_urls), **certificate, "consumerKey": app.consumer_key,
        "externalClientApplication": app.api_name,
        "isClientCredentialsFlowEnabled": _bool(app.client_credentials_enabled), "isCodeCredFlowEnabled": "false",
        "isConsumerSecretOptional": _bool(not app.require_secret_web_server),
        "isDeviceFlowEnabled": "false", "isIntrospectAllTokens": "false", "isNamedUserJwtEnabled": "false",
        "isPkceRequired": _bool(app.require_pkce),
        "isRefreshTokenRotationEnabled": _bool(app.refresh_token_rotation),
        "isSecretRequiredForRefreshToken": _bool(app.require_secret_refresh),
        "isSecretRequiredForTokenExchange": "false", "isTokenExchangeEnabled": "false", "label": app.name}


def _oauth(app: App) -> dict[str, Any]:
    return {"commaSeparatedOauthScopes": catalog.metadata_names(app.scopes),
            "externalClientApplication": app.api_name, "label": app.name}


def _oauth_policies(app: App) -> dict[str, Any]:
    policies = {"externalClientApplication": app.api_name, "ipRelaxationPolicyType": app.ip_relaxation,
                "isClientCredentialsFlowEnabled": _bool(app.client_credentials_enabled), "label": app.name,
                "permittedUsersPolicyType": app.permitted_users,
                "refreshTokenPolicyType": app.refresh_token_policy}
    if app.permitted_users == "AdminApprovedPreAuthorized":
        policies["commaSeparatedProfile"] = ", ".join(app.permitted_profiles)
    if app.client_credentials_user:
        policies["clientCredentialsFlowUser"] = app.client_credentials_user
    return dict(sorted(policies.items()))


def _policies(app: App) -> dict[str, Any]:
    return {"externalClientApplication": app.api_name, "isEnabled": _bool(not app.blocked),
            "isOauthPluginEnabled": _bool(app.oauth_enabled), "label": app.name}


def xml(fields: dict[str, Any]) -> Raw:
    parts = (f"<{k}>{v if isinstance(v, Raw) else escape(str(v))}</{k}>" for k, v in fields.items())
    return Raw("".join(parts))


def _connected_app(app: App) -> dict[str, Any]:
    scopes = "".join(f"<scopes>{catalog.group_of(s).metadata}</scopes>" for s in app.scopes)
    oauth = xml({
        "callbackUrl": "\n".join(app.callback_urls), "consumerKey": app.consumer_key,
        "isAdminApproved": _bool(app.permitted_users == "AdminApprovedPreAuthorized"),
        "isConsumerSecretOptional": _bool(not app.require_secret_web_server),
        "isPkceRequired": _bool(app.require_pkce),
        "isRefreshTokenRotationEnabled": _bool(app.refresh_token_rotation),
        "isSecretRequiredForRefreshToken": _bool(app.require_secret_refresh)})
    policy = xml({"ipRelaxation": app.ip_relaxation.upper(), "refreshTokenPolicy": app.refresh_token_policy.lower()})
    return {"contactEmail": app.contact_email, "label": app.name, "oauthConfig": Raw(oauth + scopes),
            "oauthPolicy": policy}


_ECA = "external_client_app"
TYPES: dict[str, MetadataType] = {t.name: t for t in (
    MetadataType("ExternalClientApplication", "externalClientApps", ".eca", 59.0, _ECA, False, _application),
    MetadataType("ExtlClntAppGlobalOauthSettings", "extlClntAppGlobalOauthSets", ".ecaGlblOauth", 59.0, _ECA,
                 True, _global_oauth, "_glbloauth"),
    MetadataType("ExtlClntAppOauthSettings", "extlClntAppOauthSettings", ".ecaOauth", 59.0, _ECA, True, _oauth,
                 "_oauth"),
    MetadataType("ExtlClntAppOauthConfigurablePolicies", "extlClntAppOauthPolicies", ".ecaOauthPlcy", 59.0, _ECA,
                 False, _oauth_policies, "_oauthPlcy"),
    MetadataType("ExtlClntAppConfigurablePolicies", "extlClntAppPolicies", ".ecaPlcy", 59.0, _ECA, False,
                 _policies, "_plcy"),
    # ConnectedApp is far older than the oldest version this fake serves (31.0).
    MetadataType("ConnectedApp", "connectedApps", ".connectedApp", 29.0, "connected_app", False, _connected_app),
    # The common types of a real org (metadata_catalog); they describe no app, so nothing is listed.
    *(MetadataType(t.name, t.folder, t.suffix, t.since, "none", False, lambda _: {}, in_folder=t.in_folder,
                   meta_file=t.meta_file, children=t.children) for t in COMMON),
)}


def _date(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def file_properties(kind: MetadataType, app: App, audit: Audit) -> dict[str, Any]:
    """One listMetadata entry, every FileProperties field in the WSDL's order. Our choice: every
    component of an app carries the app's id (Salesforce gives each component its own)."""
    name = kind.full_name(app)
    return {"createdById": audit.created_by[0], "createdByName": audit.created_by[1],
            "createdDate": _date(audit.created_at), "fileName": f"{kind.folder}/{name}{kind.suffix}",
            "fullName": name, "id": app.id, "lastModifiedById": audit.modified_by[0],
            "lastModifiedByName": audit.modified_by[1], "lastModifiedDate": _date(audit.modified_at),
            # Our choice: an unmanaged component's namespace is sent empty rather than left out.
            "manageableState": "unmanaged", "namespacePrefix": "", "type": kind.name}

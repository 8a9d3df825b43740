"""Typed requests of the appliance's JSON API and forms, and the one place a body is parsed.

Rule served: bad input gets a 4xx whose message names the field, and no input can produce a 5xx.
Bodies are parsed by pydantic's own JSON parser (strict types, bounded depth, no lone surrogates);
the OpenAPI document (``openapi.py``) is derived from these models. Business rules (password
strength, wizard order, credentials) stay in the core: the models check only shape and size.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from harness.appliance.core.errors import ApplianceError, InvalidInput

# Our choice of bounds: generous for every real value, small enough that no field can exhaust memory.
MAX_BODY = 1_000_000
Name = Annotated[str, StringConstraints(max_length=255)]
Secret = Annotated[str, StringConstraints(max_length=1024)]
Host = Annotated[str, StringConstraints(max_length=300)]
Environment = Literal["production", "sandbox", "custom"]
Schedule = Literal["Hourly", "Daily", "Weekly"]
M = TypeVar("M", bound=BaseModel)


class Body(BaseModel):
    """Strict JSON types: a number is not a string and "yes" is not true. Unknown keys are ignored."""

    model_config = ConfigDict(strict=True, extra="ignore")


class Empty(Body):
    """No fields; any JSON object is accepted."""


class LicenseAcceptance(Body):
    accepted: bool = Field(description="true once the administrator accepts the license agreement")


class Administrator(Body):
    username: Name = Field(description="the local administrator's user name")
    password: Secret = Field(description="at least 8 characters: upper and lower case, a digit, a special")


class Database(Body):
    kind: Literal["sqlite", "postgresql"]
    url: Annotated[str, StringConstraints(max_length=2048)] | None = Field(
        None, description="postgresql:// URL; only for kind postgresql")


class LicenseFile(Body):
    trial: bool = False
    license: Annotated[str, StringConstraints(max_length=200_000)] | None = Field(
        None, description="the license file's text, when not a trial")


class AppCredentials(Body):
    consumer_key: Name
    consumer_secret: Secret


class Authorization(Body):
    environment: Environment = "production"
    my_domain: Host | None = Field(None, description="the My Domain login host, for environment custom")


class BackupSchedule(Body):
    schedule: Schedule


class Login(Body):
    username: Name
    password: Secret


class AddOrganization(Body):
    environment: Environment = "production"
    my_domain: Host | None = None
    consumer_key: Name | None = Field(None, description="3.2 and later: the new org's own app")
    consumer_secret: Secret | None = None


def parse(model: type[M], raw: bytes) -> M:
    """The body as ``model``, or InvalidInput naming the first wrong field."""
    if len(raw) > MAX_BODY:
        raise ApplianceError(f"The body is larger than {MAX_BODY} bytes.", code="too_large")
    try:
        return model.model_validate_json(raw.strip() or b"{}")
    except ValidationError as exc:
        raise InvalidInput(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """One sentence per wrong field, field first: ``schedule: Input should be 'Hourly', ...``."""
    parts = []
    for error in exc.errors(include_url=False)[:3]:
        field = ".".join(str(p) for p in error["loc"]) or "body"
        message = error["msg"] if error["type"] != "json_invalid" else "is not valid JSON"
        parts.append(f"{field}: {message}")
    return "; ".join(parts)


def from_form(model: type[M], form: Mapping[str, object], *names: str) -> M:
    """The named fields of a submitted form as ``model``; empty optional fields count as absent."""
    data: dict[str, object] = {}
    for name in names:
        value = form.get(name)
        if value is None or (value == "" and not model.model_fields[name].is_required()):
            continue
        data[name] = value
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(describe(exc)) from None

"""Errors the core raises; each face turns them into a status code (API) or an alert (pages).

Rule served: docs/design.md house style - errors are classes named after what they carry; the faces
never decide what went wrong, they only show it.
"""

from __future__ import annotations


class ApplianceError(Exception):
    """Base class: ``code`` is stable for tests and drivers, ``message`` is for the administrator."""

    status = 400
    code = "invalid_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidInput(ApplianceError):
    status = 400
    code = "invalid_input"


class WrongStep(ApplianceError):
    status = 409
    code = "wrong_step"


class NotFound(ApplianceError):
    status = 404
    code = "not_found"


class NotLoggedIn(ApplianceError):
    status = 401
    code = "not_logged_in"


class BadCredentials(ApplianceError):
    status = 401
    code = "bad_credentials"

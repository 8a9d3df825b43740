"""The HTML face after the wizard: Salesforce organizations, Add Organization, Edit Connection,
Re-authorize connection, backup policies with Run now, and (before 3.2) the shared Connected App.

Rules served: EDIT-REAUTH (docs/salesforce-facts.md 1.4: Configuration, Salesforce Orgs, Edit Connection; "Re-authorize
connection") and LEGACY-3.2 (Configuration, Security, Connected App). Every page needs a session.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from harness.appliance.core.errors import ApplianceError
from harness.appliance.faces import app_panel, browser_binding, call, callback_for, core, login_gate, policy_id
from harness.appliance.rendering import Page, csrf_refused, form_with_csrf, redirect, render, shows_errors
from harness.appliance.request_models import AddOrganization, AppCredentials, from_form

_DONE = {
    "edited": "The connection was saved. Re-authorize it to use the new app.",
    "app": "The connected app was saved. Re-authorize every organization.",
}


def logged_in(handler: Page) -> Page:
    @wraps(handler)
    async def run(request: Request) -> Response:
        gate = await login_gate(request)
        if gate != "open":
            return redirect("/wizard" if gate == "wizard" else "/login")
        if request.method == "POST" and (form := await form_with_csrf(request)) is None:
            return csrf_refused(request)
        request.state.form = form if request.method == "POST" else {}
        return await handler(request)

    return run


def _form(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.state.form.items() if isinstance(v, str)}


def _page(request: Request, name: str, title: str, status: int = 200, **context: Any) -> Response:
    return render(request, name, status=status, title=title, nav=True, **context)


def _orgs_page(request: Request, status: int = 200, **context: Any) -> Response:
    appliance = core(request)
    query = request.query_params
    if query.get("authorization"):
        outcome = appliance.org_authorization()
        key = "notice" if outcome.status == "connected" else "error"
        if outcome.status != "pending":
            context.setdefault(key, outcome.message)
            context.setdefault("outcome", outcome)
    if query.get("done") in _DONE:
        context.setdefault("notice", _DONE[query["done"]])
    column = appliance.policy.app_column
    return _page(
        request,
        "orgs.html",
        "Salesforce Organizations",
        status,
        orgs=appliance.orgs(),
        app_column=column,
        **context,
    )


async def _orgs_error(request: Request, exc: ApplianceError) -> Response:
    return await call(_orgs_page, request, exc.status, error=exc.message)


@logged_in
async def orgs(request: Request) -> Response:
    return await call(_orgs_page, request)


def _add_error(request: Request, exc: ApplianceError) -> Response:
    form = _form(request)
    return _page(request, "org_add.html", "Add Organization", exc.status, error=exc.message,
                 environment_value=form.get("environment"), my_domain=form.get("my_domain"),
                 **app_panel(request, form.get("consumer_key")))


@logged_in
@shows_errors(_add_error)
async def org_add(request: Request) -> Response:
    if request.method == "GET":
        return _page(request, "org_add.html", "Add Organization", **app_panel(request, None))
    add = from_form(AddOrganization, _form(request), "environment", "my_domain", "consumer_key", "consumer_secret")
    url = await call(core(request).start_add_org, callback_for(request), add.environment, add.my_domain,
                     add.consumer_key, add.consumer_secret, binding=browser_binding(request))
    return redirect(url)


async def _edit_error(request: Request, exc: ApplianceError) -> Response:
    if exc.status == 404:
        return await _orgs_error(request, exc)
    org = await call(core(request).org, request.path_params["org_id"])
    return _page(request, "org_edit.html", "Edit Connection", exc.status, error=exc.message, org=org,
                 **app_panel(request, _form(request).get("consumer_key")))


@logged_in
@shows_errors(_edit_error)
async def org_edit(request: Request) -> Response:
    appliance, org_id = core(request), request.path_params["org_id"]
    org = await call(appliance.org, org_id)
    if request.method == "POST":
        app = from_form(AppCredentials, _form(request), "consumer_key", "consumer_secret")
        await call(appliance.edit_connection, org_id, app.consumer_key, app.consumer_secret)
        return redirect("/configuration/orgs?done=edited")
    return _page(request, "org_edit.html", "Edit Connection", org=org, **app_panel(request, org["app"]))


@logged_in
@shows_errors(_orgs_error)
async def org_reauthorize(request: Request) -> Response:
    url = await call(core(request).start_reauthorize, request.path_params["org_id"], callback_for(request),
                     binding=browser_binding(request))
    return redirect(url)


def _policies_page(request: Request, status: int = 200, **context: Any) -> Response:
    appliance = core(request)
    runs = [r | {"started": _when(r["started_at"])} for r in appliance.all_runs()]
    return _page(
        request, "policies.html", "Backup Policies", status, policies=appliance.all_policies(), runs=runs, **context
    )


def _when(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


async def _policies_error(request: Request, exc: ApplianceError) -> Response:
    return await call(_policies_page, request, exc.status, error=exc.message)


@logged_in
async def policies(request: Request) -> Response:
    return await call(_policies_page, request)


@logged_in
@shows_errors(_policies_error)
async def policy_run(request: Request) -> Response:
    run = await call(core(request).run_now, policy_id(request))
    text = f"Backup run {run['id']}: {run['status']}" + (f". {run['reason']}" if run["reason"] else ".")
    if run["status"] == "Failed":
        return await call(_policies_page, request, error=text)
    return await call(_policies_page, request, notice=text)


def _connected_app_error(request: Request, exc: ApplianceError) -> Response:
    return _page(request, "connected_app.html", "Connected App", exc.status, error=exc.message,
                 **app_panel(request, _form(request).get("consumer_key")))


@logged_in
@shows_errors(_connected_app_error)
async def connected_app(request: Request) -> Response:
    appliance = core(request)
    if request.method == "POST":
        app = from_form(AppCredentials, _form(request), "consumer_key", "consumer_secret")
        await call(appliance.set_connected_app, app.consumer_key, app.consumer_secret)
        return redirect("/configuration/orgs?done=app")
    key = appliance.connected_app()["consumer_key"]
    return _page(request, "connected_app.html", "Connected App", **app_panel(request, key))


async def configuration(request: Request) -> Response:
    return redirect("/configuration/orgs")


def routes() -> list[Route]:
    return [
        Route("/configuration", configuration),
        Route("/configuration/orgs", orgs),
        Route("/configuration/orgs/add", org_add, methods=["GET", "POST"]),
        Route("/configuration/orgs/{org_id}/edit", org_edit, methods=["GET", "POST"]),
        Route("/configuration/orgs/{org_id}/reauthorize", org_reauthorize, methods=["POST"]),
        Route("/configuration/policies", policies),
        Route("/configuration/policies/{policy_id:int}/run", policy_run, methods=["POST"]),
        Route("/configuration/security/connected-app", connected_app, methods=["GET", "POST"]),
    ]

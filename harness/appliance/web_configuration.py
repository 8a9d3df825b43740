"""The HTML face after the wizard: Salesforce organizations, Add Organization, Edit Connection,
Re-authorize connection, backup policies with Run now, and (before 3.2) the shared Connected App.

Rules served: EDIT-REAUTH (docs/salesforce-facts.md 1.4: Configuration, Salesforce Orgs, Edit Connection; "Re-authorize
connection") and LEGACY-3.2 (Configuration, Security, Connected App). Every page needs a session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from harness.appliance.core.errors import ApplianceError, NotFound
from harness.appliance.core.rules import checklist
from harness.appliance.faces import browser_binding, call, callback_for, core, session_user
from harness.appliance.rendering import csrf_refused, form_with_csrf, redirect, render
from harness.appliance.request_models import AddOrganization, AppCredentials, from_form

Page = Callable[[Request], Awaitable[Response]]
_DONE = {
    "edited": "The connection was saved. Re-authorize it to use the new app.",
    "app": "The connected app was saved. Re-authorize every organization.",
}


def logged_in(handler: Page) -> Page:
    @wraps(handler)
    async def run(request: Request) -> Response:
        if not core(request).wizard_state()["finished"]:
            return redirect("/wizard")
        if await call(session_user, request) is None:
            return redirect("/login")
        if request.method == "POST" and (form := await form_with_csrf(request)) is None:
            return csrf_refused(request)
        if request.method == "POST":
            request.state.form = form
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


@logged_in
async def orgs(request: Request) -> Response:
    return await call(_orgs_page, request)


def _app_context(request: Request, consumer_key: str | None = None) -> dict[str, Any]:
    return {
        "callback_url": callback_for(request),
        "checklist_items": checklist(),
        "consumer_key": consumer_key,
    }


@logged_in
async def org_add(request: Request) -> Response:
    if request.method == "GET":
        return _page(request, "org_add.html", "Add Organization", **_app_context(request))
    form = _form(request)
    try:
        add = from_form(AddOrganization, form, "environment", "my_domain", "consumer_key", "consumer_secret")
        url = await call(
            core(request).start_add_org,
            callback_for(request),
            add.environment,
            add.my_domain,
            add.consumer_key,
            add.consumer_secret,
            binding=browser_binding(request),
        )
    except ApplianceError as exc:
        return _page(
            request,
            "org_add.html",
            "Add Organization",
            exc.status,
            error=exc.message,
            environment_value=form.get("environment"),
            my_domain=form.get("my_domain"),
            **_app_context(request, form.get("consumer_key")),
        )
    return redirect(url)


@logged_in
async def org_edit(request: Request) -> Response:
    appliance, org_id = core(request), request.path_params["org_id"]
    try:
        org = await call(appliance.org, org_id)
        if request.method == "POST":
            app = from_form(AppCredentials, _form(request), "consumer_key", "consumer_secret")
            await call(appliance.edit_connection, org_id, app.consumer_key, app.consumer_secret)
            return redirect("/configuration/orgs?done=edited")
    except ApplianceError as exc:
        if exc.status == 404:
            return await call(_orgs_page, request, 404, error=exc.message)
        return _page(
            request,
            "org_edit.html",
            "Edit Connection",
            exc.status,
            error=exc.message,
            org=org,
            **_app_context(request, _form(request).get("consumer_key")),
        )
    return _page(request, "org_edit.html", "Edit Connection", org=org, **_app_context(request, org["app"]))


@logged_in
async def org_reauthorize(request: Request) -> Response:
    try:
        url = await call(
            core(request).start_reauthorize,
            request.path_params["org_id"],
            callback_for(request),
            binding=browser_binding(request),
        )
    except ApplianceError as exc:
        return await call(_orgs_page, request, exc.status, error=exc.message)
    return redirect(url)


def _policies_page(request: Request, status: int = 200, **context: Any) -> Response:
    appliance = core(request)
    runs = [r | {"started": _when(r["started_at"])} for r in appliance.all_runs()]
    return _page(
        request, "policies.html", "Backup Policies", status, policies=appliance.all_policies(), runs=runs, **context
    )


def _when(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@logged_in
async def policies(request: Request) -> Response:
    return await call(_policies_page, request)


@logged_in
async def policy_run(request: Request) -> Response:
    try:
        policy_id = int(request.path_params["policy_id"])
        if not 1 <= policy_id < 2**31:
            raise NotFound(f"There is no backup policy {policy_id}.")
        run = await call(core(request).run_now, policy_id)
    except ApplianceError as exc:
        return await call(_policies_page, request, exc.status, error=exc.message)
    text = f"Backup run {run['id']}: {run['status']}" + (f". {run['reason']}" if run["reason"] else ".")
    if run["status"] == "Failed":
        return await call(_policies_page, request, error=text)
    return await call(_policies_page, request, notice=text)


@logged_in
async def connected_app(request: Request) -> Response:
    appliance = core(request)
    title = "Connected App"
    if request.method == "POST":
        form = _form(request)
        try:
            app = from_form(AppCredentials, form, "consumer_key", "consumer_secret")
            await call(appliance.set_connected_app, app.consumer_key, app.consumer_secret)
        except ApplianceError as exc:
            return _page(
                request,
                "connected_app.html",
                title,
                exc.status,
                error=exc.message,
                **_app_context(request, form.get("consumer_key")),
            )
        return redirect("/configuration/orgs?done=app")
    key = appliance.connected_app()["consumer_key"]
    return _page(request, "connected_app.html", title, **_app_context(request, key))


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

"""The HTML face of the wizard, the OAuth callback on ``/`` and the administrator login.

Rules served: docs/salesforce-facts.md 1.1 (the eight wizard steps, Back and Next keep what was entered); CALLBACK
(Salesforce sends the administrator back to ``https://<host>/?code=..&state=..`` or ``?error=..``,
handled on ``/``); step 5 shows the Callback URL with a Copy button, the checklist and the
Consumer Key / Consumer Secret fields. Handlers are thin: every rule lives in the core.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from harness.appliance import request_models as m
from harness.appliance.core import Appliance
from harness.appliance.core.errors import ApplianceError
from harness.appliance.core.wizard import PASSWORD_SPECIALS, SCHEDULES, STEP_SLUGS
from harness.appliance.faces import (
    app_panel,
    browser_binding,
    call,
    callback_for,
    clear_session,
    core,
    login_gate,
    session_token,
    set_session,
)
from harness.appliance.rendering import csrf_refused, form_with_csrf, redirect, render, shows_errors
from harness.appliance.request_models import from_form


async def home(request: Request) -> Response:
    params = dict(request.query_params)
    appliance = core(request)
    if "state" in params or "code" in params or "error" in params:
        outcome = await call(appliance.handle_callback, params, binding=browser_binding(request))
        # A foreign browser is told here; the attempt's own browser keeps seeing its own outcome.
        foreign = outcome.error_code == "state_foreign"
        if outcome.purpose == "wizard" and not foreign:
            return redirect("/wizard/salesforce")
        if outcome.purpose == "orgs" and not foreign:
            return redirect("/configuration/orgs?authorization=1")
        return render(
            request,
            "message.html",
            status=400,
            title="Authorization Refused",
            error=outcome.message,
            link="/",
            link_text="Back to the appliance",
        )
    return await wizard_index(request)  # straight to the current step: one redirect, not two


async def wizard_index(request: Request) -> Response:
    state = await call(core(request).wizard_state)
    return redirect(await _after_finish(request) if state["finished"] else f"/wizard/{state['slug']}")


async def _after_finish(request: Request) -> str:
    """Once finished, the wizard is closed: the administrator goes to the configuration, others log in."""
    return {"wizard": "/wizard", "login": "/login", "open": "/configuration/orgs"}[await login_gate(request)]


def _step_of(slug: str) -> int:
    return STEP_SLUGS.index(slug) + 1 if slug in STEP_SLUGS else 0


def _page(request: Request, step: int, status: int = 200, **extra: Any) -> Response:
    appliance = core(request)
    slug = STEP_SLUGS[step - 1]
    context: dict[str, Any] = {
        "title": appliance.wizard_titles()[step - 1],
        "titles": appliance.wizard_titles(),
        "step": step,
        "slug": slug,
        "values": appliance.wizard_values(),
    }
    if slug == "administrator":
        context["specials"] = " ".join(PASSWORD_SPECIALS)
    elif slug == "license-file":
        context["enctype"] = "multipart/form-data"
    elif slug == "external-client-app":
        context |= app_panel(request, appliance.app_view()["consumer_key"])
    elif slug == "salesforce":
        context |= _outcome_context(appliance)
    elif slug == "schedule":
        context["schedules"] = SCHEDULES
    elif slug == "summary":
        context["summary"] = appliance.wizard_summary()
    return render(request, f"wizard/{slug}.html", status=status, **(context | extra))


def _outcome_context(appliance: Appliance) -> dict[str, Any]:
    outcome = appliance.wizard_connection()
    if outcome.status == "connected":
        return {"notice": outcome.message, "outcome": outcome}
    if outcome.status in ("refused", "error"):
        return {"error": outcome.message, "outcome": outcome}
    return {}


async def wizard_page(request: Request) -> Response:
    step = _step_of(request.path_params["slug"])
    state = await call(core(request).wizard_state)
    if state["finished"]:
        return redirect(await _after_finish(request))
    if step == 0 or step > state["reached"]:
        return redirect(f"/wizard/{state['slug']}")
    return await call(_page, request, step)


def _back_refused(request: Request, exc: ApplianceError) -> Response:
    return redirect("/wizard")


@shows_errors(_back_refused)
async def wizard_back(request: Request) -> Response:
    step = _step_of(request.path_params["slug"])
    if await call(core(request).wizard_finished):
        return redirect(await _after_finish(request))
    if await form_with_csrf(request) is None:
        return csrf_refused(request)
    state = await call(core(request).wizard_go_to, step - 1)
    return redirect(f"/wizard/{state['slug']}")


async def _step_refused(request: Request, exc: ApplianceError) -> Response:
    step = _step_of(request.path_params["slug"])
    return await call(_page, request, min(step, 8), exc.status, error=exc.message, error_code=exc.code)


@shows_errors(_step_refused)
async def wizard_submit(request: Request) -> Response:
    step = _step_of(request.path_params["slug"])
    if await call(core(request).wizard_finished):
        return redirect(await _after_finish(request))
    form = await form_with_csrf(request)
    if form is None:
        return csrf_refused(request)
    if step == 0:
        return redirect("/wizard")
    if step == 4:
        form["license_text"] = await _read_upload(form.get("license_file"))
    return redirect(await call(_submit_step, request, step, form))


async def _read_upload(upload: Any) -> str:
    if isinstance(upload, UploadFile) and upload.filename:
        return (await upload.read()).decode("utf-8", "replace")
    return ""


def _submit_step(request: Request, step: int, form: dict[str, Any]) -> str:
    """Runs one step's Next (or Authorize / Finish) and returns where the browser goes."""
    appliance = core(request)
    text = {k: v for k, v in form.items() if isinstance(v, str)}
    if step == 1:
        appliance.accept_license(text.get("accepted") == "yes")
    elif step == 2:
        admin = from_form(m.Administrator, text, "username", "password")
        appliance.create_administrator(admin.username, admin.password)
    elif step == 3:
        database = from_form(m.Database, text, "kind", "url")
        appliance.connect_database(database.kind, database.url)
    elif step == 4:
        appliance.provide_license(text.get("license_kind") == "trial", text.get("license_text"))
    elif step == 5:
        app = from_form(m.AppCredentials, text, "consumer_key", "consumer_secret")
        appliance.set_wizard_app(app.consumer_key, app.consumer_secret)
    elif step == 6 and text.get("action") == "authorize":
        where = from_form(m.Authorization, text, "environment", "my_domain")
        return appliance.start_wizard_authorization(
            where.environment, where.my_domain or None, callback_for(request), binding=browser_binding(request)
        )
    elif step == 6:
        appliance.next_from_salesforce()
    elif step == 7:
        appliance.choose_schedule(from_form(m.BackupSchedule, text, "schedule").schedule)
    else:
        appliance.finish_wizard()
        return "/login?finished=1"
    return f"/wizard/{appliance.wizard_state()['slug']}"


async def login_page(request: Request) -> Response:
    if not await call(core(request).wizard_finished):
        return redirect("/wizard")
    notice = (
        "The initial configuration is finished. Log in as the local administrator."
        if request.query_params.get("finished")
        else None
    )
    return render(request, "login.html", title="Log In", notice=notice)


def _login_refused(request: Request, exc: ApplianceError) -> Response:
    username = str(request.state.form.get("username", ""))[:255]
    return render(request, "login.html", status=exc.status, title="Log In", error=exc.message, username=username)


@shows_errors(_login_refused)
async def login_submit(request: Request) -> Response:
    form = await form_with_csrf(request)
    if form is None:
        return csrf_refused(request)
    request.state.form = form
    login = from_form(m.Login, form, "username", "password")
    token = await call(core(request).log_in, login.username, login.password)
    response = redirect("/configuration/orgs")
    set_session(response, token)
    return response


async def logout(request: Request) -> Response:
    if await form_with_csrf(request) is None:
        return csrf_refused(request)
    await call(core(request).log_out, session_token(request))
    response = redirect("/login")
    clear_session(response)
    return response


def routes() -> list[Route]:
    return [
        Route("/", home),
        Route("/wizard", wizard_index),
        Route("/wizard/{slug}", wizard_page, methods=["GET"]),
        Route("/wizard/{slug}", wizard_submit, methods=["POST"]),
        Route("/wizard/{slug}/back", wizard_back, methods=["POST"]),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login_submit, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
    ]

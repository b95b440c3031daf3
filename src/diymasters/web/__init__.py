"""The local web UI: pages over the same operations as the CLI, each also as JSON.

Handlers only parse the request, call one `Masters` operation and render its report. The
app is meant for one person on their own machine, so it guards against other web pages
reaching it: a Host check (DNS rebinding), a CSRF token on every form, and escaping of
everything the user wrote.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import functools
import hmac
import re
import secrets
import signal
import socket
import textwrap
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import jinja2
import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from diymasters import plan, serialise
from diymasters.errors import Category, ConflictError, DiyMastersError
from diymasters.hours import HOURS_RULE, basis_phrase
from diymasters.masters import (
    DEFAULT_PLAN,
    NoDemandError,
    ReadmeNotLinkedError,
    RemovalNeedsConfirmationError,
    ResourceChanged,
    ResourceRemoved,
)
from diymasters.model import (
    InvalidValueError,
    Kind,
    OldDateNeedsConfirmationError,
    Resource,
    Status,
    TimeEntryNotFoundError,
    is_safe_url,
    parse_date,
    parse_hours,
)
from diymasters.serialise import INLINE, OMIT_WHEN_NONE, fields_of
from diymasters.store import CurriculumNotFoundError
from diymasters.study import duration
from diymasters.tracking import WEIGHTING_PHRASES, WEIGHTING_RULE, ResourceReport, whole_percent
from diymasters.web import diagrams
from diymasters.web.kept import PageCache, mark_live
from diymasters.web.limits import Limits, RequestLimits, server_config
from diymasters.web.workers import Server, Workers, WorkerServer, shared_flag, shared_lock

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, MutableMapping

    from starlette.datastructures import FormData
    from starlette.requests import Request
    from starlette.types import ASGIApp, Receive, Scope, Send

    from diymasters.coverage import CoverageReport
    from diymasters.masters import (
        Masters,
        Place,
        PostingAnalysis,
        ResourceView,
        StoredDemand,
        StudyDiscarded,
        StudyStopped,
    )
    from diymasters.plan import PlanReport
    from diymasters.readme import SyncReport
    from diymasters.study import StudyUnderWay
    from diymasters.tracking import ProgressReport
    from diymasters.web.workers import Flag, Link

_P = ParamSpec("_P")
_T = TypeVar("_T")

HERE = Path(__file__).parent
#: Names a browser may use for a server bound to a loopback address.
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
#: What the pages may load: only this server's own files; no inline script, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
#: The response status for each kind of failure.
STATUS = {
    Category.INVALID: 400,
    Category.NOT_FOUND: 404,
    Category.NOT_READY: 400,
    Category.NEEDS_CONFIRMATION: 400,
    Category.LIMIT_EXCEEDED: 413,
    Category.CONFLICT: 409,
    Category.FAILED: 500,
}
#: The pages, in the order the navigation lists them: (path, name, title).
PAGES = (
    ("/", "overview", "Overview"),
    ("/venn", "venn", "Domains"),
    ("/curriculum", "curriculum", "Curriculum"),
    ("/readme", "readme", "README"),
    ("/postings", "postings", "Job postings"),
    ("/gaps", "gaps", "Gaps"),
    ("/plan", "plan", "Plan"),
)
#: Where the switcher may send the learner back to: a page, never another site.
_PAGE_PATHS = frozenset(path for path, _, _ in PAGES)


@dataclass(frozen=True)
class Settings:
    """Where the server listens (requests must name this host and port), and its limits."""

    host: str = "127.0.0.1"
    port: int = 8000
    #: The token every form carries; new for each server, so no other page can know it.
    csrf_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    limits: Limits = field(default_factory=Limits)
    #: Forms check what they were drawn from, then change it: one form at a time, so that
    #: two posted from the same page cannot both pass the check, whichever worker has each.
    forms: contextlib.AbstractContextManager[object] = field(
        default_factory=threading.Lock, compare=False, repr=False
    )
    #: Set once the header's switcher chose a curriculum, so that every worker follows it.
    switched: Flag = field(default_factory=threading.Event, compare=False, repr=False)

    def shared(self) -> Settings:
        """The same settings with the lock and the flag shared by processes forked later."""
        return dataclasses.replace(self, forms=shared_lock(), switched=shared_flag())

    @property
    def loopback(self) -> bool:
        """Whether only this machine can reach the server."""
        return self.host in LOOPBACK

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def allowed_hosts(self) -> frozenset[str]:
        """The Host header values that name this server."""
        names = {self.host, f"[{self.host}]"} if ":" in self.host else {self.host}
        if names & LOOPBACK:
            names |= LOOPBACK
        return frozenset(f"{name}:{self.port}" for name in names) | (
            frozenset(names) if self.port == 80 else frozenset()  # noqa: PLR2004 (HTTP's port)
        )


def template_environment() -> jinja2.Environment:
    """The templates, with the filters and rules every page shares, served or published."""
    templates = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    templates.filters["markdown"] = render_markdown
    templates.filters["code_spans"] = _code_spans
    templates.filters["hunks"] = readme_hunks
    templates.filters["hours"] = _hours
    templates.filters["percent"] = _percent
    templates.filters["basis"] = basis_phrase
    templates.filters["hours_field"] = _hours_field
    templates.filters["duration"] = duration
    # A README can carry any link; only a safe one becomes a live link (`link` macro).
    templates.tests["safe_url"] = is_safe_url
    templates.globals["fingerprint"] = serialise.fingerprint
    templates.globals["weighting_rule"] = WEIGHTING_RULE
    templates.globals["weighting_phrases"] = WEIGHTING_PHRASES
    templates.globals["progress_rule"] = plan.PROGRESS_RULE
    templates.globals["hours_rule"] = HOURS_RULE
    return templates


def create_app(masters: Masters, settings: Settings | None = None) -> ASGIApp:
    """The web UI over one learner's masters."""
    settings = settings or Settings()
    views = _Views(masters, settings)
    routes = [
        *_with_json("/", views.kept(views.overview), json_path="/overview.json"),
        *_with_json("/venn", views.kept(views.venn)),
        *_with_json("/curriculum", views.kept(views.curriculum)),
        *_with_json("/resources/new", views.new_resource),
        Route("/resources", views.add_resource, methods=["POST"]),
        *_with_json("/resources/{id:int}", views.resource),
        Route("/resources/{id:int}/status", views.set_status, methods=["POST"]),
        Route("/resources/{id:int}/log", views.log_hours, methods=["POST"]),
        Route("/resources/{id:int}/note", views.add_note, methods=["POST"]),
        Route("/resources/{id:int}/restore", views.restore, methods=["POST"]),
        Route("/resources/{id:int}/delete", views.delete, methods=["POST"]),
        Route("/resources/{id:int}/study/start", views.study_start, methods=["POST"]),
        Route("/study/stop", views.study_stop, methods=["POST"]),
        Route("/study/discard", views.study_discard, methods=["POST"]),
        Route("/resources/{id:int}/rename", views.rename, methods=["POST"]),
        Route("/resources/{id:int}/move", views.move, methods=["POST"]),
        Route("/entries/{id:int}/edit", views.edit_entry, methods=["POST"]),
        Route("/entries/{id:int}/remove", views.remove_entry, methods=["POST"]),
        *_with_json("/readme", views.readme),
        Route("/readme/sync", views.sync_readme, methods=["POST"]),
        Route("/use", views.use, methods=["POST"]),
        *_with_json("/postings", views.kept(views.postings), methods=["GET", "POST"]),
        *_with_json("/gaps", views.kept(views.gaps)),
        *_with_json("/plan", views.kept(views.plan), methods=["GET", "POST"]),
        Route("/plan.ics", views.plan_calendar),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    handlers = {
        ClientDisconnect: _client_gone,
        HTTPException: views.http_error,
        DiyMastersError: views.failure,
        Exception: views.internal_error,
    }
    app = Starlette(routes=routes, exception_handlers=handlers)
    followed = _FollowSwitch(app, masters, settings.switched)
    return _Guard(RequestLimits(followed, settings.limits), settings)


def _with_json(
    path: str,
    endpoint: Callable[[Request], Awaitable[Response]],
    *,
    methods: list[str] | None = None,
    json_path: str | None = None,
) -> list[Route]:
    """A page and its JSON twin (`/venn` and `/venn.json`), as datasette serves them."""
    return [
        Route(path, endpoint, methods=methods),
        Route(json_path or f"{path}.json", endpoint, methods=methods),
    ]


class _Guard:
    """Refuse requests for another host name, and set headers that keep pages to themselves."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.allowed = settings.allowed_hosts()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        host = headers.get(b"host", b"").decode("latin-1").lower()
        if host not in self.allowed:
            refusal = Response(
                f"Refused: this server answers to {min(self.allowed)}, not {host!r}.\n",
                status_code=421,
                media_type="text/plain",
            )
            await refusal(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_headers(message: Any) -> None:  # noqa: ANN401 (ASGI message)
            if message["type"] == "http.response.start":
                elapsed = (time.perf_counter() - started) * 1000
                message["headers"] = [
                    *message.get("headers", []),
                    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"server-timing", f"app;dur={elapsed:.1f}".encode()),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _FollowSwitch:
    """Work on the curriculum in use once the header's switcher chose one, in any worker.

    A server started on a named curriculum follows the switcher from then on (see
    `Masters.use`); the worker that took the form knows at once, the others from the flag.
    """

    def __init__(self, app: ASGIApp, masters: Masters, switched: Flag) -> None:
        self.app = app
        self.masters = masters
        self.switched = switched

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.masters.curriculum_name is not None and self.switched.is_set():
            self.masters.follow_in_use()
        await self.app(scope, receive, send)


class _Views:
    """The request handlers, sharing the masters, the settings and the templates."""

    def __init__(self, masters: Masters, settings: Settings) -> None:
        self.masters = masters
        self.settings = settings
        self.templates = template_environment()
        self.templates.globals["pages"] = PAGES
        self.templates.globals["version"] = _resource_version
        # Macros imported without the page's context (`study_controls`) draw forms too.
        self.templates.globals["csrf_token"] = settings.csrf_token
        self._one_form_at_a_time = settings.forms
        self.pages = PageCache(masters)

    # --- Rendering ------------------------------------------------------------------------

    def render(
        self,
        request: Request,
        template: str,
        data: object,
        *,
        status: int = 200,
        page: str | None = None,
        **extra: Any,  # noqa: ANN401 (what only the template needs)
    ) -> Response:
        """The page, or its data as JSON when the path ends in `.json`.

        `page` names the navigation entry to mark, when it is not the template's own. A
        study session under way is on every page (a banner) and in every twin (`study`).
        """
        study = self._study_under_way() if status < HTTPStatus.INTERNAL_SERVER_ERROR else None
        if study is not None:
            mark_live(request)  # the banner counts the minutes
        choice = self._choice()
        if _wants_json(request):
            # A report names the curriculum it is about; an error's message is all it says.
            in_use = choice.in_use if choice is not None and template != "error" else None
            payload = serialise.naming(serialise.plain(data), in_use)
            if study is not None and isinstance(payload, dict):
                payload["study"] = serialise.plain(study)
            return JSONResponse(payload, status_code=status)
        html = self.templates.get_template(f"{template}.html").render(
            data=data,
            study=study,
            page=template if page is None else page,
            request_path=request.url.path,
            csrf_token=self.settings.csrf_token,
            saved=request.query_params.get("saved"),
            switched="switched" in request.query_params,
            choice=choice,
            **extra,
        )
        return HTMLResponse(html, status_code=status)

    def _study_under_way(self) -> StudyUnderWay | None:
        """The session under way, for the banner; None when the store cannot say.

        One indexed row, read on the loop like the rendering itself. An error page shows
        the banner too (a second session refused needs its Stop button), but a store that
        fails must not fail the page that says so.
        """
        try:
            return self.masters.study_status().session
        except DiyMastersError:
            return None

    def _choice(self) -> CurriculumChoice | None:
        """The curricula the header's switcher offers, and the one in use (issue 15).

        Two reads of a few rows, on the event loop; None when the store itself failed, so
        that the page saying so can still be drawn.
        """
        try:
            return CurriculumChoice(self.masters.in_use(), tuple(self.masters.curriculum_names()))
        except DiyMastersError:
            return None

    async def failure(self, request: Request, error: Exception) -> Response:
        """An expected failure: its one-line message, with the status its kind maps to."""
        assert isinstance(error, DiyMastersError)  # noqa: S101 (registered for it)
        status = 403 if isinstance(error, _ForbiddenError) else STATUS[error.category]
        text = f"{error}{_hint(error)}"
        return self.render(request, "error", {"error": text}, status=status, page="")

    async def http_error(self, request: Request, error: Exception) -> Response:
        """Unknown paths and methods, as a page rather than Starlette's bare text."""
        assert isinstance(error, HTTPException)  # noqa: S101 (registered for it)
        message = {404: "There is no page here.", 405: "That page does not take this method."}
        text = message.get(error.status_code, error.detail)
        return self.render(request, "error", {"error": text}, status=error.status_code, page="")

    async def internal_error(self, request: Request, error: Exception) -> Response:
        """A bug: one line on the page (the server's log has the traceback)."""
        text = f"internal error: {type(error).__name__}: {error} (please report it)"
        return self.render(request, "error", {"error": text}, status=500, page="")

    async def form(self, request: Request) -> FormData:
        """The posted form, once its CSRF token and origin are checked."""
        origin = request.headers.get("origin")
        if origin is not None and origin not in {
            f"http://{host}" for host in self.settings.allowed_hosts()
        }:
            raise _ForbiddenError(f"a form from {origin} may not change this masters")
        form = await request.form()
        token = form.get("csrf")
        if not isinstance(token, str) or not hmac.compare_digest(token, self.settings.csrf_token):
            raise _ForbiddenError("the form's security token is missing or old; reload the page")
        return form

    # --- Pages ----------------------------------------------------------------------------

    async def overview(self, request: Request) -> Response:
        """Progress, this week's hours, the projected finish and recent activity."""
        return await self._page(request, "overview", self.masters.overview)

    async def venn(self, request: Request) -> Response:
        """The domains as an Euler diagram (or an UpSet matrix) with the resources in it."""
        return await self._page(request, "venn", self.masters.venn)

    async def curriculum(self, request: Request) -> Response:
        """The tree of domains and resources, with forms to change them."""
        data = await _off_loop(self.masters.curriculum_view)
        archived_versions = await _off_loop(self._archived_versions, data)
        return self.render(
            request,
            "curriculum",
            data,
            statuses=list(Status),
            archived_versions=archived_versions,
        )

    def _archived_versions(self, data: ProgressReport) -> dict[int | None, str]:
        return {
            entry.id: _resource_version(self.masters.show(f"#{entry.id}"))
            for entry in data.archived
        }

    async def readme(self, request: Request) -> Response:
        """What syncing the linked README would change, before it is written."""

        def preview() -> ReadmePage:
            try:
                result = self.masters.sync(dry_run=True)
            except ReadmeNotLinkedError as error:
                return ReadmePage(linked=False, message=f"{error}{_hint(error)}")
            return ReadmePage(linked=True, sync=result, version=serialise.fingerprint(result.diff))

        return await self._page(request, "readme", preview)

    async def postings(self, request: Request) -> Response:
        """Paste a posting to see its skills; below, the demand across stored postings."""
        role = request.query_params.get("role") or None
        analysed = None
        if request.method == "POST":
            form = await self.form(request)
            text = str(form.get("text", ""))
            if not text.strip():
                raise InvalidValueError("posting", "", "is empty; paste a job posting")
            cheapest = _ticked(str(form.get("cheapest", "")))
            analysed = await _off_loop(self.masters.analyse_posting, text, cheapest=cheapest)
        demand = await _off_loop(self.masters.stored_demand, role, 30)
        return self.render(request, "postings", PostingsPage(analysed, demand))

    async def gaps(self, request: Request) -> Response:
        """Coverage of the stored postings (or a saved target) and what would close the gaps."""
        target = request.query_params.get("target") or None
        role = request.query_params.get("role") or None
        cheapest = _ticked(request.query_params.get("cheapest"))

        def gaps() -> GapsPage:
            try:
                report = self.masters.gaps(role=role, target=target, cheapest=cheapest)
                return GapsPage(True, report, cheapest=cheapest, role=role, target=target)
            except NoDemandError:
                whose = f" for the role {role!r}" if role else ""
                return GapsPage(available=False, message=f"The store holds no postings{whose}.")

        return await self._page(request, "gaps", gaps)

    async def plan(self, request: Request) -> Response:
        """The saved plan on a timeline, how it is going, and a form to make a new one."""
        if request.method == "POST":
            form = await self.form(request)
            made = await _off_loop(self._make_plan, form)
            return self._after_post(request, "/plan?saved=plan", made)
        data = await _off_loop(self.masters.plan_view)
        timeline = diagrams.timeline(data.plan) if data.plan is not None else None
        return self.render(request, "plan", data, timeline=timeline)

    def _make_plan(self, form: FormData) -> PlanReport:
        hours = _number(form, "hours_per_week", "hours per week")
        return self.masters.plan(calendar=plan.StudyCalendar.weekly(hours))

    async def plan_calendar(self, request: Request) -> Response:
        """The saved plan as an iCalendar file; `?at=HH:MM` times its events from then."""
        at = _time_of_day(request.query_params.get("at", ""))
        data = await _off_loop(self.masters.plan_calendar, DEFAULT_PLAN, at)
        return Response(
            data,
            media_type="text/calendar",
            headers={"content-disposition": 'attachment; filename="diymasters-plan.ics"'},
        )

    # --- Changes --------------------------------------------------------------------------

    async def set_status(self, request: Request) -> Response:
        """Start, finish, drop or reset a resource."""
        return await self._change(request, self._set_status)

    async def log_hours(self, request: Request) -> Response:
        """Record hours spent on a resource."""
        return await self._change(request, self._log_hours)

    async def add_note(self, request: Request) -> Response:
        """Add a paragraph to a resource's notes."""
        return await self._change(request, self._add_note)

    async def restore(self, request: Request) -> Response:
        """Bring back a resource archived when it left the README."""
        return await self._change(request, lambda name, _form: self.masters.restore(name))

    async def delete(self, request: Request) -> Response:
        """Delete a resource for good, with its history, once the learner has said so."""
        return await self._change(request, self._delete)

    async def study_start(self, request: Request) -> Response:
        """Start timing a study session on a resource."""
        return await self._change(request, lambda name, _form: self.masters.study_start(name))

    async def study_stop(self, request: Request) -> Response:
        """Stop the session under way and log its time (or the hours the form gives)."""
        form = await self.form(request)

        def stop() -> StudyStopped:
            text = str(form.get("hours", "")).strip()
            hours = parse_hours(text) if text else None
            with self._one_form_at_a_time:
                return self.masters.study_stop(hours=hours, key=str(form.get("session", "")))

        stopped = await _off_loop(stop)
        shown = stopped.session.resource_id
        saved = "unlogged" if stopped.unlogged else "studied"
        return self._after_post(request, f"/resources/{shown}?saved={saved}", stopped)

    async def study_discard(self, request: Request) -> Response:
        """Drop the session under way without logging it."""
        form = await self.form(request)

        def discard() -> StudyDiscarded:
            with self._one_form_at_a_time:
                return self.masters.study_discard(key=str(form.get("session", "")))

        return self._after_post(request, "/curriculum?saved=discarded", await _off_loop(discard))

    def _delete(self, name: str, form: FormData) -> ResourceRemoved:
        return self.masters.remove(name, confirmed=form.get("confirm") == "yes")

    def _set_status(self, name: str, form: FormData) -> ResourceChanged:
        value = str(form.get("status", ""))
        try:
            status = Status(value)
        except ValueError:
            raise InvalidValueError("status", value, "is not a status") from None
        return self.masters.set_status(name, status)

    def _log_hours(self, name: str, form: FormData) -> ResourceChanged:
        hours = parse_hours(str(form.get("hours", "")))
        note = str(form.get("note", ""))
        return self.masters.log(name, hours, self._day(form), note, confirmed=_confirmed(form))

    def _add_note(self, name: str, form: FormData) -> ResourceChanged:
        return self.masters.note(name, str(form.get("text", "")))

    async def rename(self, request: Request) -> Response:
        """Give a resource a new title."""
        return await self._change(
            request, lambda name, form: self.masters.rename(name, str(form.get("title", "")))
        )

    async def move(self, request: Request) -> Response:
        """Move a resource, with all under it, to another domain or under another resource."""
        return await self._change(request, self._move)

    def _move(self, name: str, form: FormData) -> ResourceChanged:
        domain, under = _place(form)
        return self.masters.move(name, domain=domain, under=under)

    async def edit_entry(self, request: Request) -> Response:
        """Correct a logged entry's hours, day or note."""
        return await self._entry_change(request, self._edit_entry)

    async def remove_entry(self, request: Request) -> Response:
        """Delete an entry logged by mistake."""
        return await self._entry_change(
            request, lambda entry_id, _: self.masters.remove_entry(entry_id)
        )

    def _edit_entry(self, entry_id: int, form: FormData) -> ResourceChanged:
        return self.masters.edit_entry(
            entry_id,
            hours=parse_hours(str(form.get("hours", ""))),
            on=self._day(form),
            note=str(form.get("note", "")),
            confirmed=_confirmed(form),
        )

    def _day(self, form: FormData) -> dt.date | None:
        text = str(form.get("date", "")).strip()
        return parse_date(text, self.masters.today()) if text else None

    async def _change(
        self, request: Request, change: Callable[[str, FormData], object]
    ) -> Response:
        """A change to the resource in the path, if the form still shows what is stored."""
        resource_id = request.path_params["id"]
        name = f"#{resource_id}"

        def check(form: FormData) -> None:
            current = self.masters.show(name)
            if str(form.get("version", "")) != _resource_version(current):
                raise StaleFormError(current.title)

        return await self._checked(request, resource_id, check, lambda form: change(name, form))

    async def _entry_change(
        self, request: Request, change: Callable[[int, FormData], ResourceChanged]
    ) -> Response:
        """A change to the entry in the path, if the form still shows it as stored."""
        entry_id = request.path_params["id"]

        def check(form: FormData) -> None:
            line = next((e for e in self.masters.entries() if e.id == entry_id), None)
            if line is None:
                raise TimeEntryNotFoundError(entry_id)
            if str(form.get("version", "")) != serialise.fingerprint(line):
                raise StaleFormError(f"entry #{entry_id}")

        return await self._checked(request, None, check, lambda form: change(entry_id, form))

    async def _checked(
        self,
        request: Request,
        resource_id: int | None,
        check: Callable[[FormData], None],
        change: Callable[[FormData], object],
    ) -> Response:
        """Check the form against the store and make the change, one form at a time.

        A refusal draws the resource's page again with the reason in one line and what the
        learner typed still in the form; `resource_id` is that page, else the form's `page`.
        """
        form = await self.form(request)
        page_id = resource_id if resource_id is not None else _page_id(form)

        def checked_change() -> object:
            with self._one_form_at_a_time:
                check(form)
                return change(form)

        try:
            result = await _off_loop(checked_change)
        except DiyMastersError as error:
            return await self._refused(request, error, page_id, form)
        return self._after_post(request, _saved_location(page_id, result), result)

    async def _refused(
        self, request: Request, error: DiyMastersError, resource_id: int, form: FormData
    ) -> Response:
        """The resource's page again, saying why the form changed nothing."""
        if _wants_json(request):
            raise error
        try:
            data = await _off_loop(self.masters.resource_view, f"#{resource_id}")
        except DiyMastersError:
            raise error from None
        return self._resource_page(
            request, data, error=error, retry=Retry.of(request.url.path, form)
        )

    # --- A resource's page, and adding one ------------------------------------------------

    async def resource(self, request: Request) -> Response:
        """One resource: its details, its logged entries and the forms that change it."""
        name = f"#{request.path_params['id']}"
        return self._resource_page(request, await _off_loop(self.masters.resource_view, name))

    def _resource_page(
        self,
        request: Request,
        data: ResourceView,
        *,
        error: DiyMastersError | None = None,
        retry: Retry | None = None,
    ) -> Response:
        return self.render(
            request,
            "resource",
            data,
            page="curriculum",
            statuses=list(Status),
            retry=retry or Retry(""),
            ask_date=isinstance(error, OldDateNeedsConfirmationError),
            # Drawn again after a refused form, the page's own path is the form's.
            twin=f"/resources/{data.id}.json",
            **_refusal(error),
        )

    async def new_resource(self, request: Request) -> Response:
        """A form to add a resource to a domain, or under another resource."""
        data = await _off_loop(self._new_resource_page)
        asked = Retry("/resources", dict(request.query_params))
        return self._new_resource_form(request, data, retry=asked)

    def _new_resource_page(self) -> NewResourcePage:
        return NewResourcePage(self.masters.places(), tuple(Kind))

    def _new_resource_form(
        self,
        request: Request,
        data: NewResourcePage,
        *,
        retry: Retry,
        error: DiyMastersError | None = None,
    ) -> Response:
        return self.render(
            request,
            "new_resource",
            data,
            page="curriculum",
            retry=retry,
            twin="/resources/new.json",
            **_refusal(error),
        )

    async def add_resource(self, request: Request) -> Response:
        """Add the resource the form describes, where it says."""
        form = await self.form(request)

        def add() -> ResourceChanged:
            with self._one_form_at_a_time:
                if str(form.get("version", "")) != serialise.fingerprint(self.masters.places()):
                    raise StaleFormError("the curriculum's domains")
                domain, under = _place(form)
                return self.masters.add(_new_resource(form), domain=domain, under=under)

        try:
            added = await _off_loop(add)
        except DiyMastersError as error:
            if _wants_json(request):
                raise
            data = await _off_loop(self._new_resource_page)
            retry = Retry.of("/resources", form)
            return self._new_resource_form(request, data, retry=retry, error=error)
        assert added.id is not None  # noqa: S101 (a stored resource)
        return self._after_post(request, _saved_location(added.id, added), added)

    async def use(self, request: Request) -> Response:
        """Choose the curriculum every page (and the CLI) works on, then go back to the page.

        No stale-form check: the form names the curriculum to use, which means the same
        whatever the page showed, and choosing loses nothing.
        """
        form = await self.form(request)
        chosen = await _off_loop(self.masters.use, str(form.get("curriculum", "")))
        self.settings.switched.set()
        back = str(form.get("back", ""))
        page = back if back in _PAGE_PATHS else "/"
        return self._after_post(request, f"{page}?switched", chosen)

    def _after_post(self, request: Request, location: str, result: object) -> Response:
        """Back to the page (post, redirect, get), or, for a script, the result itself.

        As JSON it names the curriculum it changed, as the CLI's JSON of the same change does.
        """
        if request.headers.get("accept", "").startswith("application/json"):
            return JSONResponse(serialise.naming(serialise.plain(result), self.masters.in_use()))
        return RedirectResponse(location, status_code=303)

    async def sync_readme(self, request: Request) -> Response:
        """Write progress to the linked README, if it is still as previewed."""
        form = await self.form(request)

        def sync() -> SyncReport:
            with self._one_form_at_a_time:
                preview = self.masters.sync(dry_run=True)
                if str(form.get("version", "")) != serialise.fingerprint(preview.diff):
                    raise StaleFormError("the README")
                return self.masters.sync()

        result = await _off_loop(sync)
        return self._after_post(request, "/readme?saved=readme", result)

    # --- Plumbing -------------------------------------------------------------------------

    def kept(
        self, page: Callable[[Request], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        """A page drawn from the store alone, answered from what was drawn while it is unchanged."""

        async def kept_page(request: Request) -> Response:
            return await self.pages.answer(request, page)

        return kept_page

    async def _page(self, request: Request, page: str, build: Callable[[], object]) -> Response:
        return self.render(request, page, await _off_loop(build))


def _ticked(value: str | None) -> bool:
    """Whether a checkbox or a flag in the query is on: "1", "on", "true" or "yes"."""
    return (value or "").strip().lower() in {"1", "on", "true", "yes"}


async def _off_loop(work: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """Run the core's blocking work (the store, the solver) in a worker thread.

    The event loop stays free meanwhile, so one slow page (a plan solve) does not stall
    every other request, and the request timeout can still answer.
    """
    return await run_in_threadpool(work, *args, **kwargs)


@dataclass(frozen=True)
class NewResourcePage:
    """The form that adds a resource: the domains it can go in, and the kinds it can be."""

    places: tuple[Place, ...]
    kinds: tuple[Kind, ...]


@dataclass(frozen=True)
class CurriculumChoice:
    """What the header shows: the curriculum in use, and the others to switch to."""

    in_use: str | None
    names: tuple[str, ...]


@dataclass(frozen=True)
class PostingsPage:
    """The job postings page: a pasted posting analysed (if any), and the stored demand."""

    posting: PostingAnalysis | None
    corpus: StoredDemand


@dataclass(frozen=True)
class GapsPage:
    """The gaps page: the coverage report, or why there is none."""

    available: bool
    report: CoverageReport | None = field(default=None, metadata=INLINE)
    message: str | None = field(default=None, metadata=OMIT_WHEN_NONE)
    #: Whether the recommendations are the cheapest set rather than complementary picks.
    cheapest: bool = False
    #: The role or saved target the demand is of, kept when switching how picks are made.
    role: str | None = field(default=None, metadata=OMIT_WHEN_NONE)
    target: str | None = field(default=None, metadata=OMIT_WHEN_NONE)


@dataclass(frozen=True)
class ReadmePage:
    """The README page: what a sync would do, or why there is no README to sync."""

    linked: bool
    #: The dry run of a sync, when the curriculum has a README.
    sync: SyncReport | None = field(default=None, metadata=INLINE)
    #: The fingerprint of the previewed diff, which the sync form posts back.
    version: str | None = field(default=None, metadata=OMIT_WHEN_NONE)
    message: str | None = field(default=None, metadata=OMIT_WHEN_NONE)


class StaleFormError(ConflictError):
    """The page a form came from no longer shows what is stored."""

    def __init__(self, what: str) -> None:
        """Say nothing was saved, and why."""
        super().__init__(
            f"{what} changed after this page was drawn (in another tab or from the command "
            "line); nothing was saved. Reload the page to see the change, then try again."
        )


def _hint(error: DiyMastersError) -> str:
    """What the page adds to a core error: a command, or the box that gives a confirmation.

    The command sets up what the web cannot; the box is the form's `--force` or `--yes`.
    """
    if isinstance(error, ReadmeNotLinkedError):
        return "; run `diymasters import PATH` first"
    if isinstance(error, CurriculumNotFoundError) and not error.known:
        return "; run `diymasters init`"
    if isinstance(error, OldDateNeedsConfirmationError):
        return "; tick “Yes, that date” to log it all the same"
    if isinstance(error, RemovalNeedsConfirmationError):
        return "; tick “Also delete” to remove them with it"
    return ""


class _ForbiddenError(DiyMastersError):
    """A request that may not change anything."""

    def __init__(self, why: str) -> None:
        super().__init__(f"Refused: {why}.")


async def _client_gone(_request: Request, _error: Exception) -> Response:
    """A client that left mid-request (or was cut off for being too slow): no one to answer.

    Handled here so that it is not logged as a bug with a traceback.
    """
    return Response(status_code=400)


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or request.headers.get("accept", "").startswith(
        "application/json"
    )


def _time_of_day(text: str) -> dt.time | None:
    """A time of day from a query ("19:00"), or None for an empty one."""
    if not text.strip():
        return None
    try:
        return dt.time.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValueError("time of day", text, "is not a time (use HH:MM)") from None


def _number(form: FormData, key: str, what: str) -> float:
    text = str(form.get(key, "")).strip()
    try:
        return float(text)
    except ValueError:
        raise InvalidValueError(what, text, "is not a number") from None


def _resource_version(entry: ResourceReport) -> str:
    """A resource's fingerprint as a form shows it: its own fields, not its children's.

    Only a report's fields count, so that its page (a `ResourceView`) draws the same one.
    """
    fields = serialise.plain(ResourceReport(**fields_of(entry, ResourceReport)))
    assert isinstance(fields, dict)  # noqa: S101 (a dataclass is an object)
    return serialise.fingerprint(
        {k: v for k, v in fields.items() if k not in {"children", "time_entries"}}
    )


def _refusal(error: DiyMastersError | None) -> dict[str, Any]:
    """The status of a form's page drawn again, and the one line that says why it was refused."""
    if error is None:
        return {"status": 200, "error": None}
    return {"status": STATUS[error.category], "error": f"{error}{_hint(error)}"}


def _confirmed(form: FormData) -> bool:
    """Whether the learner ticked the box that stands for the CLI's `--force` or `--yes`."""
    return form.get("confirm") == "yes"


def _place(form: FormData) -> tuple[str | None, str | None]:
    """Where a form puts a resource: (domain, None), or (None, a resource to go under)."""
    under = str(form.get("under", "")).strip()
    domain = str(form.get("domain", "")).strip()
    return (None, under) if under else (domain or None, None)


def _new_resource(form: FormData) -> Resource:
    hours = str(form.get("hours", "")).strip()
    kind = str(form.get("kind", Kind.COURSE))
    try:
        chosen = Kind(kind)
    except ValueError:
        raise InvalidValueError("kind", kind, "is not a kind of resource") from None
    return Resource(
        title=str(form.get("title", "")).strip(),
        kind=chosen,
        url=str(form.get("url", "")).strip() or None,
        estimated_hours=parse_hours(hours) if hours else None,
    )


def _page_id(form: FormData) -> int:
    """The resource whose page an entry's form was drawn on, to go back to."""
    text = str(form.get("page", ""))
    if not text.isdigit():
        raise InvalidValueError("page", text, "is not a resource id")
    return int(text)


def _saved_location(resource_id: int, result: object) -> str:
    """Where a change goes back to: the resource's page, or the curriculum once it is gone."""
    if isinstance(result, ResourceRemoved):
        return "/curriculum?saved=removed"
    unchanged = isinstance(result, ResourceChanged) and result.unchanged
    return f"/resources/{resource_id}?saved={'unchanged' if unchanged else 'yes'}"


@dataclass(frozen=True)
class Retry:
    """What a refused form held, to draw it again filled in: its action and its fields."""

    action: str
    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, action: str, form: FormData) -> Retry:
        """The form's fields as typed, without its token."""
        return cls(action, {k: str(v) for k, v in form.items() if k not in {"csrf", "version"}})

    def value(self, action: str, key: str, default: object = "") -> str:
        """The field as typed, when this is the form that was refused, else its default."""
        if action == self.action and key in self.values:
            return self.values[key]
        return "" if default is None else str(default)


_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
_ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "br"}


#: What a README preview may show besides a note's tags: its headings and rules.
_README_TAGS = _ALLOWED_TAGS | {"h1", "h2", "h3", "h4", "h5", "h6", "hr"}
#: A task list's boxes, which CommonMark leaves as text, drawn as the boxes they stand for;
#: an item may carry the class that marks it changed.
_BOXES = re.compile(r'(<li(?: class="changed")?>)(<p>)?\[([ xX])\] ')


def render_markdown(text: str | None) -> Markup:
    """A note's Markdown as HTML that can hold no script: raw HTML off, then sanitised."""
    return _sanitised(_MARKDOWN.render(text or ""), _ALLOWED_TAGS)


def _sanitised(html: str, tags: set[str]) -> Markup:
    clean = nh3.clean(
        html,
        tags=tags,
        # The only class is the one `_preview` sets: with raw HTML off, Markdown sets none.
        attributes={"a": {"href", "title"}, "li": {"class"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704 (sanitised just above)


@dataclass(frozen=True)
class Hunk:
    """One change of a README diff: its lines as the diff shows them, and the new text drawn."""

    lines: tuple[str, ...]
    preview: Markup


def readme_hunks(diff: str) -> list[Hunk]:
    """A unified diff's hunks, each beside the Markdown it leaves, rendered as a preview.

    The preview is the new side only (context and added lines), rendered like a note: raw
    HTML off and sanitised, so a README can put nothing live on the page.
    """
    hunks: list[list[str]] = []
    for line in diff.splitlines():
        if line.startswith("@@"):
            hunks.append([line])
        elif hunks:
            hunks[-1].append(line)
    return [Hunk(tuple(lines), _preview(lines[1:])) for lines in hunks]


def _preview(lines: list[str]) -> Markup:
    """The new side of a hunk rendered, each list item a sync adds or changes marked."""
    new_side = [line for line in lines if line[:1] in {" ", "+"}]
    added = {number for number, line in enumerate(new_side) if line.startswith("+")}
    # Dedented: a hunk that starts inside a nested list would otherwise read as code.
    tokens = _MARKDOWN.parse(textwrap.dedent("\n".join(line[1:] for line in new_side)))
    for token in tokens:
        if token.type == "list_item_open" and token.map and token.map[0] in added:
            token.attrSet("class", "changed")
    html = _sanitised(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}), _README_TAGS)
    boxes = _BOXES.sub(lambda m: f"{m[1]}{m[2] or ''}{'☐' if m[3] == ' ' else '☑'} ", html)
    return Markup(boxes)  # noqa: S704 (sanitised HTML, with a box character added)


_CODE_SPAN = re.compile(r"`([^`]+)`")


def _code_spans(text: object) -> Markup:
    """A message's `commands` as code, everything else escaped: the core writes them so."""
    escaped = str(Markup.escape(str(text)))
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", escaped))  # noqa: S704 (escaped above)


def _hours(value: float | None) -> str:
    """Hours as every page shows them: to the hundredth, as the CLI does, no trailing zeros."""
    return "-" if value is None else f"{value:,.2f}".rstrip("0").removesuffix(".") + " h"


def _hours_field(hours: float) -> str:
    """Hours as the log form reads them back: "1.5", or "0:01" for a timed minute.

    "%g" showed a minute timed by a study session as 0.0166667.
    """
    if round(hours, 2) == hours:
        return f"{hours:g}"
    minutes = round(hours * 60)
    if abs(minutes - hours * 60) < 1e-6:  # noqa: PLR2004 (a float's own error)
        return f"{minutes // 60}:{minutes % 60:02d}"
    return f"{round(hours, 4):g}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{whole_percent(value)}%"


# --- Serving -------------------------------------------------------------------------------


def fetch(app: ASGIApp, path: str, settings: Settings) -> tuple[int, dict[str, str], bytes]:
    """GET one path in-process, as `serve --get` does for scripts and smoke tests."""
    status = 0
    headers: dict[str, str] = {}
    body = bytearray()
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", f"{settings.host}:{settings.port}".encode())],
        "client": ("127.0.0.1", 0),
        "server": (settings.host, settings.port),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            headers.update((k.decode(), v.decode()) for k, v in message["headers"])
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    async def run() -> None:
        await app(scope, receive, send)

    asyncio.run(run())
    return status, headers, bytes(body)


class ListenError(DiyMastersError):
    """The server cannot take the address it was given."""

    def __init__(self, host: str, port: int, why: str) -> None:
        """Say which address, why, and what to try."""
        hint = "try another port" if "in use" in why.casefold() else "check the address"
        super().__init__(f"cannot listen on {host}:{port}: {why}; {hint}")


def listen(host: str, port: int) -> socket.socket:
    """A listening socket, bound before the server starts so a busy port is one clear line.

    Port 0 takes any free port; the socket knows which. It names TCP as its protocol: asyncio
    turns Nagle's algorithm off only on sockets that do, and with it on, every response
    after the first on a kept-alive connection waited 40 ms for the browser's delayed ACK
    between its head and its body (issue 18).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    except OSError as error:
        raise ListenError(host, port, error.strerror or str(error)) from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise ListenError(host, port, error.strerror or str(error)) from None
    sock.set_inheritable(True)
    return sock


#: The pages each worker draws before the server says it is serving: over 10,000 postings
#: the demand and gaps reports take a second each, so the first visit finds them drawn.
WARM_PAGES = ("/", "/postings", "/gaps")


def serve(
    masters: Masters,
    sock: socket.socket,
    settings: Settings,
    *,
    workers: int = 1,
    ready: Callable[[], None] = lambda: None,
) -> None:
    """Answer requests on the socket until Ctrl-C, then return; `ready` once warm.

    With several `workers`, each is a process of its own on the same socket: this one lets
    go of the store's connections first, and each worker opens its own. uvicorn shuts down
    gracefully on Ctrl-C and then raises the signal again for the handler it found; ignoring
    it here makes stopping the server what it is, a normal end.
    """
    if workers > 1:
        masters.store.close()
        run = functools.partial(_serve_worker, masters, sock, settings.shared())
        Workers(run, workers).run(ready)
        return
    config = server_config(_warmed(masters, settings), settings.limits)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        Server(config, ready).run(sockets=[sock])
    finally:
        signal.signal(signal.SIGINT, previous)


def _serve_worker(masters: Masters, sock: socket.socket, settings: Settings, link: Link) -> None:
    """One worker: its own connections to the store, warm before it says it has started."""
    app = _warmed(masters.reopened(), settings)
    WorkerServer(server_config(app, settings.limits), link).run(sockets=[sock])


def _warmed(masters: Masters, settings: Settings) -> ASGIApp:
    """The app, with the demand and gaps reports worked out and the pages most asked for kept.

    The solver loads first, in this thread: hiding its banner points stdout away for a
    moment. What fails here fails again when asked, and the page says so in one line.
    """
    plan.load_solver()
    app = create_app(masters, settings)
    with contextlib.suppress(Exception):
        masters.prepare_reports()
    for path in WARM_PAGES:
        with contextlib.suppress(Exception):
            fetch(app, path, settings)
    return app


def settings_for(sock: socket.socket, limits: Limits | None = None) -> Settings:
    """Settings for a server on this socket."""
    host, port = sock.getsockname()[:2]
    return Settings(host=host, port=port, limits=limits or Limits())

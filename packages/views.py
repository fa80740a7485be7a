"""Web views: importing a package, and playing it sandboxed.

The learner's unit page frames ``play`` (a signed-in member of the organisation),
which opens their attempt and sends the frame to the package's launch file under
``/c/<token>/f/...``. Those responses carry a Content-Security-Policy ``sandbox``
without ``allow-same-origin``: the content runs with an opaque origin, so it can
neither read the platform's cookies nor reach into the unit page. It sends no
cookies either, which is why the token in the path, not a session, is the proof:
every relative link of the package keeps it. HTML files get the runtime script
(``static/packages/scorm-runtime.js``) and the attempt's data model injected at the
top of their head, so ``window.API`` / ``window.API_1484_11`` live in the SCO's own
window (a frame of another opaque origin could not reach it). The runtime commits
to ``/c/<token>/runtime/commit/`` with CORS for origin ``null``.
"""

from __future__ import annotations

import json
import mimetypes
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import json_script
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt

from microlearning.access import live_block
from organisations.access import member_required
from organisations.forms import add_service_errors
from organisations.permissions import Action
from organisations.tenancy import organisation_scope

from . import runtime, selectors, services
from .forms import PackageUploadForm
from .inspection import safe_name

# What packaged content may do inside its sandbox: run its own scripts and styles
# (authoring tools inline and eval them), load its own files, talk to this origin
# only (the commit endpoint), and be framed by the unit page only.
SANDBOX_POLICY = (
    "sandbox allow-scripts allow-forms allow-popups allow-modals; "
    "default-src 'self' data: blob:; "
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)
HTML_TYPES = {"text/html", "application/xhtml+xml"}
_HEAD = re.compile(rb"<head\b[^>]*>", re.IGNORECASE)


@member_required(Action.AUTHOR_UNITS)
def package_upload(request):
    form = PackageUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["package"]
        try:
            package = services.package_import(
                by=request.membership,
                upload=upload,
                size=upload.size,
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            # The zip's problems belong next to the file field, where the author looks.
            if not hasattr(exc, "error_dict"):
                exc = ValidationError({"package": exc.error_list})
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Package imported. Preview the unit, then publish it."))
            return redirect("microlearning:unit_edit", request.organisation.slug, package.unit_id)
    return render(request, "packages/upload.html", {"form": form})


def _sandboxed(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response._csp_exempt = True  # the policy above replaces the site's, not merges into it
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"  # the token never leaves in a Referer
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@xframe_options_sameorigin
@member_required()
def play(request, unit_id: int, block_id: int):
    """Open this learner's attempt at the block's SCO and send the frame to it."""
    unit, block = live_block(request, unit_id, block_id)
    if block.kind != "package":
        raise Http404
    package = selectors.package_for_block(block=block, organisation_id=request.organisation.pk)
    sco = selectors.launchable(package=package, sco=block.data.get("sco", "")) if package else None
    if sco is None:
        raise Http404
    attempt = services.attempt_open(package=package, block=block, membership=request.membership)
    path, _sep, query = sco["href"].partition("?")
    url = reverse("package_content:file", args=[services.attempt_token(attempt), path])
    response = redirect(url + (f"?{query}" if query else ""))
    response["Cache-Control"] = "no-store"
    return _sandboxed(response)


def _attempt(token: str):
    """(organisation id, attempt) for a launch token, or 404 (never a hint which part failed)."""
    try:
        organisation_id, attempt_id, key = services.token_read(token)
    except services.BadToken as exc:
        raise Http404 from exc
    return organisation_id, attempt_id, key


def _injection(*, token: str, attempt, membership) -> bytes:
    data = {
        "model": runtime.browser_model(attempt.package.standard),
        "values": services.launch_values(attempt=attempt, membership=membership),
        "commit": reverse("package_content:commit", args=[token]),
    }
    # json_script escapes <, > and & and json.dumps keeps it ASCII: safe in any
    # ASCII-compatible encoding the package's page is written in.
    return (
        str(json_script(data, "werkwijs-scorm")).encode()
        + f'<script src="{static("packages/scorm-runtime.js")}"></script>'.encode()
    )


@xframe_options_sameorigin
def content_file(request, token: str, path: str):
    """A file of the attempt's package; its HTML pages carry the runtime."""
    if request.method not in {"GET", "HEAD"}:
        return HttpResponseNotAllowed(["GET", "HEAD"])
    organisation_id, attempt_id, key = _attempt(token)
    name = safe_name(path)
    if name is None:
        raise Http404
    with organisation_scope(organisation_id):
        attempt = selectors.attempt_for_launch(
            organisation_id=organisation_id, attempt_id=attempt_id, key=key
        )
        if attempt is None:
            raise Http404
        stored = attempt.package.storage_prefix + name
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        try:
            handle = default_storage.open(stored, "rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404 from exc
        if content_type in HTML_TYPES:
            with handle:
                page = handle.read()
            injected = _injection(token=token, attempt=attempt, membership=attempt.member)
            head = _HEAD.search(page)
            at = head.end() if head else 0
            response = HttpResponse(page[:at] + injected + page[at:], content_type=content_type)
            response["Cache-Control"] = "no-store"
            return _sandboxed(response)
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return _sandboxed(response)


def _cors(response: HttpResponse) -> HttpResponse:
    # The sandboxed content has the opaque origin "null" and sends no credentials.
    response["Access-Control-Allow-Origin"] = "null"
    response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Content-Type"
    response["Access-Control-Max-Age"] = "600"
    response["Vary"] = "Origin"
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # no cookie reaches here: the signed token in the path is the proof
def commit(request, token: str):
    """The runtime's LMSCommit / Commit (and Finish / Terminate): the values the SCO set."""
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204))
    if request.method != "POST":
        return _cors(HttpResponseNotAllowed(["POST", "OPTIONS"]))
    organisation_id, attempt_id, key = _attempt(token)
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _cors(JsonResponse({"error": _("The request is not JSON.")}, status=400))
    if not isinstance(body, dict):
        return _cors(JsonResponse({"error": _("The request is not JSON.")}, status=400))
    with organisation_scope(organisation_id):
        attempt = selectors.attempt_for_launch(
            organisation_id=organisation_id, attempt_id=attempt_id, key=key
        )
        if attempt is None:
            raise Http404
        try:
            attempt = services.attempt_commit(
                attempt=attempt,
                values=body.get("values", {}),
                finish=bool(body.get("finish")),
                membership=attempt.member,
            )
        except ValidationError as exc:
            return _cors(JsonResponse({"error": " ".join(exc.messages)}, status=400))
        return _cors(
            JsonResponse(
                {
                    "completion": attempt.completion_status,
                    "success": attempt.success_status,
                    "done": attempt.completed_at is not None,
                }
            )
        )

"""HR exports: start one, watch its progress, download it through a signed link.

The progress page works without JavaScript (it reloads itself while the export
runs); with it, a small script polls the status and updates the progress bar.
"""

from __future__ import annotations

from django import forms
from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from organisations.access import member_required
from organisations.permissions import Action

from .. import selectors
from ..exports import jobs, links
from ..exports.source import export_parameters
from ..models import ExportJob
from ..selectors.report import report_filters_parse

# Seconds between reloads of the progress page without JavaScript, and between polls with it.
REFRESH_SECONDS = 2
LINK_TAMPERED = gettext_lazy(
    "This download link is not valid: it may have been changed or cut short. "
    "Open the export from the reports page to get a fresh link."
)
LINK_EXPIRED = gettext_lazy(
    "This download link has expired: exports are kept for %(hours)s hours. "
    "Start a new export from the reports page."
)


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=ExportJob.Format.choices)


def _status(job: ExportJob) -> dict:
    labels = {
        ExportJob.Status.QUEUED: _("Waiting for a free worker…"),
        ExportJob.Status.RUNNING: _("Writing the export: %(done)s of %(total)s rows")
        % {"done": job.progress_done, "total": job.progress_total},
        ExportJob.Status.DONE: _("Ready to download."),
        ExportJob.Status.FAILED: _("The export could not be made."),
        ExportJob.Status.EXPIRED: _("This export has expired and its file was deleted."),
    }
    return {
        "status": job.status,
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "active": job.is_active,
        "label": labels[ExportJob.Status(job.status)],
    }


def _download_url(request, job: ExportJob) -> str:
    token = links.export_download_token(organisation_id=job.organisation_id, export_id=job.pk)
    return reverse("analytics:export_download", args=[request.organisation.slug, token])


@require_POST
@member_required(Action.VIEW_ORGANISATION_REPORTS)
def export_start(request):
    form = ExportForm({"format": request.POST.get("format", "")})
    parameters = export_parameters(request.POST)
    filters, errors = report_filters_parse(
        organisation=request.organisation,
        params=parameters,
        today=selectors.organisation_today(organisation=request.organisation),
    )
    if not form.is_valid() or filters is None:
        return render(
            request,
            "400.html",
            {
                "message": " ".join(errors)
                or _("Choose CSV, XLSX or PDF and a period from the list.")
            },
            status=400,
        )
    job = jobs.export_start(
        membership=request.membership,
        format=form.cleaned_data["format"],
        parameters=parameters,
        language=translation.get_language() or request.organisation.language,
    )
    return redirect("analytics:export_detail", request.organisation.slug, job.pk)


@require_GET
@member_required()
def export_detail(request, export_id: int):
    job = get_object_or_404(
        selectors.exports_visible_to(membership=request.membership), pk=export_id
    )
    ready = job.status == ExportJob.Status.DONE
    return render(
        request,
        "analytics/export_detail.html",
        {
            "job": job,
            "state": _status(job),
            "refresh_seconds": REFRESH_SECONDS,
            "download_url": _download_url(request, job) if ready else "",
            "keep_hours": int(jobs.KEEP.total_seconds() // 3600),
        },
    )


@require_GET
@member_required()
def export_status(request, export_id: int):
    job = get_object_or_404(
        selectors.exports_visible_to(membership=request.membership), pk=export_id
    )
    return JsonResponse(_status(job))


def _link_problem(request, message: str, status: int):
    return render(
        request, "analytics/export_link_problem.html", {"message": message}, status=status
    )


@require_GET
@member_required()
def export_download(request, token: str):
    expired = LINK_EXPIRED % {"hours": int(jobs.KEEP.total_seconds() // 3600)}
    try:
        export_id = links.export_download_read(token, organisation_id=request.organisation.pk)
    except links.ForeignLink as exc:
        raise Http404 from exc
    except signing.SignatureExpired:
        return _link_problem(request, expired, 410)
    except signing.BadSignature:
        return _link_problem(request, LINK_TAMPERED, 400)
    job = get_object_or_404(
        selectors.exports_visible_to(membership=request.membership), pk=export_id
    )
    if job.status != ExportJob.Status.DONE or not job.file_path or job.expires_at <= timezone.now():
        return _link_problem(request, expired, 410)
    try:
        handle = default_storage.open(job.file_path, "rb")
    except FileNotFoundError:
        return _link_problem(request, expired, 410)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=job.file_path.rsplit("/", 1)[-1],
        content_type=jobs.CONTENT_TYPES[ExportJob.Format(job.format)],
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

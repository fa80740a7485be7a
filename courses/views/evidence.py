"""Pages for evidence on trajectory steps: the conversation with its forms, the sign-off
queue, one submission for its signer, files, and answering a colleague's feedback request.

Objects load through the request's organisation (another's id: 404); whether the
member may see or sign is asked of ``organisations.permissions`` (no: 403).
"""

from __future__ import annotations

from csp.decorators import csp
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from microlearning.views.files import FILE_POLICY
from organisations.access import member_required
from organisations.models import Membership
from organisations.permissions import may_see_evidence, may_submit_evidence
from organisations.selectors import active_members

from ..models import EvidenceFile, StepProgress
from ..selectors import evidence as selectors
from ..services import evidence as services
from ..services.progress import progress_check_open

# --- Forms ------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": services.ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class EvidenceForm(forms.Form):
    """What a round holds; the service checks it against what the step asks."""

    text = forms.CharField(
        label=gettext_lazy("What did you do, and what did you learn?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=services.TEXT_MAX_LENGTH,
    )
    files = MultipleFileField(label=gettext_lazy("Files"), required=False)
    checklist = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Checklist"),
        widget=forms.CheckboxSelectMultiple,
        coerce=int,
        required=False,
    )

    def __init__(self, *args, step, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.fields["text"].required = step.evidence_text
        if not step.evidence_text:
            self.fields["text"].label = gettext_lazy("A note (optional)")
        self.fields["files"].required = step.evidence_files
        self.fields["files"].help_text = _(
            "Up to %(count)s files of at most %(size)s each: PDF, images, Office or "
            "OpenDocument files, plain text."
        ) % {"count": services.evidence_max_files(), "size": _size(services.evidence_max_bytes())}
        if step.evidence_checklist:
            self.fields["checklist"].choices = list(enumerate(step.evidence_checklist))
        else:
            del self.fields["checklist"]
        if not step.evidence_files:
            del self.fields["files"]


def _size(value: int) -> str:
    from django.template.defaultfilters import filesizeformat

    return filesizeformat(value)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve")), ("changes", gettext_lazy("Ask for changes"))]
    )
    feedback = forms.CharField(
        label=gettext_lazy("Feedback"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=services.FEEDBACK_MAX_LENGTH,
        help_text=gettext_lazy("Needed when you ask for changes: say what should change."),
    )


class FeedbackAskForm(forms.Form):
    colleague = forms.ModelChoiceField(
        label=gettext_lazy("Colleague"), queryset=Membership.objects.none()
    )
    message = forms.CharField(
        label=gettext_lazy("What would you like feedback on?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=services.PEER_FEEDBACK_MAX_LENGTH,
    )

    def __init__(self, *args, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        colleague = self.fields["colleague"]
        colleague.queryset = (
            active_members(organisation=membership.organisation)
            .exclude(pk=membership.pk)
            .select_related("user")
        )
        colleague.label_from_instance = lambda m: m.display_name


class FeedbackAnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Your feedback"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.PEER_FEEDBACK_MAX_LENGTH,
        help_text=gettext_lazy("A sentence or three: what went well, and one thing to try."),
    )


def put_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's errors next to the form's fields (unknown keys: above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- What a page shows about one step's evidence ----------------------------------------


def _progress(request, progress_id: int) -> StepProgress:
    return get_object_or_404(
        selectors.progress_for_evidence(organisation_id=request.organisation.pk), pk=progress_id
    )


def _check_may_see(request, progress: StepProgress) -> None:
    enrolment, step = progress.enrolment, progress.step
    membership = request.membership
    if may_see_evidence(
        membership,
        learner=enrolment.membership,
        buddy_id=enrolment.buddy_id,
        rule=step.sign_off,
        role=step.sign_off_role,
    ):
        return
    if selectors.is_asked_for_feedback(membership=membership, progress_id=progress.pk):
        return
    raise PermissionDenied


def evidence_context(
    request, progress: StepProgress, *, form=None, decision_form=None, ask_form=None
) -> dict:
    """Everything the conversation include needs: the step page calls this too."""
    membership = request.membership
    is_learner = may_submit_evidence(membership, learner=progress.enrolment.membership)
    rounds = selectors.evidence_rounds(progress=progress)
    may_sign = services.may_sign(membership=membership, progress=progress)
    waiting = progress.status == StepProgress.Status.SUBMITTED and bool(rounds)
    open_for_round = progress.status in (
        StepProgress.Status.OPEN,
        StepProgress.Status.CHANGES_REQUESTED,
    )
    locked_message = ""
    if is_learner and open_for_round:
        try:
            progress_check_open(progress=progress)
        except ValidationError as exc:
            locked_message = " ".join(exc.messages)
    can_submit = is_learner and open_for_round and not locked_message
    return {
        "progress": progress,
        "step": progress.step,
        "rounds": rounds,
        "is_learner": is_learner,
        "can_submit": can_submit,
        "locked_message": locked_message,
        "form": form
        if form is not None
        else (EvidenceForm(step=progress.step) if can_submit else None),
        "may_sign": may_sign,
        "may_decide": may_sign and waiting,
        "waiting_submission": rounds[-1].submission if waiting else None,
        "decision_form": decision_form or DecisionForm(),
        "ask_form": ask_form
        if ask_form is not None
        else (FeedbackAskForm(membership=membership) if is_learner and rounds else None),
    }


def _render_evidence(request, progress: StepProgress, status: int = 200, **forms_) -> object:
    return render(
        request,
        "courses/evidence/evidence_page.html",
        evidence_context(request, progress, **forms_),
        status=status,
    )


def _back(request, progress: StepProgress, anchor: str = "evidence"):
    url = reverse("courses_evidence:evidence", args=[request.organisation.slug, progress.pk])
    return redirect(f"{url}#{anchor}")


# --- Views ------------------------------------------------------------------------------


@member_required()
def evidence(request, progress_id: int):
    """The evidence conversation of one step, with the learner's form to hand in a round."""
    progress = _progress(request, progress_id)
    _check_may_see(request, progress)
    if request.method != "POST":
        return _render_evidence(request, progress)
    if not may_submit_evidence(request.membership, learner=progress.enrolment.membership):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES, step=progress.step)
    if form.is_valid():
        try:
            services.evidence_submit(
                progress=progress,
                membership=request.membership,
                text=form.cleaned_data.get("text", ""),
                files=form.cleaned_data.get("files", []),
                checklist_ticked=form.cleaned_data.get("checklist", []),
            )
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            progress.refresh_from_db()
            if progress.status == StepProgress.Status.DONE:
                messages.success(request, _("Handed in: the step is done."))
            else:
                messages.success(request, _("Handed in: it now waits for sign-off."))
            return _back(request, progress)
    if form.errors and "files" in form.fields and not form.has_error("files"):
        # A browser cannot keep chosen files after a round trip: say so beside the field.
        form.add_error("files", _("Choose your files again: files are not kept after an error."))
    return _render_evidence(request, progress, status=400, form=form)


@member_required()
@require_POST
def feedback_ask(request, progress_id: int):
    progress = _progress(request, progress_id)
    if not may_submit_evidence(request.membership, learner=progress.enrolment.membership):
        raise PermissionDenied
    form = FeedbackAskForm(request.POST, membership=request.membership)
    if form.is_valid():
        try:
            services.feedback_request_create(
                progress=progress,
                membership=request.membership,
                colleague=form.cleaned_data["colleague"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is asked for feedback.")
                % {"name": form.cleaned_data["colleague"].display_name},
            )
            return _back(request, progress, "peer-feedback")
    return _render_evidence(request, progress, status=400, ask_form=form)


@member_required()
def queue(request):
    """Everything waiting for this member's sign-off, each with its decision form."""
    return render(
        request,
        "courses/evidence/queue.html",
        _queue_context(request, page_number=request.GET.get("page")),
    )


# A page of decision forms stays quick to render and to read; the rest are a page on.
QUEUE_PAGE_SIZE = 20


def _queue_context(request, *, page_number=None, failed_id: int | None = None) -> dict:
    """One page of the queue; after a failed decision, the page that holds its form."""
    entries = selectors.sign_off_queue_entries(membership=request.membership)
    if failed_id is not None:
        index = next((i for i, e in enumerate(entries) if e.submission_id == failed_id), 0)
        page_number = index // QUEUE_PAGE_SIZE + 1
    page = Paginator(entries, QUEUE_PAGE_SIZE).get_page(page_number)
    # Only the page shown is read as objects (a step, its learner, their trajectory).
    items = selectors.queue_items(membership=request.membership, entries=list(page.object_list))
    return {
        "items": items,
        "page": page,
        "decision_form": DecisionForm(),
        # Reversed once, not once per item: each link is this and the round's id.
        "submissions_url": reverse(
            "courses_evidence:submission", args=[request.organisation.slug, 0]
        ).removesuffix("0/"),
    }


def _submission(request, submission_id: int):
    submission = selectors.submission_for(
        organisation_id=request.organisation.pk, submission_id=submission_id
    )
    if submission is None:
        raise Http404
    return submission


@member_required()
def submission(request, submission_id: int):
    """One round for its signer: the whole conversation of its step, the decision form."""
    found = _submission(request, submission_id)
    progress = _progress(request, found.progress_id)
    _check_may_see(request, progress)
    return _render_evidence(request, progress)


def _next_url(request) -> str:
    """Where a decision made on another page of this organisation goes back to (``next_url``,
    a path inside the organisation only), or ""."""
    url = request.POST.get("next_url", "")
    inside = f"/o/{request.organisation.slug}/"
    if url.startswith(inside) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@member_required()
@require_POST
def decide(request, submission_id: int):
    found = _submission(request, submission_id)
    progress = _progress(request, found.progress_id)
    if not services.may_sign(membership=request.membership, progress=progress):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    from_queue = request.POST.get("next") == "queue"
    back_to = _next_url(request)
    if form.is_valid():
        try:
            services.sign_off_decide(
                submission=found,
                signer=request.membership,
                approve=form.cleaned_data["decision"] == "approve",
                feedback=form.cleaned_data["feedback"],
            )
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            learner = progress.enrolment.membership.display_name
            if form.cleaned_data["decision"] == "approve":
                messages.success(request, _("Approved: %(name)s is told.") % {"name": learner})
            else:
                messages.success(request, _("Changes asked: %(name)s is told.") % {"name": learner})
            if from_queue:
                url = reverse("courses_evidence:queue", args=[request.organisation.slug])
                page = request.POST.get("page", "")
                return redirect(f"{url}?page={page}" if page.isdigit() else url)
            if back_to:
                return redirect(back_to)
            return _back(request, progress)
    if back_to:
        # Approved in place on another page (the coaching view): back there, with the reason.
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back_to)
    if from_queue:
        context = _queue_context(request, failed_id=found.pk)
        context.update(failed_form=form, failed_id=found.pk)
        return render(request, "courses/evidence/queue.html", context, status=400)
    return _render_evidence(request, progress, status=400, decision_form=form)


@csp(FILE_POLICY)
@member_required()
def evidence_file(request, file_id: int):
    """A file of a round, for the learner, its signers and colleagues asked about it."""
    from microlearning.views.files import _file_response

    found: EvidenceFile | None = selectors.evidence_file_for(
        organisation_id=request.organisation.pk, file_id=file_id
    )
    if found is None:
        raise Http404
    progress = _progress(request, found.submission.progress_id)
    _check_may_see(request, progress)
    response = _file_response(request, found.file)
    # Only what we checked on upload is named; the original name is what the learner sent.
    response["Content-Type"] = found.content_type
    inline = found.content_type.startswith("image/") or found.content_type == "application/pdf"
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{found.original_name}"'
    return response


@member_required()
def feedback_answer(request, feedback_request_id: int):
    """A colleague's request for feedback: their evidence, and the answer form."""
    found = selectors.feedback_request_for(
        membership=request.membership, request_id=feedback_request_id
    )
    if found is None:
        raise Http404
    if found.colleague_id != request.membership.pk:
        raise PermissionDenied
    progress = _progress(request, found.submission.progress_id)
    rounds = [
        r
        for r in selectors.evidence_rounds(progress=progress)
        if r.submission.pk == found.submission_id
    ]
    form = FeedbackAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if found.answered_at is None and form.is_valid():
            try:
                services.feedback_answer(
                    request=found, membership=request.membership, answer=form.cleaned_data["answer"]
                )
            except ValidationError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, _("Thank you: your feedback is sent."))
                return redirect("microlearning:home", request.organisation.slug)
        elif found.answered_at is not None:
            form.add_error(None, services.ERROR_ALREADY_ANSWERED)
        status = 400
    return render(
        request,
        "courses/evidence/feedback_answer.html",
        {"feedback_request": found, "progress": progress, "rounds": rounds, "form": form},
        status=status,
    )

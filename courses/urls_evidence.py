"""Evidence and sign-off pages, under ``/o/<org_slug>/`` (the learner's steps, the queue)."""

from django.urls import path

from .views import evidence

app_name = "courses_evidence"

urlpatterns = [
    path(
        "learning/steps/<int:progress_id>/evidence/",
        evidence.evidence,
        name="evidence",
    ),
    path(
        "learning/steps/<int:progress_id>/evidence/feedback/",
        evidence.feedback_ask,
        name="feedback_ask",
    ),
    path("sign-off/", evidence.queue, name="queue"),
    path("sign-off/<int:submission_id>/", evidence.submission, name="submission"),
    path("sign-off/<int:submission_id>/decide/", evidence.decide, name="decide"),
    path("evidence/files/<int:file_id>/", evidence.evidence_file, name="file"),
    path(
        "feedback/<int:feedback_request_id>/",
        evidence.feedback_answer,
        name="feedback_answer",
    ),
]

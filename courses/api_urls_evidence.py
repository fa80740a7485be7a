"""Evidence and sign-off API, under ``/api/v1/o/<org_slug>/``."""

from django.urls import path

from .api import evidence

app_name = "courses_evidence_api"

urlpatterns = [
    path(
        "learning/steps/<int:progress_id>/evidence/",
        evidence.EvidenceView.as_view(),
        name="evidence",
    ),
    path(
        "learning/steps/<int:progress_id>/evidence/feedback/",
        evidence.FeedbackAskView.as_view(),
        name="feedback_ask",
    ),
    path("sign-off/", evidence.SignOffQueueView.as_view(), name="queue"),
    path(
        "sign-off/<int:submission_id>/decision/",
        evidence.DecisionView.as_view(),
        name="decide",
    ),
    path(
        "feedback/<int:feedback_request_id>/answer/",
        evidence.FeedbackAnswerView.as_view(),
        name="feedback_answer",
    ),
]

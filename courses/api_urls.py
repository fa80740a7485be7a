from django.urls import path

from .api import authoring, enrolments

app_name = "courses_api"

urlpatterns = [
    path("trajectories/", authoring.TrajectoryListCreateView.as_view(), name="trajectories"),
    path(
        "trajectories/<int:trajectory_id>/",
        authoring.TrajectoryDetailView.as_view(),
        name="trajectory",
    ),
    path(
        "trajectories/<int:trajectory_id>/publish/",
        authoring.TrajectoryPublishView.as_view(),
        name="trajectory_publish",
    ),
    path(
        "trajectories/<int:trajectory_id>/archive/",
        authoring.TrajectoryArchiveView.as_view(),
        name="trajectory_archive",
    ),
    path(
        "trajectories/<int:trajectory_id>/restore/",
        authoring.TrajectoryRestoreView.as_view(),
        name="trajectory_restore",
    ),
    path(
        "trajectories/<int:trajectory_id>/move_on/",
        authoring.TrajectoryMoveOnView.as_view(),
        name="trajectory_move_on",
    ),
    path("trajectories/<int:trajectory_id>/steps/", authoring.StepListView.as_view(), name="steps"),
    path(
        "trajectories/<int:trajectory_id>/steps/<int:step_id>/",
        authoring.StepDetailView.as_view(),
        name="step",
    ),
    path(
        "trajectories/<int:trajectory_id>/steps/<int:step_id>/move/",
        authoring.StepMoveView.as_view(),
        name="step_move",
    ),
    path("enrolments/", enrolments.EnrolmentListCreateView.as_view(), name="enrolments"),
    path(
        "enrolments/<int:enrolment_id>/withdraw/",
        enrolments.EnrolmentWithdrawView.as_view(),
        name="enrolment_withdraw",
    ),
    path("learning/trajectories/", enrolments.MyLearningView.as_view(), name="my_learning"),
    path(
        "learning/steps/<int:progress_id>/done/",
        enrolments.StepDoneView.as_view(),
        name="step_done",
    ),
    path(
        "learning/steps/<int:progress_id>/reflection/",
        enrolments.StepReflectionView.as_view(),
        name="step_reflection",
    ),
    path(
        "learning/steps/<int:progress_id>/buddy_confirm/",
        enrolments.StepBuddyConfirmView.as_view(),
        name="step_buddy_confirm",
    ),
]

from django.urls import path

from .views import authoring, enrolments, files, learner

app_name = "courses"

urlpatterns = [
    path("learning/", learner.my_learning, name="my_learning"),
    path("trajectories/", learner.catalogue, name="catalogue"),
    path("trajectories/<int:trajectory_id>/", learner.trajectory_detail, name="trajectory"),
    path("trajectories/<int:trajectory_id>/enrol/", learner.self_enrol, name="self_enrol"),
    path("learning/steps/<int:progress_id>/", learner.step_detail, name="step"),
    path("learning/steps/<int:progress_id>/done/", learner.step_done, name="step_done"),
    path(
        "learning/steps/<int:progress_id>/reflection/",
        learner.step_reflection,
        name="step_reflection",
    ),
    path(
        "learning/steps/<int:progress_id>/buddy/",
        learner.step_buddy_confirm,
        name="step_buddy_confirm",
    ),
    path("authoring/trajectories/", authoring.trajectory_list, name="trajectory_list"),
    path("authoring/trajectories/new/", authoring.trajectory_create, name="trajectory_create"),
    path(
        "authoring/trajectories/<int:trajectory_id>/",
        authoring.trajectory_edit,
        name="trajectory_edit",
    ),
    path(
        "authoring/trajectories/<int:trajectory_id>/preview/",
        authoring.trajectory_preview,
        name="trajectory_preview",
    ),
    path(
        "authoring/trajectories/<int:trajectory_id>/publish/",
        authoring.trajectory_publish,
        name="trajectory_publish",
    ),
    path(
        "authoring/trajectories/<int:trajectory_id>/archive/",
        authoring.trajectory_archive,
        name="trajectory_archive",
    ),
    path(
        "authoring/trajectories/<int:trajectory_id>/restore/",
        authoring.trajectory_restore,
        name="trajectory_restore",
    ),
    path(
        "authoring/trajectories/<int:trajectory_id>/move_on/",
        authoring.trajectory_move_on,
        name="trajectory_move_on",
    ),
    path(
        "authoring/trajectories/<int:trajectory_id>/steps/add/",
        authoring.step_add,
        name="step_add",
    ),
    path(
        "authoring/trajectories/<int:trajectory_id>/steps/<int:step_id>/edit/",
        authoring.step_edit,
        name="step_edit",
    ),
    path(
        "authoring/trajectories/<int:trajectory_id>/steps/<int:step_id>/move/",
        authoring.step_move,
        name="step_move",
    ),
    path(
        "authoring/trajectories/<int:trajectory_id>/steps/<int:step_id>/remove/",
        authoring.step_remove,
        name="step_remove",
    ),
    path("enrolments/", enrolments.enrolment_list, name="enrolment_list"),
    path("enrolments/new/", enrolments.enrolment_create, name="enrolment_create"),
    path(
        "enrolments/<int:enrolment_id>/withdraw/",
        enrolments.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
    path(
        "enrolments/<int:enrolment_id>/buddy/", enrolments.enrolment_buddy, name="enrolment_buddy"
    ),
    path(
        "files/trajectory_covers/<int:trajectory_version_id>/",
        files.cover_image,
        name="cover_image",
    ),
]

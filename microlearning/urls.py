from django.urls import path

from .views import authoring, catalogue, files, learner, refresher

app_name = "microlearning"

urlpatterns = [
    path("", learner.home, name="home"),
    path("units/<int:unit_id>/", learner.unit_detail, name="unit_detail"),
    path("units/<int:unit_id>/complete/", learner.unit_complete, name="unit_complete"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path(
        "work_processes/<int:work_process_id>/",
        catalogue.work_process_detail,
        name="work_process",
    ),
    path("units/<int:unit_id>/rating/", learner.rating_save, name="unit_rate"),
    path("units/<int:unit_id>/blocks/<int:block_id>/done/", learner.block_done, name="block_done"),
    path(
        "units/<int:unit_id>/blocks/<int:block_id>/tick/",
        learner.checklist_tick,
        name="checklist_tick",
    ),
    path(
        "units/<int:unit_id>/blocks/<int:block_id>/answer/",
        learner.question_answer,
        name="question_answer",
    ),
    path(
        "units/<int:unit_id>/blocks/<int:block_id>/reflection/",
        learner.reflection_save,
        name="reflection_save",
    ),
    path(
        "units/<int:unit_id>/blocks/<int:block_id>/commitment/",
        learner.commitment_create,
        name="commitment_create",
    ),
    path(
        "commitments/<int:commitment_id>/report/",
        learner.commitment_report,
        name="commitment_report",
    ),
    path("repeat/", refresher.refresher, name="refresher"),
    path("team/reflections/", learner.team_reflections, name="team_reflections"),
    path("authoring/units/", authoring.unit_list, name="unit_list"),
    path("authoring/units/new/", authoring.unit_create, name="unit_create"),
    path("authoring/units/<int:unit_id>/", authoring.unit_preview, name="unit_preview"),
    path("authoring/units/<int:unit_id>/edit/", authoring.unit_edit, name="unit_edit"),
    path("authoring/units/<int:unit_id>/publish/", authoring.unit_publish, name="unit_publish"),
    path("authoring/units/<int:unit_id>/archive/", authoring.unit_archive, name="unit_archive"),
    path("authoring/units/<int:unit_id>/assign/", authoring.unit_assign, name="unit_assign"),
    path(
        "authoring/units/<int:unit_id>/duplicate/",
        authoring.unit_duplicate,
        name="unit_duplicate",
    ),
    path("authoring/units/<int:unit_id>/blocks/add/", authoring.block_add, name="block_add"),
    path(
        "authoring/units/<int:unit_id>/blocks/<int:block_id>/edit/",
        authoring.block_edit,
        name="block_edit",
    ),
    path(
        "authoring/units/<int:unit_id>/blocks/<int:block_id>/remove/",
        authoring.block_remove,
        name="block_remove",
    ),
    path(
        "authoring/units/<int:unit_id>/blocks/<int:block_id>/move/",
        authoring.block_move,
        name="block_move",
    ),
    path("files/blocks/<int:block_id>/", files.block_file, name="block_file"),
    path("files/covers/<int:version_id>/", files.cover_image, name="cover_image"),
]

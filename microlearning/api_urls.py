from django.urls import path

from . import api, api_authoring, api_catalogue, api_learning

app_name = "microlearning_api"

urlpatterns = [
    path("units/", api.UnitListCreateView.as_view(), name="units"),
    path("units/<int:unit_id>/", api.UnitDetailView.as_view(), name="unit"),
    path("units/<int:unit_id>/publish/", api.UnitPublishView.as_view(), name="unit_publish"),
    path("units/<int:unit_id>/archive/", api.UnitArchiveView.as_view(), name="unit_archive"),
    path("units/<int:unit_id>/assign/", api.UnitAssignView.as_view(), name="unit_assign"),
    path("units/<int:unit_id>/complete/", api.UnitCompleteView.as_view(), name="unit_complete"),
    path(
        "learning/units/<int:unit_id>/", api_learning.LearnerUnitView.as_view(), name="learner_unit"
    ),
    path("learning/units/<int:unit_id>/rating/", api_learning.RatingView.as_view(), name="rating"),
    path(
        "learning/units/<int:unit_id>/blocks/<int:block_id>/progress/",
        api_learning.BlockProgressView.as_view(),
        name="block_progress",
    ),
    path(
        "learning/units/<int:unit_id>/blocks/<int:block_id>/answers/",
        api_learning.AnswerView.as_view(),
        name="answers",
    ),
    path(
        "learning/units/<int:unit_id>/blocks/<int:block_id>/reflection/",
        api_learning.ReflectionView.as_view(),
        name="reflection",
    ),
    path(
        "learning/units/<int:unit_id>/blocks/<int:block_id>/commitments/",
        api_learning.CommitmentCreateView.as_view(),
        name="commitment_create",
    ),
    path("learning/commitments/", api_learning.CommitmentListView.as_view(), name="commitments"),
    path(
        "learning/commitments/<int:commitment_id>/report/",
        api_learning.CommitmentReportView.as_view(),
        name="commitment_report",
    ),
    path("catalogue/", api_catalogue.CatalogueView.as_view(), name="catalogue"),
    path("catalogue/for_you/", api_catalogue.ForYouView.as_view(), name="for_you"),
    path(
        "work_processes/<int:work_process_id>/units/",
        api_catalogue.WorkProcessUnitsView.as_view(),
        name="work_process_units",
    ),
    path("units/<int:unit_id>/draft/", api_authoring.UnitVersionView.as_view(), name="unit_draft"),
    path(
        "units/<int:unit_id>/duplicate/",
        api_authoring.UnitDuplicateView.as_view(),
        name="unit_duplicate",
    ),
    path("units/<int:unit_id>/blocks/", api_authoring.BlockListView.as_view(), name="blocks"),
    path(
        "units/<int:unit_id>/blocks/<int:block_id>/",
        api_authoring.BlockDetailView.as_view(),
        name="block",
    ),
    path(
        "units/<int:unit_id>/blocks/<int:block_id>/move/",
        api_authoring.BlockMoveView.as_view(),
        name="block_move",
    ),
]

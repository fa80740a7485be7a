from django.urls import path

from .api import authoring, catalogue, learning, units

app_name = "microlearning_api"

urlpatterns = [
    path("units/", units.UnitListCreateView.as_view(), name="units"),
    path("units/<int:unit_id>/", units.UnitDetailView.as_view(), name="unit"),
    path("units/<int:unit_id>/publish/", units.UnitPublishView.as_view(), name="unit_publish"),
    path("units/<int:unit_id>/archive/", units.UnitArchiveView.as_view(), name="unit_archive"),
    path("units/<int:unit_id>/assign/", units.UnitAssignView.as_view(), name="unit_assign"),
    path("units/<int:unit_id>/complete/", units.UnitCompleteView.as_view(), name="unit_complete"),
    path("learning/units/<int:unit_id>/", learning.LearnerUnitView.as_view(), name="learner_unit"),
    path("learning/units/<int:unit_id>/rating/", learning.RatingView.as_view(), name="rating"),
    path(
        "learning/units/<int:unit_id>/blocks/<int:block_id>/progress/",
        learning.BlockProgressView.as_view(),
        name="block_progress",
    ),
    path(
        "learning/units/<int:unit_id>/blocks/<int:block_id>/answers/",
        learning.AnswerView.as_view(),
        name="answers",
    ),
    path(
        "learning/units/<int:unit_id>/blocks/<int:block_id>/reflection/",
        learning.ReflectionView.as_view(),
        name="reflection",
    ),
    path(
        "learning/units/<int:unit_id>/blocks/<int:block_id>/commitments/",
        learning.CommitmentCreateView.as_view(),
        name="commitment_create",
    ),
    path("learning/commitments/", learning.CommitmentListView.as_view(), name="commitments"),
    path(
        "learning/commitments/<int:commitment_id>/report/",
        learning.CommitmentReportView.as_view(),
        name="commitment_report",
    ),
    path("catalogue/", catalogue.CatalogueView.as_view(), name="catalogue"),
    path("catalogue/for_you/", catalogue.ForYouView.as_view(), name="for_you"),
    path(
        "work_processes/<int:work_process_id>/units/",
        catalogue.WorkProcessUnitsView.as_view(),
        name="work_process_units",
    ),
    path("units/<int:unit_id>/draft/", authoring.UnitVersionView.as_view(), name="unit_draft"),
    path(
        "units/<int:unit_id>/duplicate/",
        authoring.UnitDuplicateView.as_view(),
        name="unit_duplicate",
    ),
    path("units/<int:unit_id>/blocks/", authoring.BlockListView.as_view(), name="blocks"),
    path(
        "units/<int:unit_id>/blocks/<int:block_id>/",
        authoring.BlockDetailView.as_view(),
        name="block",
    ),
    path(
        "units/<int:unit_id>/blocks/<int:block_id>/move/",
        authoring.BlockMoveView.as_view(),
        name="block_move",
    ),
]

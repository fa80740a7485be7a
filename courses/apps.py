from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Trajectories")

    def ready(self) -> None:
        from events.signals import learning_event_recorded

        from .services.learning import unit_completed_received

        learning_event_recorded.connect(
            unit_completed_received, dispatch_uid="courses.unit_completed_received"
        )

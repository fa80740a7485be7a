from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Learning goals")

    def ready(self):
        from events.signals import learning_event_recorded

        from .receivers import complete_linked_activities

        learning_event_recorded.connect(
            complete_linked_activities, dispatch_uid="goals.complete_linked_activities"
        )

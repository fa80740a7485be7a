from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MicrolearningConfig(AppConfig):
    name = "microlearning"
    verbose_name = _("Microlearning")

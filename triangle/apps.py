from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriangleConfig(AppConfig):
    name = "triangle"
    verbose_name = _("Parties and roles")

    def ready(self):
        from triangle import audit

        audit.register_models()

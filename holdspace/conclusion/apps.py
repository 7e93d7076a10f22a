from django.apps import AppConfig


class ConclusionConfig(AppConfig):
    name = "holdspace.conclusion"
    label = "conclusion"
    verbose_name = "The conclusion report, its editions and exports"

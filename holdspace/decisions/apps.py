from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "holdspace.decisions"
    label = "decisions"
    verbose_name = "Collective decisions and the consequence ladder"

    def ready(self) -> None:
        pass

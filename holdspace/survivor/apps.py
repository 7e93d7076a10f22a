from django.apps import AppConfig


class SurvivorConfig(AppConfig):
    name = "holdspace.survivor"
    label = "survivor"
    verbose_name = "The survivor's own view"

    def ready(self) -> None:
        pass

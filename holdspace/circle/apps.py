from django.apps import AppConfig


class CircleConfig(AppConfig):
    name = "holdspace.circle"
    label = "circle"
    verbose_name = "The people around him, disclosure consent and informing"

    def ready(self) -> None:
        pass

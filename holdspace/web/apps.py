from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "holdspace.web"
    label = "web"
    verbose_name = "Holdspace web"

    def ready(self) -> None:
        from holdspace.web import checks  # noqa: F401  (registers the checks)

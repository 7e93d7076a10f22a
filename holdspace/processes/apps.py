from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    name = "holdspace.processes"
    label = "processes"
    verbose_name = "Processes"

    def ready(self) -> None:
        from holdspace.processes import signals  # noqa: F401  (connects the receivers)

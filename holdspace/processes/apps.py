from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    name = "holdspace.processes"
    label = "processes"
    verbose_name = "Processes"

from django.apps import AppConfig


class ClosureConfig(AppConfig):
    name = "holdspace.closure"
    label = "closure"
    verbose_name = "Closing a process, reopening it, and retention"

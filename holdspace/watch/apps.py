from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "holdspace.watch"
    label = "watch"
    verbose_name = "The cadence watchdog"

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "holdspace.demo"
    label = "demo"
    verbose_name = "Demo"

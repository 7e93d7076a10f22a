from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "holdspace.reports"
    label = "reports"
    verbose_name = "Periodic reports to the supervision group"

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "holdspace.audit"
    label = "audit"
    verbose_name = "Audit log"

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "holdspace.portal"
    label = "portal"
    verbose_name = "The portal of the person who caused harm"

    def ready(self) -> None:
        pass

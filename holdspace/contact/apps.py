from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "holdspace.contact"
    label = "contact"
    verbose_name = "Contact log and meetings"

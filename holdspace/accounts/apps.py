from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "holdspace.accounts"
    label = "accounts"
    verbose_name = "Accounts"

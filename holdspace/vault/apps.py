from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "holdspace.vault"
    label = "vault"
    verbose_name = "Vault"

    def ready(self) -> None:
        from holdspace.vault import checks  # noqa: F401  (registers the checks)

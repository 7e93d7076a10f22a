from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Get the database ready: apply migrations, then load the demo if the database "
        "holds no accounts (writing its log-ins to <data dir>/demo-credentials.json)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        # Finish re-wrapping keys an earlier run may have left half done.
        call_command("rekey", verbosity=0, stdout=self.stdout)
        self.stdout.write(f"Database ready ({settings.DATABASES['default']['ENGINE']}).")
        call_command(
            "demo", if_empty=True, credentials=str(settings.DATA_DIR / "demo-credentials.json")
        )

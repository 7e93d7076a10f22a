from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from holdspace.accounts import outbox


class Command(BaseCommand):
    help = (
        "Show the e-mails the embedded mode kept in <data dir>/outbox instead of sending "
        "them (they are stored sealed with the instance key). --delete removes them "
        "afterwards, and any plain-text ones older versions left there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--delete", action="store_true", help="delete the messages after showing them"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        letters = outbox.letters()
        for letter in letters:
            self.stdout.write(f"=== {letter.name}")
            self.stdout.write(letter.text if letter.text is not None else "(does not open)")
        plain = outbox.plain_files()
        if options["delete"]:
            outbox.delete([letter.name for letter in letters] + [path.name for path in plain])
            self.stderr.write(f"Deleted {len(letters) + len(plain)} message(s).")
            return
        self.stderr.write(f"{len(letters)} message(s) in {outbox.directory()}.")
        if plain:
            self.stderr.write(
                f"{len(plain)} older message file(s) there are in plain text, with addresses: "
                "`holdspace outbox --delete` removes them."
            )

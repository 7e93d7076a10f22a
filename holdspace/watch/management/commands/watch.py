import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from holdspace.watch.collect import current_alerts


class Command(BaseCommand):
    help = (
        "Print what needs attention in the active processes: kind, process id, due date "
        "and severity — never content or names. With --json, one JSON document for scripts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [
            {
                "kind": alert.kind,
                "process": str(alert.process),
                "due": alert.due_on.isoformat(),
                "severity": alert.severity,
            }
            for alert in current_alerts()
        ]
        if options["json"]:
            self.stdout.write(json.dumps({"alerts": rows}, indent=2))
            return
        for row in rows:
            self.stdout.write(
                f"{row['due']}  {row['severity']:<8} {row['kind']:<22} {row['process']}"
            )
        self.stdout.write(f"{len(rows)} alert(s).")

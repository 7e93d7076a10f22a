import os
import subprocess
import sys
import tempfile
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Measure speed targets as ratios within one run, in a throw-away database: "
        "the timeline with encryption against plain text and against a bare view, and "
        "failed log-ins for known and unknown usernames; and a worker's peak memory "
        "under bursts of simultaneous log-ins. Exits non-zero if a target is missed. "
        "Your own data is never touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--records", type=int, default=2000, help="notes in the process")
        parser.add_argument("--repeat", type=int, default=15, help="requests per measurement")
        parser.add_argument(
            "--pdf-records",
            type=int,
            default=5000,
            help="records in the chronology of the conclusion report drawn as a PDF",
        )
        parser.add_argument(
            "--burst", type=int, default=8, help="simultaneous log-ins for the memory measure"
        )
        parser.add_argument(
            "--here",
            action="store_true",
            help="(internal) measure in this process's database; test environment only",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["here"]:
            self._measure(options["records"], options["repeat"], options["pdf_records"])
            return
        with tempfile.TemporaryDirectory(prefix="holdspace-bench-") as data_dir:
            env = {
                "PATH": os.environ.get("PATH", ""),
                "HOLDSPACE_ENV": "test",
                "HOLDSPACE_DATA_DIR": data_dir,
            }
            command = [sys.executable, "-m", "holdspace.cli", "bench", "--here"]
            command += ["--records", str(options["records"]), "--repeat", str(options["repeat"])]
            command += ["--pdf-records", str(options["pdf_records"])]
            result = subprocess.run(command, env=env, check=False)  # noqa: S603
        from holdspace.web import bench

        self.stdout.write(f"Serving with one worker; {options['burst']} log-ins at once …")
        memory = bench.worker_memory(options["burst"], rounds=3)
        if not memory:
            self.stdout.write("Worker memory not measured: it is read from /proc (Linux).")
        memory_ok = bench.report(memory, self.stdout.write)
        if result.returncode != 0 or not memory_ok:
            raise CommandError("A target was missed (see above).")

    def _measure(self, records: int, repeat: int, pdf_records: int) -> None:
        if settings.ENVIRONMENT != "test":
            raise CommandError("--here builds test data: only with HOLDSPACE_ENV=test.")
        from holdspace.web import bench

        call_command("migrate", verbosity=0)
        self.stdout.write(f"Building a process with {records} encrypted notes …")
        results = bench.timeline(records, repeat) + bench.login_timing(repeat)
        self.stdout.write(f"Rendering the PDF of a conclusion report with {pdf_records} records …")
        results += bench.conclusion_pdf(pdf_records)
        if not bench.report(results, self.stdout.write):
            raise CommandError("A speed target was missed.")

"""`holdspace bench`: speed targets, measured as ratios within one run.

Absolute times depend on the machine; ratios measured side by side do not
(much). Each measurement is the median of repeated requests through the full
Django stack (middleware, access core, templates).

- timeline/encrypted vs timeline/plain: the chronology of a process with N
  encrypted notes, against the same page with decryption replaced by handing
  back the text (what a plain text column would cost). Target ≤ 2.
- timeline/encrypted vs bare: against a view returning the same bytes. Target ≤ 3.
- log-in, unknown user vs wrong password for a known one, with real Argon2id
  (S24: no timing difference worth the name). Target within 10 %.
- a gunicorn worker's peak resident memory while bursts of simultaneous
  log-ins (real Argon2id) reach it. Target under 150 MB. Linux only.
- the PDF of a conclusion report with 5,000 records in its chronology:
  under a minute, and the peak memory it adds under 400 MB (Linux).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from holdspace.accounts.hashers import GatedArgon2PasswordHasher
from holdspace.web.policy import public


@dataclass(frozen=True)
class Result:
    name: str
    ratio: float
    target: float
    detail: str

    @property
    def ok(self) -> bool:
        return self.ratio <= self.target


def median_seconds(action: Callable[[], Any], repeat: int) -> float:
    action()  # warm up caches and connections
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def paired_medians(
    first: Callable[[], Any], second: Callable[[], Any], repeat: int
) -> tuple[float, float]:
    """Medians of two actions timed in turn, so that drift during the run
    (caches, CPU frequency, a neighbour's load) weighs on both alike."""
    first()
    second()
    timings: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for action, times in ((first, timings[0]), (second, timings[1])):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
    return statistics.median(timings[0]), statistics.median(timings[1])


def report(results: list[Result], write: Callable[[str], Any]) -> bool:
    """Write one line per result; True if every target was met."""
    width = max((len(r.name) for r in results), default=0)
    for result in results:
        verdict = "ok" if result.ok else "MISSED"
        write(
            f"{result.name:<{width}}  {result.ratio:6.2f}  (target ≤ {result.target:.2f})  "
            f"{verdict}  {result.detail}"
        )
    return all(result.ok for result in results)


_BARE: dict[str, bytes] = {}


@public
def bare_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_BARE.get("content", b""))


urlpatterns = [path("bench-bare/", bare_view)]


_WORLDS: list[Any] = []


def _world() -> Any:
    """The test world of this run, built once (its accounts are unique)."""
    from holdspace.testing import build_world

    if not _WORLDS:
        _WORLDS.append(build_world())
    return _WORLDS[0]


def timeline(records: int, repeat: int) -> list[Result]:
    """Build a process with ``records`` encrypted notes and time its chronology."""
    from holdspace.processes.models import Note
    from holdspace.testing import World, bulk_notes, sign_in
    from holdspace.vault import fields

    world: World = _world()
    bulk_notes(world.groups["support"], world.personas["support-member"], records)
    client = Client()
    sign_in(client, world.personas["support-member"])
    url = f"/p/{world.process.pk}/timeline/"
    assert client.get(url).status_code == 200  # noqa: S101
    encrypted = median_seconds(lambda: client.get(url), repeat)

    original = fields.EncryptedTextField.decrypt

    def plain(self: fields.EncryptedTextField, instance: Any, blob: bytes) -> str:
        return "Bulk note" if self.name == "title" else "Body."

    fields.EncryptedTextField.decrypt = plain  # type: ignore[method-assign]  # swapping the method is the point here
    try:
        unencrypted = median_seconds(lambda: client.get(url), repeat)
    finally:
        fields.EncryptedTextField.decrypt = original  # type: ignore[method-assign]  # swapping the method is the point here

    _BARE["content"] = client.get(url).content
    with override_settings(ROOT_URLCONF=__name__):
        bare = median_seconds(lambda: client.get("/bench-bare/"), repeat)
    notes = Note.objects.filter(process=world.process).count()
    return [
        Result(
            "timeline: encrypted / plain",
            encrypted / unencrypted,
            2.0,
            f"{notes} notes; {encrypted * 1000:.1f} ms vs {unencrypted * 1000:.1f} ms",
        ),
        Result(
            "timeline: encrypted / bare view",
            encrypted / bare,
            3.0,
            f"{encrypted * 1000:.1f} ms vs {bare * 1000:.1f} ms",
        ),
    ]


CONCLUSION_SECONDS_TARGET = 60.0
CONCLUSION_MEMORY_TARGET_MB = 400.0


def _memory_kib(field: str) -> int:
    found = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.MULTILINE)
    return int(found.group(1)) if found else 0


def conclusion_pdf(records: int) -> list[Result]:
    """The PDF of a conclusion report whose chronology holds ``records``
    notes: the time to draw and render it, and how far it raises this
    process's peak resident memory (Linux: read from /proc)."""
    from holdspace.conclusion import build, render, services
    from holdspace.testing import World, bulk_notes
    from holdspace.vault.keyring import using

    world: World = _world()
    bulk_notes(world.groups["support"], world.personas["support-member"], records)
    author = world.personas["support-coordinator"]
    with using(world.keyring):
        conclusion = services.begin(
            world.process,
            by=author,
            group=world.groups["support"],
            written=services.Written("Achieved.", "Not achieved.", "Lessons."),
        )
        measured = Path("/proc/self/status").exists()
        before = _memory_kib("VmRSS") if measured else 0
        if measured:
            Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
        started = time.perf_counter()
        data = build.draw(author, conclusion, "survivor")
        pdf = render.pdf_file(data, render.label("survivor", world.process.terms))
        seconds = time.perf_counter() - started
        peak = _memory_kib("VmHWM") if measured else 0
    rows = len(data["chronology"])
    results = [
        Result(
            "conclusion PDF: seconds",
            seconds,
            CONCLUSION_SECONDS_TARGET,
            f"{rows} rows in the chronology, {len(pdf) // 1024} KiB",
        )
    ]
    if measured:
        results.append(
            Result(
                "conclusion PDF: peak memory added, MB",
                (peak - before) / 1024,
                CONCLUSION_MEMORY_TARGET_MB,
                f"chronology laid out in parts of {render.CHUNK_ROWS} rows",
            )
        )
    return results


def login_timing(repeat: int) -> list[Result]:
    """Failed log-ins with real Argon2id: unknown username vs wrong password."""
    from holdspace.testing import make_user

    with override_settings(
        PASSWORD_HASHERS=["holdspace.accounts.hashers.GatedArgon2PasswordHasher"],
        AXES_ENABLED=False,
        NETWORK_LOGIN_LIMIT=0,
    ):
        user = make_user("bench-known")
        user.set_password("a real password for the bench")
        user.save(update_fields=["password"])
        client = Client()

        def attempt(username: str) -> Callable[[], Any]:
            return lambda: client.post("/login/", {"username": username, "password": "wrong!"})

        known, unknown = paired_medians(attempt("bench-known"), attempt("bench-nobody"), repeat)
    slower, faster = max(known, unknown), min(known, unknown)
    return [
        Result(
            "log-in: unknown / known user (S24)",
            slower / faster,
            1.10,
            f"{unknown * 1000:.0f} ms vs {known * 1000:.0f} ms "
            f"(Argon2id m={GatedArgon2PasswordHasher.memory_cost} KiB)",
        )
    ]


# Worker memory ----------------------------------------------------------------

WORKER_MEMORY_TARGET_MB = 150.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_page(url: str, attempts: int = 300) -> bytes:
    """The page at ``url`` once the server answers (empty if it never does)."""
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                return bytes(response.read())
        except OSError:
            time.sleep(0.1)
    return b""


def _failed_login(base: str, number: int) -> None:
    """A log-in with a wrong password: the page, then the form posted back."""
    with urllib.request.urlopen(f"{base}/login/", timeout=30) as response:  # noqa: S310
        page = response.read().decode()
        # The CSRF cookie is marked Secure, which urllib will not send over
        # plain http on its own.
        cookie = response.headers["Set-Cookie"].split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None  # noqa: S101
    form = {
        "csrfmiddlewaretoken": token.group(1),
        "username": f"bench-{number}",
        "password": "not the password",
    }
    request = urllib.request.Request(  # noqa: S310
        f"{base}/login/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Cookie": cookie, "Referer": f"{base}/login/"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        response.read()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (name) state ppid …"; the name may hold spaces.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _peak_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else 0


def worker_memory(burst: int, rounds: int) -> list[Result]:
    """Serve with the real server and real Argon2id in a throw-away data
    directory, send ``rounds`` bursts of ``burst`` simultaneous log-ins to a
    single worker, and report the worker's peak resident memory."""
    if not Path("/proc/self/status").exists():
        return []  # peak memory is read from /proc (Linux)
    with tempfile.TemporaryDirectory(prefix="holdspace-bench-") as data_dir:
        port = free_port()
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOLDSPACE_DATA_DIR": data_dir,
            "PORT": str(port),
            "HOLDSPACE_WORKERS": "1",
            "HOLDSPACE_TICK_SECONDS": "0",
            # Every log-in comes from 127.0.0.1: measure them all (S50).
            "HOLDSPACE_NETWORK_LOGIN_LIMIT": "0",
        }
        command = [sys.executable, "-m", "holdspace.cli"]
        subprocess.run([*command, "migrate", "-v0"], env=env, check=True)  # noqa: S603
        server = subprocess.Popen(  # noqa: S603
            [*command, "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            if not wait_for_page(f"{base}/login/"):
                raise RuntimeError("the server did not start")
            started = time.perf_counter()
            for round_ in range(rounds):
                threads = [
                    threading.Thread(target=_failed_login, args=(base, round_ * burst + number))
                    for number in range(burst)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            elapsed = time.perf_counter() - started
            peak = max(_peak_kib(worker) for worker in _children(server.pid)) / 1024
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    return [
        Result(
            "worker: peak memory in MB",
            peak,
            WORKER_MEMORY_TARGET_MB,
            f"{rounds} bursts of {burst} simultaneous log-ins in {elapsed:.1f} s",
        )
    ]

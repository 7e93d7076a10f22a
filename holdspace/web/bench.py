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
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

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


_BARE: dict[str, bytes] = {}


@public
def bare_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_BARE.get("content", b""))


urlpatterns = [path("bench-bare/", bare_view)]


def timeline(records: int, repeat: int) -> list[Result]:
    """Build a process with ``records`` encrypted notes and time its chronology."""
    from holdspace.processes.models import Note
    from holdspace.testing import World, build_world, bulk_notes, sign_in
    from holdspace.vault import fields

    world: World = build_world()
    bulk_notes(world.groups["support"], world.personas["support-member"], records)
    client = Client()
    sign_in(client, world.personas["support-member"])
    url = f"/p/{world.process.pk}/timeline/"
    assert client.get(url).status_code == 200  # noqa: S101
    encrypted = median_seconds(lambda: client.get(url), repeat)

    original = fields.EncryptedTextField.decrypt

    def plain(self: fields.EncryptedTextField, instance: Any, blob: bytes) -> str:
        return "Bulk note" if self.name == "title" else "Body."

    fields.EncryptedTextField.decrypt = plain  # type: ignore[method-assign]
    try:
        unencrypted = median_seconds(lambda: client.get(url), repeat)
    finally:
        fields.EncryptedTextField.decrypt = original  # type: ignore[method-assign]

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


def login_timing(repeat: int) -> list[Result]:
    """Failed log-ins with real Argon2id: unknown username vs wrong password."""
    from holdspace.testing import make_user

    with override_settings(
        PASSWORD_HASHERS=["holdspace.accounts.hashers.GatedArgon2PasswordHasher"],
        AXES_ENABLED=False,
    ):
        user = make_user("bench-known")
        user.set_password("a real password for the bench")
        user.save()
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
            f"(Argon2id m={Argon2PasswordHasher.memory_cost} KiB)",
        )
    ]

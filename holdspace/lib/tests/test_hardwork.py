"""Memory-hard work (Argon2id) runs one at a time in a process, so a burst of
log-ins cannot multiply its memory."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from argon2.low_level import hash_secret_raw
from axes.models import AccessAttempt
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password
from django.test import Client, override_settings

from holdspace.accounts.models import NetworkLoginFailures, User
from holdspace.lib import hardwork
from holdspace.testing import PASSWORD, database_snapshot
from holdspace.vault import crypto


class _Overlap:
    """Counts how many calls run at the same moment."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0

    def wrap(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def tracked(*args: Any, **kwargs: Any) -> Any:
            with self.lock:
                self.running += 1
                self.most = max(self.most, self.running)
            time.sleep(0.05)  # long enough for the other threads to try
            try:
                return original(*args, **kwargs)
            finally:
                with self.lock:
                    self.running -= 1

        return tracked


def _in_threads(actions: list[Callable[[], Any]]) -> None:
    threads = [threading.Thread(target=action) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_password_checks_and_key_derivations_never_overlap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    overlap = _Overlap()
    monkeypatch.setattr(crypto, "hash_secret_raw", overlap.wrap(hash_secret_raw))
    monkeypatch.setattr(Argon2PasswordHasher, "encode", overlap.wrap(Argon2PasswordHasher.encode))
    monkeypatch.setattr(Argon2PasswordHasher, "verify", overlap.wrap(Argon2PasswordHasher.verify))
    params = crypto.KdfParams(time_cost=1, memory_kib=8, parallelism=1)
    stored = make_password("correct horse battery")
    results: list[bool] = []
    actions: list[Callable[[], Any]] = [
        lambda: crypto.derive_key(b"secret", b"0123456789abcdef", params),
        lambda: make_password("another password"),
        lambda: results.append(check_password("correct horse battery", stored)),
    ] * 2
    _in_threads(actions)
    assert overlap.most == 1
    assert results == [True, True]


def test_without_the_gate_the_same_threads_do_overlap(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: the same threads, ungated, run together."""
    overlap = _Overlap()
    work = overlap.wrap(lambda: None)
    _in_threads([work] * 4)
    assert overlap.most > 1


# S50: the queue is bounded; a full one answers "try again in a moment". -------


@contextmanager
def _slot_taken() -> Iterator[None]:
    """Another request holds the process's slot for memory-hard work."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with hardwork.one_at_a_time():
            taken.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(5)
    try:
        yield
    finally:
        release.set()
        thread.join()


def _log_in(client: Client) -> Any:
    return client.post("/login/", {"username": "alice", "password": PASSWORD})


@pytest.mark.django_db
def test_a_full_password_queue_asks_to_try_again_in_a_moment_S50(
    client: Client, user: User
) -> None:
    with _slot_taken(), override_settings(PASSWORD_QUEUE_LENGTH=0):
        before = database_snapshot()
        response = _log_in(client)
        assert database_snapshot() == before
    assert response.status_code == 503
    assert response["Retry-After"] == str(hardwork.RETRY_AFTER)
    assert b"Please go back and send the form again in a moment." in response.content
    # Nothing counted against the person or the network: the same log-in works now.
    assert not AccessAttempt.objects.exists()
    assert not NetworkLoginFailures.objects.exists()
    assert _log_in(client)["Location"] == "/login/code/"


@pytest.mark.django_db
def test_a_long_wait_for_the_slot_gives_up_S50(client: Client, user: User) -> None:
    with _slot_taken(), override_settings(PASSWORD_QUEUE_SECONDS=0.2):
        started = time.monotonic()
        response = _log_in(client)
        waited = time.monotonic() - started
    assert response.status_code == 503
    assert 0.2 <= waited < 5


def test_only_so_many_may_wait_for_the_slot_S50() -> None:
    results: list[str] = []

    def wait_in_line() -> None:
        try:
            with hardwork.one_at_a_time():
                results.append("done")
        except hardwork.Busy:
            results.append("busy")

    with _slot_taken(), override_settings(PASSWORD_QUEUE_LENGTH=1, PASSWORD_QUEUE_SECONDS=10):
        waiting = threading.Thread(target=wait_in_line)
        waiting.start()
        for _ in range(100):
            if hardwork.waiting() == 1:
                break
            time.sleep(0.01)
        with pytest.raises(hardwork.Busy), hardwork.one_at_a_time():
            pass
    waiting.join()
    assert results == ["done"]

"""Memory-hard work (Argon2id) runs one at a time in a process, so a burst of
log-ins cannot multiply its memory."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from argon2.low_level import hash_secret_raw
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password

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

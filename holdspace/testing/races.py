"""Two people at the same moment (S52): real threads, each with its own
database connection, released together.

Use in tests marked ``django_db(transaction=True)``: the threads must see
what the test wrote, so nothing may wait uncommitted in the test's own
transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connections
from django.test import Client

# Long enough for a writer waiting on SQLite's lock (its busy timeout is 20 s).
TIMEOUT = 60


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run each call in its own thread, released at the same moment; return
    what each returned, or the exception it raised, in order."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            start.wait(TIMEOUT)
            results[index] = call()
        except BaseException as error:  # reported to the test, in its thread
            results[index] = error
        finally:
            connections.close_all()  # each thread's own connection

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    return results


@contextmanager
def after_reading(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, parties: int = 2
) -> Iterator[None]:
    """Make each of ``parties`` POSTs wait, once it has read its object
    through ``module.name`` (an access helper taking the request first),
    until all of them have read it: everyone acts on what the page showed,
    the worst case for a stale check. Nothing waits inside a transaction, so
    SQLite's single writer cannot deadlock the threads."""
    read = threading.Barrier(parties)
    original = getattr(module, name)

    def reading(request: Any, *args: Any, **kwargs: Any) -> Any:
        found = original(request, *args, **kwargs)
        if request.method == "POST":
            read.wait(TIMEOUT)
        return found

    monkeypatch.setattr(module, name, reading)
    yield
    monkeypatch.setattr(module, name, original)


def posting(client: Client, url: str, data: dict[str, Any]) -> Callable[[], Any]:
    """A POST to run in a thread; the page it leads to, with its message."""
    return lambda: client.post(url, data, follow=True)


def texts(responses: list[Any]) -> list[str]:
    """Each response's page, as text; an exception raised in a thread fails here."""
    pages = []
    for response in responses:
        if isinstance(response, BaseException):
            raise response
        assert response.status_code == 200, response.status_code
        pages.append(response.content.decode())
    return pages

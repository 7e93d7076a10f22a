from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from holdspace.accounts.models import User
from holdspace.testing import World, make_user, sign_in
from holdspace.testing.world import SharedWorld
from holdspace.vault.keyring import using


@pytest.fixture
def user(db: None) -> User:
    return make_user("alice")


@pytest.fixture
def admin(db: None) -> User:
    return make_user("ada", is_instance_admin=True)


@pytest.fixture
def signed_in(client: Client, user: User) -> Client:
    sign_in(client, user)
    return client


@pytest.fixture
def admin_client(client: Client, admin: User) -> Client:
    sign_in(client, admin)
    return client


CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright. Missing browser: a loud skip on a
    developer machine, a failure in CI (where `make test` must provide it)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        message = (
            "Debian's chromium is not installed: browser tests cannot run (make system-packages)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    # Playwright's synchronous API runs an event loop; Django's ORM refuses
    # to run beside one unless told that this is a test.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# The world ----------------------------------------------------------------------
#
# Building the world (two processes, 22 accounts, their keys) is most of what
# a test with it costs, so it is built once per test module, inside a
# transaction that is rolled back when the module is done. Each test runs in
# a savepoint on top of it (pytest-django's `db`), with the keyrings as they
# were and its own fresh copies of the world's rows. A test that needs
# committed rows (`transactional_db`, threads, a live server) builds its own
# world: see `holdspace.testing.fresh_world`.


@pytest.fixture(scope="module")
def shared_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[SharedWorld]:
    shared = SharedWorld(django_db_blocker)
    OPEN_WORLDS.append(shared)
    yield shared
    shared.close()
    OPEN_WORLDS.remove(shared)


@pytest.fixture
def world(shared_world: SharedWorld, db: None) -> Iterator[World]:
    """Two processes with every group kind and persona (holdspace.testing).

    The test code itself runs with the keyring that built the first process,
    so it can read what it checks; every request brings its own keyring.
    """
    built = shared_world.for_a_test()
    with using(built.keyring):
        yield built


OPEN_WORLDS: list[SharedWorld] = []


def _uses_world(item: pytest.Item) -> bool:
    return "shared_world" in getattr(item, "fixturenames", ())


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    wanted = marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))
    names = set(getattr(item, "fixturenames", ()))
    return bool(wanted or names & {"transactional_db", "live_server"})


def _uses_database(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & {"db", "transactional_db", "live_server", "django_db_setup"}) or (
        item.get_closest_marker("django_db") is not None
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Within each run of one module's tests (pytest-django has already put
    the transactional ones last), the tests on the shared world go first: the
    other database tests close it (see below), and nothing reopens it."""
    start = 0
    while start < len(items):
        end = start
        while end < len(items) and items[end].module is items[start].module:  # type: ignore[attr-defined]  # test functions have .module
            end += 1
        items[start:end] = sorted(items[start:end], key=lambda item: not _uses_world(item))
        start = end


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A database test that does not use the shared world must not see it,
    and a transactional one must not run inside its open transaction."""
    if _transactional(item) and _uses_world(item):
        pytest.fail(f"{item.nodeid}: a transactional test needs a world of its own (fresh_world)")
    if _uses_database(item) and not _uses_world(item):
        for shared in OPEN_WORLDS:
            shared.close()

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from holdspace.accounts.models import User
from holdspace.testing import World, build_world, make_user, sign_in
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


@pytest.fixture
def world(db: None) -> Iterator[World]:
    """Two processes with every group kind and persona (holdspace.testing).

    The test code itself runs with the keyring that built the first process,
    so it can read what it checks; every request brings its own keyring.
    """
    built = build_world()
    with using(built.keyring):
        yield built

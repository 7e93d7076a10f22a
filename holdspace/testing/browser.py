"""Driving the real log-in in a browser (Playwright), for the browser tests."""

from __future__ import annotations

from typing import Any


def log_in(
    page: Any,
    base_url: str,
    username: str,
    password: str,
    code: str,
    *,
    landing: str | None = "/dashboard/",
) -> None:
    """Log in through the forms as a person would: name and password, then
    the code. Waits for ``landing`` (None: for whatever page comes next)."""
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Log in").click()
    if landing is None:
        page.wait_for_load_state()
    else:
        page.wait_for_url(base_url + landing)

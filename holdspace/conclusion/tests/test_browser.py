"""In a real browser, without documentation: a member of the demo's support
group finds the conclusion report, previews the edition for the wider
community, downloads its PDF and releases it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from holdspace.demo import builder
from holdspace.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_the_demo_process_to_the_pdf_of_the_community_edition(
    browser: Any, live_server: Any, tmp_path: Any
) -> None:
    builder.build()
    username = "demo-support-coordinator"
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(
        page,
        live_server.url,
        username,
        builder.demo_password(username),
        builder.current_code(username),
    )
    page.get_by_role("link", name="Process Juniper").first.click()
    page.get_by_role("link", name="Open the conclusion report").click()
    page.get_by_role("link", name=re.compile("Preview.*wider community")).click()
    page.get_by_role("heading", name="For the wider community").wait_for()
    edition = page.get_by_role("region", name="The edition").inner_text()
    assert "Juniper" not in edition  # no group's nor the process's name
    assert "Lessons for others" in edition
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download as PDF").click()
    download = waiting.value
    assert re.fullmatch(
        r"conclusion-report-community-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename
    )
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    page.get_by_role("button", name="Release this edition").click()
    page.get_by_text("The edition is released").wait_for()
    context.close()
    assert problems == []

"""Every page of the demo, as every demo role: no page shows an empty text
as ``b''`` (issue 11). The demo holds what real groups leave empty — members
who declared nothing, evidence not yet checked, meetings without minutes."""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.core.management import call_command
from django.test import Client

from holdspace.demo import builder
from holdspace.demo.tests.test_demo import _log_in

pytestmark = pytest.mark.django_db

LEGACY_ON_PAGE = (b"b''", b"b&#x27;&#x27;", b"b&#39;&#39;")
LINK = re.compile(r'href="(/[^"#]*)"')
# Not pages: files, and what ends the session or leaves the site. PDFs are
# read in the conclusion app's own tests (drawing one takes seconds).
SKIP = re.compile(r"^/(static/|logout/|quick-exit/|healthz)|format=pdf")
# A ceiling, so that a bug making links without end fails instead of hanging.
MOST_PAGES = 1500


def _crawl(client: Client) -> dict[str, bytes]:
    """Every page reachable by links from the overview, fetched once."""
    seen: dict[str, bytes] = {}
    queue = deque(["/dashboard/"])
    while queue:
        url = queue.popleft()
        if url in seen or SKIP.search(url):
            continue
        response = client.get(url)
        assert response.status_code in (200, 302, 404), (url, response.status_code)
        seen[url] = response.content
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            queue.extend(
                link.replace("&amp;", "&") for link in LINK.findall(response.content.decode())
            )
        assert len(seen) < MOST_PAGES, "the crawl does not end"
    return seen


def test_no_demo_page_shows_b_quotes_to_any_role(tmp_path: object) -> None:
    call_command("demo")
    pages = 0
    for row in builder.credentials():
        client = _log_in(row)
        found = _crawl(client)
        for url, content in found.items():
            assert not any(bad in content for bad in LEGACY_ON_PAGE), (row["username"], url)
        pages += len(found)
    assert pages > 300  # the crawl reached the process, not just the overview

"""Each edition holds only what its audience may read, and names people only
where that audience may see their names: in the page, the Markdown, the
printable HTML and the PDF."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from holdspace.conclusion.tests.helpers import (
    CANARIES,
    CANARY_CONTACT,
    HARMED,
    HARMING,
    Report,
    pdf_tool,
    with_records,
    words,
)
from holdspace.testing import World, client_for

pytestmark = pytest.mark.django_db

# Which names each edition shows.
SHOWN = {
    "supervision": {"members", "groups", "pseudonyms"},
    "survivor": {"groups", "pseudonyms"},
    "community": set(),
}


def _outputs(world: World, edition: str, report: Report | None = None) -> dict[str, str]:
    report = report or with_records(world)
    client = client_for(world, "support-coordinator")
    pk = report.conclusion.pk
    found = {"page": client.get(reverse("hs-conclusion-preview", args=[pk]), {"edition": edition})}
    download = reverse("hs-conclusion-download", args=[pk])
    for extension in ("html", "md", "pdf"):
        found[extension] = client.get(download, {"edition": edition, "format": extension})
    texts = {name: response.content.decode() for name, response in found.items() if name != "pdf"}
    # The page's frame (navigation, breadcrumbs) is the reader's own: the edition is its section.
    texts["page"] = texts["page"].split('<section class="edition"', 1)[1].split("</section>")[0]
    texts["pdf"] = words(pdf_tool("pdftotext", found["pdf"].content))
    for response in found.values():
        assert response.status_code == 200
    return texts


def _has(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) is not None


@pytest.mark.parametrize("edition", ["supervision", "survivor", "community"])
def test_it_holds_only_the_records_its_audience_may_read(world: World, edition: str) -> None:
    for form, text in _outputs(world, edition).items():
        for canary, editions in CANARIES.items():
            assert (canary in text) == (edition in editions), f"{canary} in {edition} {form}"
        assert CANARY_CONTACT not in text, form


@pytest.mark.parametrize("edition", ["supervision", "survivor", "community"])
def test_it_names_people_and_groups_only_where_its_audience_may(world: World, edition: str) -> None:
    report = with_records(world)
    names = report.names
    for form, text in _outputs(world, edition, report).items():
        for kind, listed in names.items():
            for name in listed:
                shown = kind in SHOWN[edition]
                if shown and kind == "members" and name != "contact-member":
                    continue  # only one member is named in the texts
                assert _has(text, name) == shown, f"{name} in {edition} {form}"
    if edition == "community":
        assert "the survivor" in text and "the person who caused harm" in text
        assert HARMED not in text and HARMING not in text

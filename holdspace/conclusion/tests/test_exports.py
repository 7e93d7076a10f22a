"""The files an edition downloads as: a PDF that opens, with the chronology
as a table, page numbers, embedded fonts and neutral metadata; neutral file
names; never cached."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from holdspace.conclusion import services
from holdspace.conclusion.tests.helpers import HARMED, HARMING, pdf_tool, with_records, words
from holdspace.testing import World, client_for
from holdspace.vault.keyring import using

pytestmark = pytest.mark.django_db


def test_the_pdf_opens_with_the_chronology_page_numbers_and_embedded_fonts(world: World) -> None:
    report = with_records(world)
    client = client_for(world, "support-coordinator")
    url = reverse("hs-conclusion-download", args=[report.conclusion.pk])
    pdf = client.get(url, {"edition": "supervision", "format": "pdf"}).content
    assert pdf.startswith(b"%PDF-")
    text = words(pdf_tool("pdftotext", pdf))
    assert "Chronology" in text
    assert "2025-01-01" in text  # the day the notes happened
    assert "CANARYWITHSUPERVISION" in text
    found = re.search(r"Pages:\s+(\d+)", pdf_tool("pdfinfo", pdf))
    assert found is not None
    pages = int(found.group(1))
    assert str(pages) in pdf_tool("pdftotext", pdf, "-f", str(pages), "-l", str(pages))
    fonts = pdf_tool("pdffonts", pdf).splitlines()[2:]
    assert fonts
    assert all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column


@pytest.mark.parametrize("edition", ["supervision", "survivor", "community"])
def test_the_pdf_metadata_name_nobody(world: World, edition: str) -> None:
    report = with_records(world)
    client = client_for(world, "support-coordinator")
    url = reverse("hs-conclusion-download", args=[report.conclusion.pk])
    info = pdf_tool("pdfinfo", client.get(url, {"edition": edition, "format": "pdf"}).content)
    assert re.search(r"^Title:\s+Conclusion report$", info, re.MULTILINE)
    for name in (HARMED, HARMING, "Willow", "support-coordinator", "Author:", "Subject:"):
        assert name not in info, name


@pytest.mark.parametrize("extension", ["pdf", "html", "md"])
def test_downloads_are_attachments_with_neutral_names_never_cached(
    world: World, extension: str
) -> None:
    report = with_records(world)
    client = client_for(world, "support-coordinator")
    url = reverse("hs-conclusion-download", args=[report.conclusion.pk])
    response = client.get(url, {"edition": "community", "format": extension})
    assert response.status_code == 200
    day = response["Content-Disposition"].split("conclusion-report-community-")[1][:10]
    assert response["Content-Disposition"] == (
        f'attachment; filename="conclusion-report-community-{day}.{extension}"'
    )
    assert "no-store" in response["Cache-Control"]


def test_a_released_edition_downloads_as_it_was_released(world: World) -> None:
    report = with_records(world)
    with using(world.keyring):
        edition = services.release(
            report.conclusion, "survivor", by=world.personas["support-coordinator"]
        )
    client = client_for(world, "support-member")
    url = reverse("hs-edition-download", args=[edition.pk])
    response = client.get(url, {"format": "md"})
    assert response.status_code == 200
    assert 'attachment; filename="conclusion-report-survivor-' in response["Content-Disposition"]
    assert "CANARYSUPPORTONLY" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_markdown_keeps_what_was_typed_literal(world: World) -> None:
    report = with_records(world)
    conclusion = report.conclusion
    with using(world.keyring):
        conclusion.lessons = "# not a heading\n[a link](https://example.org) *loud*"
        conclusion.save(update_fields=["lessons"])
    client = client_for(world, "support-coordinator")
    url = reverse("hs-conclusion-download", args=[conclusion.pk])
    text = client.get(url, {"edition": "survivor", "format": "md"}).content.decode()
    assert "\\# not a heading" in text
    assert "\\[a link\\](https://example.org) \\*loud\\*" in text

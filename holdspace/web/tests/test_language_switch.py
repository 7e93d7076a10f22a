"""The language switch names each language in its own words, whatever the
page's language: someone who cannot read German still finds "English"."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("current", ["en", "de"])
def test_each_language_is_offered_in_its_own_words(client: Client, current: str) -> None:
    page = client.get("/login/", headers={"accept-language": current}).content.decode()
    assert 'lang="en" class="link-button"' in page and ">English</button>" in page
    assert 'lang="de" class="link-button"' in page and ">Deutsch</button>" in page
    assert "Englisch" not in page

"""The demo process holds a conclusion report: two editions released, the
edition for the wider community waiting for its preview."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from holdspace.conclusion.models import Conclusion, Edition

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_report_with_its_editions(tmp_path: Path) -> None:
    call_command("demo", credentials=str(tmp_path / "c.json"))
    conclusion = Conclusion.objects.get()
    released = set(Edition.objects.filter(made_from=conclusion).values_list("made_for", flat=True))
    assert released == {"supervision", "survivor"}

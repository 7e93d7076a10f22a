"""The embedded mode's outbox keeps no address in plain text (S35, S48), and
`holdspace outbox` shows a developer what would have been sent."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.mail import send_mail
from django.core.management import call_command
from django.test import override_settings

from holdspace.accounts import outbox
from holdspace.testing import run_holdspace

pytestmark = pytest.mark.django_db

ADDRESS = "canary-Zq81@example.org"


@pytest.fixture
def sealed_outbox(tmp_path: Path) -> Iterator[Path]:
    with override_settings(
        EMAIL_BACKEND="holdspace.accounts.outbox.SealedOutboxBackend",
        EMAIL_FILE_PATH=str(tmp_path),
    ):
        yield tmp_path


def _all_bytes(directory: Path) -> bytes:
    return b"".join(path.read_bytes() for path in directory.iterdir())


def _forms(text: str) -> list[bytes]:
    raw = text.encode()
    return [raw, raw.upper(), base64.b64encode(raw), raw.hex().encode()]


def test_no_address_lies_in_the_outbox_in_plain_text(sealed_outbox: Path) -> None:
    send_mail("Holdspace", "Please log in.", "holdspace@localhost", [ADDRESS])
    files = list(sealed_outbox.iterdir())
    assert len(files) == 1 and files[0].stat().st_mode & 0o077 == 0
    for form in _forms(ADDRESS) + _forms("canary-Zq81"):
        assert form not in _all_bytes(sealed_outbox)
    # … while the developer can read it.
    shown = io.StringIO()
    call_command("outbox", stdout=shown, stderr=io.StringIO())
    assert f"To: {ADDRESS}" in shown.getvalue()
    assert "Please log in." in shown.getvalue()


def test_a_renamed_message_does_not_open(sealed_outbox: Path) -> None:
    send_mail("Holdspace", "Please log in.", "holdspace@localhost", [ADDRESS])
    (only,) = sealed_outbox.iterdir()
    only.rename(sealed_outbox / f"0-{only.name}")
    assert [letter.text for letter in outbox.letters()] == [None]


def test_the_command_deletes_what_it_showed_and_old_plain_files(sealed_outbox: Path) -> None:
    send_mail("Holdspace", "Please log in.", "holdspace@localhost", [ADDRESS])
    (sealed_outbox / "20260101-000000-1.log").write_text(f"To: {ADDRESS}\n")
    notes = io.StringIO()
    call_command("outbox", stdout=io.StringIO(), stderr=notes)
    assert "1 older message file(s) there are in plain text" in notes.getvalue()
    call_command("outbox", "--delete", stdout=io.StringIO(), stderr=io.StringIO())
    assert list(sealed_outbox.iterdir()) == []


def test_the_embedded_mode_writes_sealed_messages(tmp_path: Path) -> None:
    env = {"HOLDSPACE_DATA_DIR": str(tmp_path), "HOLDSPACE_ENV": "embedded"}
    send = (
        "from django.core.mail import send_mail;"
        f"send_mail('Holdspace', 'Please log in.', 'holdspace@localhost', ['{ADDRESS}'])"
    )
    assert run_holdspace(["migrate", "--no-input"], env).returncode == 0
    result = run_holdspace(["shell", "-c", send], env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(list((tmp_path / "outbox").glob("*.sealed"))) == 1
    assert ADDRESS.encode() not in _all_bytes(tmp_path / "outbox")
    shown = run_holdspace(["outbox"], env)
    assert shown.returncode == 0 and f"To: {ADDRESS}" in shown.stdout

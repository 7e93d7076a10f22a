"""S31 in a real browser: pages with stored payloads run no script."""

from __future__ import annotations

from typing import Any

import pytest

from holdspace.processes import services
from holdspace.testing import PASSWORD, World, build_world, code_for
from holdspace.testing.browser import log_in
from holdspace.vault.keyring import using

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOAD = (
    '<script>window.__xss=1</script>"><img src=x onerror="window.__xss=2">'
    '<svg onload="window.__xss=3"></svg><a href="javascript:window.__xss=4">x</a>'
)


def test_stored_payloads_do_not_run_S31(browser: Any, live_server: Any) -> None:
    world: World = build_world()
    person = world.personas["support-member"]
    with using(world.keyring):
        note = services.write_note(
            author=person,
            group=world.groups["support"],
            occurred_on=world.process.started_on,
            title=PAYLOAD,
            body=PAYLOAD,
        )
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    log_in(page, live_server.url, person.username, PASSWORD, code_for(person))
    for path in (f"/r/{note.pk}/", f"/p/{world.process.pk}/timeline/", f"/p/{world.process.pk}/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__xss") is None, path
        assert "Leave this site now" in page.content()
    assert dialogs == []
    context.close()

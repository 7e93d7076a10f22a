"""S26: every sensitive route asks for the password again when the last
confirmation is older than REAUTH_WINDOW, and changes nothing until then."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from holdspace.accounts.models import User
from holdspace.testing import PASSWORD, World, database_snapshot, make_user, sign_in
from holdspace.web.checks import walk_patterns

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Sensitive:
    method: str
    data: dict[str, str]
    # (request, the account asking) -> URL; may build what the URL points at.
    url: Callable[[Any, User], str]
    admin: bool = False
    in_world: str | None = None  # the world persona who asks


def _account_of_someone_else(request: Any, me: User) -> str:
    return str(make_user("someone-else").pk)


def _member_removal(request: Any, me: User) -> str:
    world: World = request.getfixturevalue("world")
    membership = world.memberships["contact-member"]
    return reverse("hs-member-remove", args=[world.groups["contact"].pk, membership.pk])


def _inactive_account(request: Any, me: User) -> str:
    return str(make_user("gone", is_active=False).pk)


SENSITIVE: dict[str, Sensitive] = {
    "hs-backup-codes-new": Sensitive("POST", {}, lambda r, u: reverse("hs-backup-codes-new")),
    "hs-account-authenticator": Sensitive(
        "POST", {"code": "123456"}, lambda r, u: reverse("hs-account-authenticator")
    ),
    "hs-account-authenticator-qr": Sensitive(
        "GET", {}, lambda r, u: reverse("hs-account-authenticator-qr")
    ),
    "hs-recovery-key": Sensitive(
        "POST", {"recovery_key": "AAAA-BBBB"}, lambda r, u: reverse("hs-recovery-key")
    ),
    "hs-reminders": Sensitive(
        "POST",
        {"enabled": "on", "email": "someone@example.org"},
        lambda r, u: reverse("hs-reminders"),
    ),
    "hs-calendar": Sensitive("POST", {"action": "new"}, lambda r, u: reverse("hs-calendar")),
    "hs-instance-invite": Sensitive(
        "POST", {}, lambda r, u: reverse("hs-instance-invite"), admin=True
    ),
    "hs-instance-reset": Sensitive(
        "POST",
        {},
        lambda r, u: reverse("hs-instance-reset", args=[_account_of_someone_else(r, u)]),
        admin=True,
    ),
    "hs-instance-deactivate": Sensitive(
        "POST",
        {},
        lambda r, u: reverse("hs-instance-deactivate", args=[_account_of_someone_else(r, u)]),
        admin=True,
    ),
    "hs-instance-reactivate": Sensitive(
        "POST",
        {},
        lambda r, u: reverse("hs-instance-reactivate", args=[_inactive_account(r, u)]),
        admin=True,
    ),
    "hs-member-remove": Sensitive("POST", {}, _member_removal, in_world="contact-coordinator"),
    # Downloads of everything her side may read, before a process is deleted.
    "hs-closure-export": Sensitive(
        "POST",
        {},
        lambda r, u: reverse(
            "hs-closure-export", args=[r.getfixturevalue("world").groups["support"].pk]
        ),
        in_world="support-member",
    ),
    "hs-survivor-export": Sensitive(
        "POST", {}, lambda r, u: reverse("hs-survivor-export"), in_world="survivor"
    ),
}


def test_every_route_that_asks_for_the_password_again_is_listed_S26() -> None:
    asking = {
        pattern.name
        for _route, pattern in walk_patterns()
        if getattr(pattern.callback, "hs_recent_password", False)
    }
    assert asking == set(SENSITIVE)


def _asks_again(case: Sensitive, request: pytest.FixtureRequest, me: User) -> None:
    client = Client()
    with time_machine.travel("2026-11-22 09:00:00", tick=False) as traveller:
        url = case.url(request, me)
        sign_in(client, me)
        traveller.shift(11 * 60)  # the session lives on; the confirmation is stale
        before = database_snapshot()
        response = client.post(url, case.data) if case.method == "POST" else client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/account/confirm/?next={quote(url, safe='')}"
        assert database_snapshot() == before
        # With the password typed again, the same step goes ahead.
        assert client.post(response["Location"], {"password": PASSWORD})["Location"] == url
        again = client.post(url, case.data) if case.method == "POST" else client.get(url)
        assert not again.get("Location", "").startswith("/account/confirm/")


@pytest.mark.parametrize("name", sorted(n for n, case in SENSITIVE.items() if not case.in_world))
def test_a_stale_confirmation_asks_again_and_changes_nothing_S26(
    name: str, request: pytest.FixtureRequest
) -> None:
    case = SENSITIVE[name]
    _asks_again(case, request, make_user("asker", is_instance_admin=case.admin))


@pytest.mark.parametrize("name", sorted(n for n, case in SENSITIVE.items() if case.in_world))
def test_a_stale_confirmation_asks_a_member_again_and_changes_nothing_S26(
    name: str, world: World, request: pytest.FixtureRequest
) -> None:
    case = SENSITIVE[name]
    assert case.in_world is not None
    _asks_again(case, request, world.personas[case.in_world])

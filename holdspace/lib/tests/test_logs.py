"""S49: secret-bearing addresses (invitation, reset and group links, calendar
feeds) never reach a log line, whatever the outcome of the request; S36:
logs stay content-free."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from holdspace.accounts.models import Invitation
from holdspace.lib import logs
from holdspace.testing import keyring_of, make_user
from holdspace.vault.keyring import using
from holdspace.watch.models import CalendarFeed
from holdspace.web.checks import walk_patterns

pytestmark = pytest.mark.django_db

SECRET_ROUTES = (
    "hs-invite",
    "hs-reset-password",
    "hs-join",
    "hs-join-account",
    "hs-party-join",
    "hs-party-join-account",
    "hs-calendar-feed",
)


def test_every_address_with_a_token_is_known_as_secret_S49() -> None:
    with_token = {pattern.name for route, pattern in walk_patterns() if "<str:token>" in route}
    assert with_token == set(SECRET_ROUTES)
    for route, pattern in walk_patterns():
        if pattern.name in SECRET_ROUTES:
            path = "/" + route.replace("<str:token>", "Zq81-sample_token")
            assert "Zq81" not in logs.redact(f"Not Found: {path}x/"), path
            assert "Zq81" not in logs.redact(f"/login/?next={path.replace('/', '%2F')}"), path


def _process_of(founder: Any) -> Any:
    import datetime

    from holdspace.processes import services

    return services.create_process(
        founder,
        services.NewProcess(
            name="Process Oak",
            started_on=datetime.date(2025, 1, 1),
            harmed_term="survivor",
            harming_term="person_who_caused_harm",
            harmed_pseudonym="A.",
            harming_pseudonym="X",
            group_kind="support",
            group_name="Oak support group",
            commitment_until=None,
        ),
    )


def _group_invitation_token() -> str:
    from holdspace.processes import services

    founder = make_user("founder")
    with using(keyring_of(founder)):
        process = _process_of(founder)
        _invitation, token = services.invite(
            process.groups.get(), by=founder, role="member", note=""
        )
    return token


def _party_link_token() -> str:
    from holdspace.processes.models import Party
    from holdspace.processes.services import parties

    founder = make_user("founder")
    with using(keyring_of(founder)):
        process = _process_of(founder)
        party = process.parties.get(role=Party.Role.HARMED)
        _invitation, token = parties.invite(party, by=founder, group=process.groups.get())
    return token


def _invite_token() -> str:
    return Invitation.issue(Invitation.Kind.ACCOUNT, created_by=None)[1]


def _reset_token() -> str:
    return Invitation.issue(Invitation.Kind.RESET, created_by=None, account=make_user("bea"))[1]


def _calendar_token() -> str:
    return CalendarFeed.issue(make_user("cal"))[1]


def _break(monkeypatch: pytest.MonkeyPatch, target: Any, name: str) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("injected failure")

    monkeypatch.setattr(target, name, broken)


def _break_invitations(monkeypatch: pytest.MonkeyPatch) -> None:
    _break(monkeypatch, Invitation, "find_usable")


def _break_group_invitations(monkeypatch: pytest.MonkeyPatch) -> None:
    from holdspace.processes.models import GroupInvitation

    _break(monkeypatch, GroupInvitation, "find_usable")


def _break_party_links(monkeypatch: pytest.MonkeyPatch) -> None:
    from holdspace.processes.models import PartyInvitation

    _break(monkeypatch, PartyInvitation, "find_usable")


def _break_calendars(monkeypatch: pytest.MonkeyPatch) -> None:
    _break(monkeypatch, CalendarFeed, "find")


# route -> (make a live token, its address, a way to make the view fail)
ROUTES: dict[str, tuple[Callable[[], str], str, Callable[[pytest.MonkeyPatch], None]]] = {
    "hs-invite": (_invite_token, "/invite/{}/", _break_invitations),
    "hs-reset-password": (_reset_token, "/reset/{}/", _break_invitations),
    "hs-join": (_group_invitation_token, "/join/{}/", _break_group_invitations),
    "hs-join-account": (_group_invitation_token, "/join/{}/account/", _break_group_invitations),
    "hs-party-join": (_party_link_token, "/link/{}/", _break_party_links),
    "hs-party-join-account": (_party_link_token, "/link/{}/account/", _break_party_links),
    "hs-calendar-feed": (_calendar_token, "/calendar/{}/", _break_calendars),
}

# outcome -> (request, the status it gets)
OUTCOMES: dict[str, tuple[Callable[[Client, str], Any], int]] = {
    "success": (lambda client, url: client.get(url), 200),
    "csrf_failure": (lambda client, url: client.post(url, {"username": "x"}), 403),
    "not_found": (lambda client, url: client.get(url + "nothing-here/"), 404),
    "wrong_method": (lambda client, url: client.put(url), 405),
    "server_error": (lambda client, url: client.get(url), 500),
}


def _configured_handlers() -> list[logging.StreamHandler[Any]]:
    """The root logger's handlers from settings.LOGGING (not pytest's own)."""
    return [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler, logging.StreamHandler)
        and isinstance(handler.formatter, logs.ContentFreeFormatter)
    ]


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the configured log handlers write, captured."""
    stream = io.StringIO()
    handlers = _configured_handlers()
    assert handlers
    previous = [handler.setStream(stream) for handler in handlers]
    try:
        yield stream
    finally:
        for handler, old in zip(handlers, previous, strict=True):
            handler.setStream(old)


def _record_texts(record: logging.LogRecord) -> list[str]:
    request = getattr(record, "request", None)
    texts = [record.getMessage(), str(record.msg), repr(record.args)]
    if request is not None:
        texts += [str(request.path), request.get_full_path(), repr(request)]
    return texts


@pytest.mark.parametrize("outcome", sorted(OUTCOMES))
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_no_secret_address_reaches_a_log_line_S49(
    route: str,
    outcome: str,
    caplog: pytest.LogCaptureFixture,
    console: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_token, address, break_view = ROUTES[route]
    token = make_token()
    url = address.format(token)
    send, status = OUTCOMES[outcome]
    client = Client(enforce_csrf_checks=outcome == "csrf_failure", raise_request_exception=False)
    if outcome == "server_error":
        break_view(monkeypatch)
    with caplog.at_level("DEBUG"):
        response = send(client, url)
    assert response.status_code == status
    for record in caplog.records:
        for text in _record_texts(record):
            assert token not in text, (record.name, text)
    assert token not in console.getvalue()
    if outcome != "success":
        # The refusal was logged (so the search above could have found it).
        assert caplog.records, "nothing was logged"
        assert re.search(r"denied|Not Found|Method Not Allowed|Server Error", console.getvalue())


def test_the_search_would_find_a_token_written_to_the_log(
    caplog: pytest.LogCaptureFixture, console: io.StringIO
) -> None:
    """The checks above can fail: a token in an ordinary message is seen."""
    with caplog.at_level("INFO"):
        logging.getLogger("holdspace.test").info("token %s", "Zq81-plain")
    assert "Zq81-plain" in caplog.text
    assert "Zq81-plain" in console.getvalue()


def test_any_logger_is_redacted_by_the_handlers_S49(console: io.StringIO) -> None:
    logging.getLogger("someone.else").warning("Error handling request /join/%s/", "Zq81-live")
    written = console.getvalue()
    assert "Zq81-live" not in written
    assert "/join/[secret]/" in written


def test_every_handler_redacts_and_stays_content_free_S49_S36() -> None:
    for name, handler in settings.LOGGING["handlers"].items():
        assert "secret_paths" in handler.get("filters", []), name
        assert handler.get("formatter") == "plain", name
    for configured in _configured_handlers():
        assert any(isinstance(f, logs.RedactSecretPaths) for f in configured.filters)


def test_gunicorns_own_error_log_is_redacted_and_content_free_S49_S36(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Gunicorn logs outside Django's settings: its handler gets the filter
    and the content-free formatter too, and it keeps no access log."""
    from gunicorn.config import Config

    from holdspace.web.management.commands.serve import gunicorn_options

    options = gunicorn_options()
    config = Config()
    for key in ("errorlog", "accesslog", "logger_class"):
        config.set(key, options[key])
    logger = options["logger_class"](config)
    assert not logger.access_log_enabled
    typed, token = "Canary-8821", "Zq81-live"
    try:
        raise ValueError(typed)
    except ValueError:
        logger.exception("Error handling request /invite/%s/", token)
    written = capsys.readouterr().err
    assert "/invite/[secret]/" in written and "ValueError" in written
    assert token not in written and typed not in written

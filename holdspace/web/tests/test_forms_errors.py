"""Forms that never lose text and errors people can act on (issue 12): the
error summary links each problem to its field, the title says "Error:",
messages are ours, texts are counted, nothing is preset that must be chosen,
and fields that only apply to one choice sit under it."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django import forms
from django.template import Context, Template
from django.test import Client
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.contact.models import Contact
from holdspace.testing import PASSWORD, World, client_for, database_snapshot
from holdspace.web import texts
from holdspace.web.forms import Form

OURS = {
    "required": {
        "Please fill this in.",
        "Please choose one of the options.",
        "Please choose at least one.",
        "Please give a date.",
        "Please give a time.",
        "Please tick this box to go on.",
    },
    "invalid_choice": {
        "This option is not available any more. Please choose one of the options shown."
    },
    "invalid_date": {"Please give a date as year-month-day, such as 2026-03-27."},
}


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _contact_url(world: World) -> str:
    return f"/g/{world.groups['contact'].pk}/contacts/new/"


def _contact(**overrides: Any) -> dict[str, Any]:
    return {
        "direction": "outgoing",
        "counterpart": "him",
        "counterpart_note": "",
        "channel": "email",
        "occurred_on": _ago(3).isoformat(),
        "summary": "We asked for a date.",
        **overrides,
    }


def _title(content: bytes) -> str:
    found = re.search(r"<title>(.*?)</title>", content.decode(), re.S)
    assert found
    return html.unescape(found.group(1)).strip()


def _summary(content: bytes) -> str:
    found = re.search(r"<div class=\"error-summary\".*?</div>", content.decode(), re.S)
    assert found, "no error summary"
    return found.group(0)


# The error summary ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_refused_form_lists_each_problem_as_a_link_to_its_field(world: World) -> None:
    client = client_for(world, "contact-member")
    before = database_snapshot()
    response = client.post(_contact_url(world), _contact(direction="", summary=""))
    assert response.status_code == 200
    assert database_snapshot() == before
    summary = _summary(response.content)
    assert 'tabindex="-1"' in summary and "data-hs-error-summary" in summary
    # A radio group links to its first option; a text to itself.
    assert '<a href="#id_direction_0">Who reached out: Please choose one of the options.</a>' in (
        summary
    )
    assert '<a href="#id_summary">What was said: Please fill this in.</a>' in summary
    assert 'id="id_direction_0"' in response.content.decode()


@pytest.mark.django_db
def test_a_radio_group_in_error_is_marked_and_points_to_its_message(world: World) -> None:
    client = client_for(world, "contact-member")
    page = client.post(_contact_url(world), _contact(channel="")).content.decode()
    fieldsets = re.findall(r"<fieldset[^>]*>(?:(?!</fieldset>).)*", page, re.S)
    channel = next(f for f in fieldsets if 'name="channel"' in f)
    assert 'class="fieldset--error"' in channel.split(">", 1)[0]
    assert all("fieldset--error" not in f.split(">", 1)[0] for f in fieldsets if f != channel)
    assert '<ul class="errorlist" id="id_channel_error">' in page
    radios = re.findall(r'<input type="radio" name="channel"[^>]*>', page)
    assert len(radios) >= 4
    for radio in radios:
        assert 'aria-invalid="true"' in radio and 'aria-describedby="id_channel_error"' in radio
    # Groups without a problem are not marked.
    direction = re.findall(r'<input type="radio" name="direction"[^>]*>', page)
    assert direction and all("aria-invalid" not in radio for radio in direction)


@pytest.mark.django_db
def test_a_text_field_in_error_points_to_its_message(world: World) -> None:
    client = client_for(world, "contact-member")
    page = client.post(_contact_url(world), _contact(summary="")).content.decode()
    textarea = re.search(r"<textarea[^>]*name=\"summary\"[^>]*>", page)
    assert textarea
    assert 'aria-invalid="true"' in textarea.group(0)
    assert "id_summary_error" in textarea.group(0)
    assert '<ul class="errorlist" id="id_summary_error">' in page


def test_problems_of_the_whole_form_are_listed_too() -> None:
    class Pair(Form):
        first = forms.CharField(label="First", required=False)

        def clean(self) -> dict[str, Any]:
            raise forms.ValidationError("These two do not go together.")

    rendered = str(Pair({"first": "x"}))
    summary = re.search(r"<ul class=\"error-summary__list\">.*?</ul>", rendered, re.S)
    assert summary and "<li>These two do not go together.</li>" in summary.group(0)


# "Error:" in the title --------------------------------------------------------


@pytest.mark.django_db
def test_the_title_says_error_when_a_form_was_refused(world: World) -> None:
    client = client_for(world, "contact-member")
    assert not _title(client.get(_contact_url(world)).content).startswith("Error:")
    refused = client.post(_contact_url(world), _contact(summary=""))
    assert _title(refused.content).startswith("Error: ")


def _title_prefix(**context: Any) -> str:
    return Template('{% include "web/includes/title_error.html" %}').render(Context(context))


def test_the_error_prefix_finds_a_refused_form_under_any_name() -> None:
    class One(Form):
        text = forms.CharField()

    refused, fine, unsent = One({"text": ""}), One({"text": "x"}), One()
    assert not refused.is_valid() and fine.is_valid()
    assert _title_prefix(outcome_form=refused) == "Error: "
    assert _title_prefix(forms=[fine, refused]) == "Error: "
    assert _title_prefix(form=fine) == ""
    assert _title_prefix(form=unsent) == ""
    # A bound form the view never checked is not checked by the title.
    unchecked = One({"text": ""})
    assert _title_prefix(form=unchecked) == "" and vars(unchecked)["_errors"] is None


# Our messages ---------------------------------------------------------------------


def _sample_errors(field: forms.Field) -> dict[str, list[str]]:
    """What ``field`` says to an empty, an unknown and a malformed value."""
    said: dict[str, list[str]] = {}
    tries: list[tuple[str, Any]] = []
    if field.required:
        tries.append(("required", [] if isinstance(field, forms.MultipleChoiceField) else ""))
    if type(field) in (forms.ChoiceField, forms.TypedChoiceField) and list(
        getattr(field, "choices", [])
    ):
        tries.append(("invalid_choice", "no-such-option"))
    if isinstance(field, forms.DateField):
        tries.append(("invalid_date", "soon"))
    for kind, value in tries:
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(value)
        said[kind] = [str(message) for message in refused.value.messages]
    return said


def test_every_form_speaks_with_our_words() -> None:
    """Every form class of every app derives from our Form, and every one of
    its fields answers an empty, unknown or malformed value in our words."""
    classes = [cls for cls in texts.form_classes() if cls is not Form]
    assert len(classes) > 40
    seen: set[str] = set()
    for cls in classes:
        assert issubclass(cls, Form), f"{cls.__module__}.{cls.__qualname__}"
        form = cls.__new__(cls)
        Form.__init__(form)  # the base alone: each form's own arguments are its business
        for name, field in form.fields.items():
            for kind, messages in _sample_errors(field).items():
                own = field.error_messages.get("required") if kind == "required" else None
                for message in messages:
                    assert message in OURS[kind] or message == str(own), (cls, name, message)
                    assert message != "This field is required."
                seen.add(kind)
            # ModelChoiceFields have no choices here: their words are checked as set.
            if isinstance(field, forms.ModelChoiceField):
                assert str(field.error_messages["invalid_choice"]) in OURS["invalid_choice"] or (
                    "Select a valid choice" not in str(field.error_messages["invalid_choice"])
                )
            if isinstance(field, forms.CharField) and field.max_length:
                with pytest.raises(forms.ValidationError) as too_long:
                    field.clean("ü" * (field.max_length + 2))
                said = too_long.value.messages
                assert any(m.startswith("You have 2 characters too many.") for m in said), said
                seen.add("max_length")
    assert seen == {"required", "invalid_choice", "invalid_date", "max_length"}


def test_words_a_form_chose_itself_are_kept() -> None:
    class Chosen(Form):
        answer = forms.ChoiceField(
            choices=[("a", "A")], error_messages={"required": "Please say yes or no."}
        )

    form = Chosen({"answer": ""})
    assert form.errors["answer"] == ["Please say yes or no."]


# Long texts and the character count -----------------------------------------------


@pytest.mark.django_db
def test_a_paste_over_the_limit_is_refused_kept_and_nothing_saved(world: World) -> None:
    client = client_for(world, "contact-member")
    text = "🌱" * 50_001  # one character too many, counted as the server counts
    before = database_snapshot()
    response = client.post(_contact_url(world), _contact(summary=text))
    assert response.status_code == 200
    page = response.content.decode()
    assert "You have 1 character too many. Shorten the text and save again" in page
    assert text in page  # still in the field
    assert database_snapshot() == before
    # The count under the field says the same, and the field is linked to it.
    assert re.search(r'id="id_summary_count"[^>]*>You have 1 character too many</div>', page)
    textarea = re.search(r"<textarea[^>]*name=\"summary\"[^>]*>", page)
    assert textarea and 'data-hs-limit="50000"' in textarea.group(0)
    assert "id_summary_count" in textarea.group(0) and "maxlength" not in textarea.group(0)


@pytest.mark.django_db
def test_the_count_speaks_only_near_the_limit(world: World) -> None:
    client = client_for(world, "contact-member")
    short = client.post(_contact_url(world), _contact(summary="Short.", channel=""))
    assert re.search(r'id="id_summary_count"[^>]*></div>', short.content.decode())
    near = client.post(_contact_url(world), _contact(summary="x" * 40_000, channel=""))
    assert "You have 10,000 characters left" in near.content.decode()


# Nothing preset that must be chosen ------------------------------------------------


@pytest.mark.django_db
def test_log_a_contact_presets_no_fact(world: World) -> None:
    page = client_for(world, "contact-member").get(_contact_url(world)).content.decode()
    for name in ("direction", "channel", "counterpart"):
        radios = re.findall(rf'<input type="radio" name="{name}"[^>]*>', page)
        assert radios and not any("checked" in radio for radio in radios), name


def test_a_new_meeting_and_new_evidence_preset_no_fact() -> None:
    from holdspace.commitments.forms import EvidenceForm
    from holdspace.contact.forms import MeetingForm

    assert MeetingForm(people=User.objects.none())["outcome"].value() is None
    assert EvidenceForm()["source"].value() is None


# Fields that only apply to one choice ---------------------------------------------


@pytest.mark.django_db
def test_he_answered_on_sits_under_we_contacted(world: World) -> None:
    page = client_for(world, "contact-member").get(_contact_url(world)).content.decode()
    outgoing = page.index('id="id_direction_0"')
    incoming = page.index('id="id_direction_1"')
    assert 'data-hs-controls="id_direction_0_conditional"' in page
    assert outgoing < page.index('name="answered_on"') < incoming
    # Without the script the field shows, with a hint saying when it applies.
    assert "Only when you contacted him" in page
    assert page.count('name="answered_on"') == 1


@pytest.mark.django_db
def test_he_answered_on_is_ignored_when_he_contacted_us(world: World) -> None:
    client = client_for(world, "contact-member")
    data = _contact(direction="incoming", answered_on=_ago(1).isoformat())
    response = client.post(_contact_url(world), data)
    assert response.status_code == 302, response.content[:3000]
    contact = Contact.objects.latest("created_at")
    assert contact.direction == "incoming" and contact.answered_on is None


@pytest.mark.django_db
def test_he_answered_on_is_kept_when_we_contacted_him(world: World) -> None:
    client = client_for(world, "contact-member")
    response = client.post(_contact_url(world), _contact(answered_on=_ago(1).isoformat()))
    assert response.status_code == 302
    assert Contact.objects.latest("created_at").answered_on == _ago(1)


# The log-in code -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_code_field_opens_the_numeric_keyboard(client: Client, user: User) -> None:
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    page = client.get("/login/code/").content.decode()
    field = re.search(r'<input type="text" name="code"[^>]*>', page)
    assert field
    for attribute in ('inputmode="numeric"', 'autocomplete="one-time-code"', "autofocus"):
        assert attribute in field.group(0)
    # A backup code has letters: its own page keeps the full keyboard.
    assert 'href="/login/code/?backup=1"' in page
    backup = client.get("/login/code/?backup=1").content.decode()
    field = re.search(r'<input type="text" name="code"[^>]*>', backup)
    assert field and 'inputmode="text"' in field.group(0)


def test_a_problem_of_a_hidden_field_is_said_plainly() -> None:
    from holdspace.processes.forms import EditNoteForm

    form = EditNoteForm({"version": "x", "occurred_on": "2026-01-01", "body": "Text"})
    assert not form.is_valid()
    summary = re.search(r"<ul class=\"error-summary__list\">.*?</ul>", str(form), re.S)
    assert summary
    assert "<li>This page could not be matched to what is saved. Please open it again.</li>" in (
        summary.group(0)
    )
    assert "Hidden field" not in str(form)


class _Reached(Form):
    applies_when = {"answered_on": ("direction", "outgoing")}
    direction = forms.ChoiceField(
        choices=[("outgoing", "we"), ("incoming", "he")], widget=forms.RadioSelect
    )
    answered_on = forms.DateField(required=False)


def test_a_field_for_another_choice_is_ignored_even_when_malformed() -> None:
    form = _Reached({"direction": "incoming", "answered_on": "soon"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["answered_on"] is None


def test_a_field_for_the_chosen_option_is_checked_and_kept() -> None:
    refused = _Reached({"direction": "outgoing", "answered_on": "soon"})
    assert not refused.is_valid() and "answered_on" in refused.errors
    kept = _Reached({"direction": "outgoing", "answered_on": "2026-01-02"})
    assert kept.is_valid() and kept.cleaned_data["answered_on"] == datetime.date(2026, 1, 2)
    # With no option chosen, nothing is thrown away.
    undecided = _Reached({"direction": "", "answered_on": "2026-01-02"})
    assert not undecided.is_valid() and undecided.cleaned_data["answered_on"] is not None

"""Starting points for demands and steps, in Holdspace's own words.

A group picks one, then rewrites it for its own process: a template is a
suggestion, never a wording anyone agreed to.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Template:
    key: str
    title: Promise
    text: Promise


DEMAND_TEMPLATES = (
    Template(
        "programme",
        _("Work on it with a programme"),
        _(
            "Join a programme for people who have caused sexualised violence and stay in it "
            "until it is finished. Therapy alone does not count: the programme has to work "
            "on the violence itself."
        ),
    ),
    Template(
        "inform",
        _("Tell new groups and partners"),
        _(
            "Before joining a new political group, or at the start of a new relationship, "
            "tell the people there that you are in an accountability process, and let the "
            "contact group know that you did."
        ),
    ),
    Template(
        "contact",
        _("Stay in contact"),
        _(
            "Stay in contact with the contact group: answer within two weeks and come to the "
            "meetings you agree on. Say early if you cannot make it."
        ),
    ),
    Template(
        "reflect",
        _("Reflect in writing"),
        _(
            "Write down what you did, in your own words, without excuses, and what you "
            "understand about it now. Send it to the contact group."
        ),
    ),
)

STEP_TEMPLATES = (
    Template(
        "programmes_contacted",
        _("Find programmes"),
        _("Send the contact group the names of three programmes you have contacted."),
    ),
    Template(
        "first_session",
        _("Start a programme"),
        _("Go to a first appointment of a programme and tell the contact group the date."),
    ),
    Template(
        "groups_list",
        _("List your groups"),
        _("Send the contact group a list of the political groups you are active in."),
    ),
    Template(
        "reflection",
        _("Send a reflection"),
        _("Send a written reflection before the next meeting."),
    ),
)


def find(templates: tuple[Template, ...], key: str | None) -> Template | None:
    return next((template for template in templates if template.key == key), None)

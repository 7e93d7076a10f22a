"""Who wrote something, as the groups see it."""

from __future__ import annotations

from typing import Any

from django import template

from holdspace.processes import access

register = template.Library()


@register.filter
def author_name(record: Any) -> str:
    """The username of a record's author — or, when the author is one of the
    two people the process is about, the process's word for them: their
    usernames are for logging in, never shown to the groups."""
    author = record.author
    if author is None:
        return ""
    role = access.party_role_of(author, record.process_id)
    if role is None:
        return str(author.username)
    terms = record.process.terms
    return str(terms.harming if role == "harming" else terms.harmed)

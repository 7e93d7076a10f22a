"""The key alarm warning (S46): which of the viewer's groups have one."""

from __future__ import annotations

from typing import Any

from django import template

from holdspace.accounts.models import User
from holdspace.processes import access
from holdspace.processes.models import Group
from holdspace.vault.alarms import alarmed_group_ids

register = template.Library()


@register.simple_tag(takes_context=True)
def key_alarm_groups(context: template.Context, group: Any = None) -> list[Group]:
    """The viewer's active groups with a key alarm — only ``group`` if given.

    Through the access core: an alarm is shown to the group's active members
    and to nobody else (not even as its existence).
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return []
    memberships = access.active_memberships(user)
    if isinstance(group, Group):
        memberships = memberships.filter(group_id=group.pk)
    alarmed = alarmed_group_ids(memberships.values_list("group_id", flat=True))
    if not alarmed:
        return []
    chosen = memberships.filter(group_id__in=alarmed).select_related("group")
    return [membership.group for membership in chosen.order_by("group__created_at")]

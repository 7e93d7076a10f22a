"""What the portal's audit entries say on the log pages."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "message.written": _("wrote a message to the person who caused harm"),
    "message.edited": _("edited a message before it was sent"),
    "message.sent": _("sent a message to the portal"),
    "portal_answer.written": _("wrote through the portal"),
    # Never written today (what he sent is not edited); every kind has one.
    "answer.edited": _("changed what was written through the portal"),
}

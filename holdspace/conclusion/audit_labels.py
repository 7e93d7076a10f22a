"""What the conclusion app's audit entries say on the log pages."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "conclusion.begun": _("began the conclusion report"),
    "conclusion.edited": _("edited the conclusion report"),
    "conclusion.released": _("released an edition of the conclusion report"),
}

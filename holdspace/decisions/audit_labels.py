"""What the decisions app's audit entries say on the log pages."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "decision.proposed": _("proposed a decision"),
    "decision.opened": _("put a prepared decision to the groups"),
    "decision.withdrawn": _("withdrew a proposal"),
    "decision.answered": _("answered a proposal"),
    "decision.answer_changed": _("changed their answer to a proposal"),
    "decision.decided": _("recorded the outcome of a decision"),
    "decision.replaced": _("replaced a decision by a later one"),
    "decision.prepared": _("prepared a decision from the consequence ladder"),
    "decision.edited": _("edited a decision"),
    "ladder.written": _("wrote down a consequence ladder"),
    "ladder.changed": _("changed a consequence ladder"),
    "ladder.agreed": _("recorded that a consequence ladder was agreed"),
    "ladder.edited": _("edited a consequence ladder"),
}

"""What the closure app's audit entries say on the log pages."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "closure.criteria_changed": _("changed the closure criteria"),
    "process.reopened": _("opened the closed process again"),
    "closure.statement_approved": _("approved the public statement"),
    "closure.statement_declined": _("declined the public statement"),
    "closure.statement_released": _("released the public statement"),
    "closure.exported": _("downloaded the export for the survivor's side"),
    # The event of the statement's answer or release (also on the chronology).
    "closure.statement": _("answered or released the public statement"),
}

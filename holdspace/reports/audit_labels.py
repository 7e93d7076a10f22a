"""What the reports app's audit entries say on the log pages."""

from django.utils.translation import gettext_lazy as _

# "report.written" and "report.edited" are labelled in holdspace.audit.labels.
ACTIONS = {
    "report.signed": _("signed off a report"),
    "report.sent": _("sent a report to supervision"),
    "report.correction_written": _("started a correction of a sent report"),
    "report.corrected": _("sent a correction of a report"),
}

"""What the survivor app's audit entries say on the log pages."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "survivor.decides_herself": _("chose to give the survivor's approvals herself"),
    "survivor.leaves_to_group": _("left the survivor's approvals to her support group"),
    "survivor.paused": _("asked for a pause"),
    "survivor.pause_ended": _("ended a pause"),
}

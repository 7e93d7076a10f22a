"""What the circle app's audit entries say on the log pages."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "person.added": _("added someone from the surroundings"),
    "person.stance_changed": _("changed someone's stance or whether they may be contacted"),
    "person.edited": _("edited someone from the surroundings"),
    "informing.recorded": _("planned or recorded an informing"),
    "informing.approval_asked": _("asked the survivor's side to approve an informing"),
    "informing.approved": _("approved an informing"),
    "informing.declined": _("declined an informing"),
    "informing.outcome_recorded": _("recorded whether an informing was carried out"),
    "informing.edited": _("edited an informing"),
    "duty.recorded": _("recorded a duty to inform"),
    "duty.confirmation_recorded": _("recorded whether someone confirmed being told"),
    "duty.edited": _("edited a duty to inform"),
    "consent.given": _("recorded who may be told what"),
    "consent.edited": _("edited a consent"),
}

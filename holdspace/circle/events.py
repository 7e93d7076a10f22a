"""The events the circle app writes on the chronology (registered in apps.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Code(models.TextChoices):
    PERSON_STANCE = "circle.stance", _("stance changed")
    PERSON_CONTACT = "circle.may_contact", _("whether they may be contacted changed")
    INFORMING = "circle.informing", _("informing carried out or called off")
    APPROVAL = "circle.approval", _("approval of an informing")
    DUTY = "circle.duty", _("duty to inform confirmed or disputed")


# The values of the approval event.
ASKED, APPROVED, DECLINED = "asked", "approved", "declined"

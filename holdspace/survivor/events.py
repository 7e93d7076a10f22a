"""The events the survivor's choices write on her support group's chronology
(registered in apps.py). Content-free: a code and a plain value."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Code(models.TextChoices):
    CHOICE = "survivor.choice", _("who gives the survivor's approvals")
    PAUSE = "survivor.pause", _("the survivor's pause")


# The values of the choice event; the pause event holds the day it lasts
# until (ISO), or ENDED.
HERSELF, SUPPORT_GROUP, ENDED = "herself", "support_group", "ended"

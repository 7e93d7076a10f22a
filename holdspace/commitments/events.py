"""What the letter, the demands, the steps and the agreements write on the
chronology (registered with holdspace.processes.registry in apps.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Code(models.TextChoices):
    DEMAND_STATUS = "demand.status", _("demand status changed")
    DEMAND_WORDING = "demand.wording", _("demand wording agreed")
    DEMAND_PROPOSAL = "demand.proposal", _("change to a demand proposed")
    STEP_STATUS = "step.status", _("step status changed")
    AGREEMENT_STATUS = "agreement.status", _("agreement status changed")
    AGREEMENT_BREACHED = "agreement.breached", _("agreement breached")
    LETTER_COPY = "letter.copy", _("copy of the letter handed out")

from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "holdspace.commitments"
    label = "commitments"
    verbose_name = "Letter, demands and agreements"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from holdspace.commitments.models import Agreement, Breach, Demand, Step, WordingProposal
        from holdspace.processes.models import Event

        Event.VALUE_LABELS.update(
            {
                Event.Code.DEMAND_STATUS: dict(Demand.Status.choices),
                Event.Code.DEMAND_PROPOSAL: dict(WordingProposal.Kind.choices),
                Event.Code.STEP_STATUS: {**dict(Step.Status.choices), Step.OVERDUE: _("overdue")},
                Event.Code.AGREEMENT_STATUS: dict(Agreement.Status.choices),
                Event.Code.AGREEMENT_BREACHED: dict(Breach.Severity.choices),
            }
        )

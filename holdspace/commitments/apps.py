from typing import Any

from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "holdspace.commitments"
    label = "commitments"
    verbose_name = "Letter, demands and agreements"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from holdspace.commitments import demo
        from holdspace.commitments.events import Code
        from holdspace.commitments.models import Agreement, Breach, Demand, Step, WordingProposal
        from holdspace.commitments.views.overview import process_section
        from holdspace.processes import registry

        rows = "commitments/rows/{}.html"
        for name, label, page, related in (
            ("letter", _("letter"), "hs-letter", ()),
            ("demand", _("demand"), "hs-demand", ()),
            ("step", _("step"), "hs-step", ("step__towards",)),
            ("agreement", _("agreement"), "hs-agreement", ()),
        ):
            registry.register_kind(
                registry.RecordKind(
                    name,
                    label,
                    page,
                    rows.format(name),
                    related,
                    app=self.label,
                    named_by_events=True,
                )
            )
        values: dict[str, dict[str, Any]] = {
            Code.DEMAND_STATUS: dict(Demand.Status.choices),
            Code.DEMAND_PROPOSAL: dict(WordingProposal.Kind.choices),
            Code.STEP_STATUS: {**dict(Step.Status.choices), Step.OVERDUE: _("overdue")},
            Code.AGREEMENT_STATUS: dict(Agreement.Status.choices),
            Code.AGREEMENT_BREACHED: dict(Breach.Severity.choices),
        }
        for code, label in Code.choices:
            registry.register_event(
                registry.EventKind(
                    code,
                    label,
                    "commitments/includes/events.html",
                    values.get(code, {}),
                    app=self.label,
                )
            )
        registry.register_section(
            registry.Section(
                "commitments",
                "commitments/includes/process_section.html",
                process_section,
                order=60,
                app=self.label,
                crumb=(_("Demands and agreements"), "hs-commitments"),
            )
        )
        registry.register_demo(registry.DemoPart("commitments", demo.build, 40, self.label))
        for task, kinds in (("demands", ("letter", "demand")), ("contact", ("step", "agreement"))):
            registry.register_history(registry.TaskHistory(task, kinds, app=self.label))

from typing import Any

from django.apps import AppConfig


class SurvivorConfig(AppConfig):
    name = "holdspace.survivor"
    label = "survivor"
    verbose_name = "The survivor's own view"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from holdspace.audit import labels
        from holdspace.processes import registry
        from holdspace.survivor import audit_labels, demo, examples
        from holdspace.survivor.events import ENDED, HERSELF, SUPPORT_GROUP, Code

        labels.register(audit_labels.ACTIONS)
        values: dict[str, dict[str, Any]] = {
            Code.CHOICE: {
                HERSELF: _("she gives them herself"),
                SUPPORT_GROUP: _("her support group gives them"),
            },
            Code.PAUSE: {ENDED: _("ended")},
        }
        for code, label in Code.choices:
            registry.register_event(
                registry.EventKind(
                    code, label, "survivor/includes/events.html", values[code], app=self.label
                )
            )
        self._routes(registry, examples)
        registry.register_demo(registry.DemoPart("survivor", demo.build, 95, self.label))

    def _routes(self, registry: Any, examples: Any) -> None:
        get, both = ("GET",), ("GET", "POST")
        for name, methods, rule, target in (
            ("hs-survivor", get, "harmed_party", None),
            ("hs-survivor-demands", get, "harmed_party", None),
            ("hs-survivor-approval", both, "harmed_party_record", "survivor_proposal"),
            ("hs-survivor-informing", both, "harmed_party_record", "survivor_informing"),
            ("hs-survivor-choices", both, "harmed_party", None),
        ):
            example = getattr(examples, target) if target else None
            registry.register_route(
                registry.Route(name, methods, rule, target, self.label, example=example)
            )

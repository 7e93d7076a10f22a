from typing import Any

from django.apps import AppConfig


class CircleConfig(AppConfig):
    name = "holdspace.circle"
    label = "circle"
    verbose_name = "The people around him, disclosure consent and informing"

    def ready(self) -> None:
        from holdspace.audit import labels
        from holdspace.circle import audit_labels

        labels.register(audit_labels.ACTIONS)
        from django.utils.translation import gettext_lazy as _

        from holdspace.circle import demo, examples, watch
        from holdspace.circle.events import APPROVED, ASKED, DECLINED, Code
        from holdspace.circle.models import Duty, Informing, Person
        from holdspace.circle.views import process_section
        from holdspace.processes import registry
        from holdspace.watch import sources

        for name, label, page, related in (
            ("person", _("person in the surroundings"), "hs-person", ()),
            ("informing", _("informing"), "hs-informing", ("informing__whom",)),
            ("duty", _("duty to inform"), "hs-duty", ()),
            ("consent", _("consent to tell"), "hs-consent", ()),
        ):
            registry.register_kind(
                registry.RecordKind(
                    name,
                    label,
                    page,
                    f"circle/rows/{name}.html",
                    related,
                    app=self.label,
                    named_by_events=True,
                )
            )
        values: dict[str, dict[str, Any]] = {
            Code.PERSON_STANCE: dict(Person.Stance.choices),
            Code.PERSON_CONTACT: dict(Person.MayContact.choices),
            Code.INFORMING: dict(Informing.Status.choices),
            Code.APPROVAL: {ASKED: _("asked"), APPROVED: _("approved"), DECLINED: _("declined")},
            Code.DUTY: dict(Duty.Confirmation.choices),
        }
        for code, label in Code.choices:
            registry.register_event(
                registry.EventKind(
                    code, label, "circle/includes/events.html", values[code], app=self.label
                )
            )
        registry.register_section(
            registry.Section(
                "circle",
                "circle/includes/process_section.html",
                process_section,
                order=55,
                app=self.label,
                crumb=(_("Surroundings"), "hs-circle"),
            )
        )
        self._routes(registry, examples)
        sources.register(
            sources.Source(
                "circle",
                watch.LEAD_DAYS,
                watch.alerts,
                "circle/includes/alert_text.html",
                watch.url,
                app=self.label,
            )
        )
        registry.register_demo(registry.DemoPart("circle", demo.build, 55, self.label))
        for task, kinds in (
            ("contact", ("person", "informing", "duty")),
            ("survivor_support", ("consent",)),
        ):
            registry.register_history(registry.TaskHistory(task, kinds, app=self.label))

    def _routes(self, registry: Any, examples: Any) -> None:
        get, both, post = ("GET",), ("GET", "POST"), ("POST",)
        for name, methods, rule, target in (
            ("hs-circle", get, "process_member", "process"),
            ("hs-person-new", both, "group_member", "group"),
            ("hs-person", get, "record_reader", "person"),
            ("hs-person-edit", both, "record_editor", "person"),
            ("hs-person-stance", both, "record_actor", "person"),
            ("hs-informing-new", both, "record_actor", "person"),
            ("hs-informing", get, "record_reader", "informing"),
            ("hs-informing-edit", both, "record_editor", "informing"),
            ("hs-informing-outcome", both, "record_actor", "informing"),
            ("hs-informing-ask", post, "record_actor", "informing"),
            ("hs-informing-approval", both, "survivor_reader", "informing"),
            ("hs-duty-new", both, "group_member", "group"),
            ("hs-duty", get, "record_reader", "duty"),
            ("hs-duty-edit", both, "record_editor", "duty"),
            ("hs-duty-confirm", both, "record_actor", "duty"),
            ("hs-consent-new", both, "survivor_group", "group"),
            ("hs-consent", get, "record_reader", "consent"),
            ("hs-consent-edit", both, "record_editor", "consent"),
        ):
            example = (
                getattr(examples, target, None) if target not in ("process", "group") else None
            )
            registry.register_route(
                registry.Route(name, methods, rule, target, self.label, example=example)
            )

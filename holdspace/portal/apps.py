from typing import Any

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "holdspace.portal"
    label = "portal"
    verbose_name = "The portal of the person who caused harm"

    def ready(self) -> None:
        from holdspace.audit import labels
        from holdspace.portal import audit_labels

        labels.register(audit_labels.ACTIONS)
        from django.utils.translation import gettext_lazy as _

        from holdspace.portal import demo, examples, views, watch
        from holdspace.portal.models import Answer
        from holdspace.processes import party_reading, registry
        from holdspace.watch import sources

        for name, label, page, related in (
            ("message", _("message to the portal"), "hs-message", ()),
            ("answer", _("written in the portal"), "hs-answer", ()),
        ):
            registry.register_kind(
                registry.RecordKind(
                    name,
                    label,
                    page,
                    f"portal/rows/{name}.html",
                    related,
                    app=self.label,
                    own_portal_audience=True,
                )
            )
        # What he wrote, shared by the contact group with the survivor, shows
        # on her pages like a note (his own pages list it with his messages).
        party_reading.register(
            "answer", Answer, lambda answer: (answer.get_answer_kind_display(), answer.body)
        )
        registry.register_section(
            registry.Section(
                "portal",
                "portal/includes/process_section.html",
                views.process_section,
                order=62,
                app=self.label,
            )
        )
        self._routes(registry, examples)
        registry.register_demo(registry.DemoPart("portal", demo.build, 90, self.label))
        registry.register_history(
            registry.TaskHistory("contact", ("message", "answer"), app=self.label)
        )
        sources.register(
            sources.Source(
                "portal",
                watch.LEAD_DAYS,
                watch.alerts,
                "portal/alert.html",
                watch.url,
                app=self.label,
            )
        )

    def _routes(self, registry: Any, examples: Any) -> None:
        get, both = ("GET",), ("GET", "POST")
        party = "harming_party"
        for name, methods, rule, target, example in (
            ("hs-message-new", both, "group_member", "group", None),
            ("hs-message", get, "record_reader", "message", examples.message),
            ("hs-message-edit", both, "record_editor", "message", examples.message),
            ("hs-message-send", both, "record_actor", "message", examples.message),
            ("hs-answer", get, "record_reader", "answer", examples.answer),
            ("hs-portal", get, party, None, None),
            ("hs-portal-demands", get, party, None, None),
            ("hs-portal-agreements", get, party, None, None),
            ("hs-portal-meetings", get, party, None, None),
            ("hs-portal-messages", get, party, None, None),
            (
                "hs-portal-message",
                both,
                "harming_party_record",
                "portal_message",
                examples.portal_message,
            ),
            ("hs-portal-write", both, party, None, None),
            ("hs-portal-told", both, party, None, None),
        ):
            registry.register_route(
                registry.Route(name, methods, rule, target, self.label, example=example)
            )

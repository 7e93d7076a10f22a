from django.apps import AppConfig


class ClosureConfig(AppConfig):
    name = "holdspace.closure"
    label = "closure"
    verbose_name = "Closing a process, reopening it, and retention"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from holdspace.audit import labels
        from holdspace.closure import audit_labels, demo, examples, guard, services, views
        from holdspace.closure.models import Closure
        from holdspace.processes import registry

        guard.connect()
        labels.register(audit_labels.ACTIONS)
        for name, label, page in (
            ("closure", _("closure"), "hs-closure-record"),
            ("reopening", _("reopening"), "hs-reopening"),
        ):
            registry.register_kind(
                registry.RecordKind(
                    name,
                    label,
                    page,
                    f"closure/rows/{name}.html",
                    app=self.label,
                    named_by_events=name == "closure",
                    editable=False,
                )
            )
        registry.register_event(
            registry.EventKind(
                services.STATEMENT,
                _("public statement answered or released"),
                "closure/includes/events.html",
                dict(Closure.Statement.choices),
                self.label,
            )
        )
        for where, template, order, crumb in (
            ("process-top", "closure/includes/banner.html", 5, None),
            ("process", "closure/includes/process_section.html", 95, (_("Closure"), "hs-closure")),
        ):
            registry.register_section(
                registry.Section(
                    f"closure-{where}" if where != "process" else "closure",
                    template,
                    views.process_section,
                    where=where,
                    order=order,
                    app=self.label,
                    crumb=crumb,
                )
            )
        process, steerer, keeper, reader = (
            "process_member",
            "process_steerer",
            "party_keeper",
            "record_reader",
        )
        get, post, both = ("GET",), ("POST",), ("GET", "POST")
        for name, methods, rule, target, example in (
            ("hs-closure", get, process, "process", None),
            ("hs-closure-criteria", both, steerer, "process", None),
            ("hs-closure-close", both, steerer, "process", None),
            ("hs-closure-reopen", both, steerer, "process", None),
            ("hs-closure-statement", both, keeper, "process", None),
            ("hs-closure-release", post, steerer, "process", None),
            ("hs-closure-export", both, "survivor_group", "group", None),
            ("hs-closure-record", get, reader, "closure", examples.example_closure),
            ("hs-reopening", get, reader, "reopening", examples.example_reopening),
            ("hs-survivor-closure", both, "harmed_party", None, None),
            ("hs-survivor-export", both, "harmed_party", None, None),
        ):
            registry.register_route(
                registry.Route(name, methods, rule, target, self.label, example=example)
            )
        registry.register_demo(registry.DemoPart("closure", demo.build, 95, self.label))

from django.apps import AppConfig


class ConclusionConfig(AppConfig):
    name = "holdspace.conclusion"
    label = "conclusion"
    verbose_name = "The conclusion report, its editions and exports"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from holdspace.audit import labels
        from holdspace.conclusion import audit_labels, demo, examples, views
        from holdspace.processes import registry

        labels.register(audit_labels.ACTIONS)
        registry.register_kind(
            registry.RecordKind(
                "conclusion",
                _("conclusion report"),
                "hs-conclusion-report",
                "conclusion/rows/conclusion.html",
                app=self.label,
            )
        )
        # A released edition is frozen: nobody edits it nor shares it anew.
        registry.register_kind(
            registry.RecordKind(
                "edition",
                _("edition of the conclusion report"),
                "hs-edition",
                "conclusion/rows/edition.html",
                app=self.label,
                editable=False,
            )
        )
        registry.register_section(
            registry.Section(
                "conclusion",
                "conclusion/includes/process_section.html",
                views.process_section,
                order=90,
                app=self.label,
                crumb=(_("Conclusion report"), "hs-conclusion"),
            )
        )
        get, post, both = ("GET",), ("POST",), ("GET", "POST")
        report, edition = examples.example_conclusion, examples.example_edition
        for name, methods, rule, target, example in (
            ("hs-conclusion", get, "process_member", "process", None),
            ("hs-conclusion-new", both, "process_steerer", "process", None),
            ("hs-conclusion-report", get, "record_reader", "conclusion", report),
            ("hs-conclusion-edit", both, "record_editor", "conclusion", report),
            ("hs-conclusion-preview", get, "record_reader", "conclusion", report),
            ("hs-conclusion-download", get, "record_reader", "conclusion", report),
            ("hs-conclusion-release", post, "record_editor", "conclusion", report),
            ("hs-edition", get, "record_reader", "edition", edition),
            ("hs-edition-download", get, "record_reader", "edition", edition),
        ):
            registry.register_route(
                registry.Route(name, methods, rule, target, self.label, example=example)
            )
        registry.register_demo(registry.DemoPart("conclusion", demo.build, 95, self.label))

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "holdspace.reports"
    label = "reports"
    verbose_name = "Periodic reports to the supervision group"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from holdspace.audit import labels
        from holdspace.processes import registry
        from holdspace.reports import access, audit_labels, demo, examples
        from holdspace.reports.services import Code

        labels.register(audit_labels.ACTIONS)
        registry.register_kind(
            registry.RecordKind(
                "report",
                _("report"),
                "hs-report",
                "reports/rows/report.html",
                app=self.label,
                named_by_events=True,
                frozen=access.is_frozen,
                section="contact",
            )
        )
        for code, label in (
            (Code.WRITTEN, _("report drafted")),
            (Code.SIGNED, _("report signed off")),
            (Code.SENT, _("report sent to supervision")),
            (Code.CORRECTED, _("report corrected")),
        ):
            registry.register_event(
                registry.EventKind(code, label, "reports/includes/events.html", app=self.label)
            )
        post, both = ("POST",), ("GET", "POST")
        draft, sent = examples.example_report, examples.example_sent_report
        for name, methods, rule, target, example in (
            ("hs-report-sign", post, "record_actor", "draft_report", draft),
            ("hs-report-send", both, "record_editor", "draft_report", draft),
            ("hs-report-correct", both, "record_editor", "sent_report", sent),
        ):
            registry.register_route(
                registry.Route(name, methods, rule, target, self.label, example=example)
            )
        registry.register_demo(registry.DemoPart("reports", demo.build, 80, self.label))
        # The group taking over contact reads the reports written so far.
        registry.register_history(registry.TaskHistory("contact", ("report",), app=self.label))

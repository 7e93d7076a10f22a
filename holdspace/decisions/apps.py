from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "holdspace.decisions"
    label = "decisions"
    verbose_name = "Collective decisions and the consequence ladder"

    def ready(self) -> None:
        from holdspace.audit import labels
        from holdspace.decisions import audit_labels

        labels.register(audit_labels.ACTIONS)
        from django.utils.translation import gettext_lazy as _

        from holdspace.decisions import demo, examples, views, watch
        from holdspace.decisions.models import Decision, NonCooperation
        from holdspace.decisions.services import Code
        from holdspace.processes import registry
        from holdspace.watch import sources

        for name, label, page in (
            ("decision", _("decision"), "hs-decision"),
            ("ladder", _("consequence ladder"), "hs-ladder-steps"),
        ):
            registry.register_kind(
                registry.RecordKind(
                    name,
                    label,
                    page,
                    f"decisions/rows/{name}.html",
                    app=self.label,
                    named_by_events=True,
                )
            )
        values = {
            Code.OPENED: dict(Decision.Topic.choices),
            Code.DECIDED: dict(Decision.Result.choices),
            Code.PREPARED: dict(NonCooperation.choices),
        }
        for code, label in (
            (Code.OPENED, _("decision put to the groups")),
            (Code.DECIDED, _("decision taken")),
            (Code.REPLACED, _("decision replaced")),
            (Code.WITHDRAWN, _("decision withdrawn")),
            (Code.PREPARED, _("decision prepared from the consequence ladder")),
            (Code.LADDER_AGREED, _("consequence ladder agreed")),
        ):
            registry.register_event(
                registry.EventKind(
                    code, label, "decisions/includes/events.html", values.get(code, {}), self.label
                )
            )
        registry.register_section(
            registry.Section(
                "decisions",
                "decisions/includes/process_section.html",
                views.process_section,
                order=65,
                app=self.label,
                crumb=(_("Decisions"), "hs-decisions"),
            )
        )
        process, group, reader, actor, editor = (
            "process_member",
            "group_member",
            "record_reader",
            "record_actor",
            "record_editor",
        )
        get, post, both = ("GET",), ("POST",), ("GET", "POST")
        decision, ladder = examples.example_decision, examples.example_ladder
        for name, methods, rule, target, example in (
            ("hs-decisions", get, process, "process", None),
            ("hs-decision-new", both, process, "process", None),
            ("hs-decision", get, reader, "decision", decision),
            ("hs-decision-answer", both, actor, "decision", decision),
            ("hs-decision-outcome", both, actor, "decision", decision),
            ("hs-decision-prepare", both, actor, "decision", decision),
            ("hs-decision-withdraw", post, actor, "decision", decision),
            ("hs-decision-replace", both, actor, "decision", decision),
            ("hs-ladder", get, process, "process", None),
            ("hs-ladder-new", both, group, "group", None),
            ("hs-ladder-steps", get, reader, "ladder", ladder),
            ("hs-ladder-edit", both, editor, "ladder", ladder),
            ("hs-ladder-agree", post, actor, "ladder", ladder),
            ("hs-ladder-next", post, actor, "ladder", ladder),
        ):
            registry.register_route(
                registry.Route(name, methods, rule, target, self.label, example=example)
            )
        registry.register_demo(registry.DemoPart("decisions", demo.build, 70, self.label))
        sources.register(
            sources.Source(
                "decisions",
                watch.LEAD_DAYS,
                watch.alerts,
                "decisions/alert.html",
                watch.url,
                app=self.label,
                leads=watch.leads,
                on_tick=watch.on_tick,
            )
        )

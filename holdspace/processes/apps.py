from typing import Any

from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    name = "holdspace.processes"
    label = "processes"
    verbose_name = "Processes"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from holdspace.processes import registry, signals  # noqa: F401  (connects the receivers)
        from holdspace.processes.models import Event, Process, Record

        registry.register_kind(
            registry.RecordKind(
                Record.Kind.NOTE, _("note"), "hs-record", "processes/includes/rows/note.html"
            )
        )
        registry.register_kind(
            registry.RecordKind(
                Record.Kind.EVENT, _("event"), "hs-record", "processes/includes/rows/event.html"
            )
        )
        registry.register_kind(
            registry.RecordKind(
                "handover",
                _("hand-over"),
                "hs-record",
                "processes/includes/rows/handover.html",
                ("handover__from_group", "handover__to_group"),
                named_by_events=True,
                editable=False,
            )
        )
        for name, label, url_name, order, anchor in (
            ("overview", _("Process overview"), "hs-process", 0, ""),
            ("chronology", _("Chronology"), "hs-timeline", 80, ""),
            ("groups", _("Groups"), "hs-process", 90, "groups"),
        ):
            registry.register_nav(registry.NavLink(name, label, url_name, order, anchor))
        values: dict[str, dict[str, Any]] = {
            Event.Code.PROCESS_STATUS: dict(Process.Status.choices)
        }
        for code, label in Event.Code.choices:
            registry.register_event(
                registry.EventKind(
                    code, label, "processes/includes/events/process.html", values.get(code, {})
                )
            )

from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "holdspace.watch"
    label = "watch"
    verbose_name = "The cadence watchdog"

    def ready(self) -> None:
        from holdspace.processes import registry
        from holdspace.watch import attention

        for where, template in (
            ("process-top", "watch/includes/attention_process.html"),
            ("dashboard", "watch/includes/attention_dashboard.html"),
        ):
            registry.register_section(
                registry.Section(
                    f"attention-{where}",
                    template,
                    attention.section_context,
                    where=where,
                    order=10,
                    app=self.label,
                )
            )

"""A toy app, installed in tests only: proof that a new kind of record plugs
into processes through the registry without any edit there (DESIGN §6)."""

from django.apps import AppConfig


class ToyConfig(AppConfig):
    name = "holdspace.tests.toy"
    label = "toy"
    verbose_name = "Toy records (tests only)"

    def ready(self) -> None:
        from holdspace.processes import registry
        from holdspace.tests.toy import models, watch
        from holdspace.watch import sources

        registry.register_kind(
            registry.RecordKind("toy", "toy", "hs-toy", "toy/row.html", app=self.label)
        )
        registry.register_event(
            registry.EventKind(
                "toy.poked", "toy poked", "toy/event.html", {"hard": "hard"}, app=self.label
            )
        )
        registry.register_route(
            registry.Route(
                "hs-toy", ("GET",), "record_reader", "toy", self.label, example=models.example
            )
        )
        sources.register(
            sources.Source(
                "toy",
                {watch.TOY_DUE: 3},
                watch.alerts,
                "toy/alert.html",
                watch.url,
                app=self.label,
                on_tick=watch.on_tick,
            )
        )

from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "holdspace.contact"
    label = "contact"
    verbose_name = "Contact log and meetings"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from holdspace.contact import demo
        from holdspace.contact.views import process_section
        from holdspace.processes import registry

        for name, label, page in (
            ("contact", _("contact"), "hs-contact"),
            ("meeting", _("meeting"), "hs-meeting"),
        ):
            registry.register_kind(
                registry.RecordKind(name, label, page, f"contact/rows/{name}.html", app=self.label)
            )
        registry.register_section(
            registry.Section(
                "contact",
                "contact/includes/process_section.html",
                process_section,
                order=50,
                app=self.label,
                crumb=(_("Contact and meetings"), "hs-contact-log"),
            )
        )
        registry.register_demo(registry.DemoPart("contact", demo.build, 50, self.label))
        # What the group carrying contact passes on when it hands contact over.
        registry.register_history(
            registry.TaskHistory("contact", ("contact", "meeting"), app=self.label)
        )

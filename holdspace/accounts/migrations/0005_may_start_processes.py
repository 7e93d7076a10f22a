# Who may start a process becomes an account setting (issue 11).

from typing import Any

from django.db import migrations, models


def keep_founders_founding(apps: Any, schema_editor: Any) -> None:
    """Accounts that already started a process keep the right to start one."""
    User = apps.get_model("accounts", "User")
    Entry = apps.get_model("audit", "Entry")
    founders = Entry.objects.filter(action="process.created").values_list("actor_id", flat=True)
    User.objects.filter(pk__in=[pk for pk in founders if pk is not None]).update(
        may_start_processes=True
    )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_network_login_failures"),
        ("audit", "0003_key_the_chain"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="grants_process_start",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="user",
            name="may_start_processes",
            field=models.BooleanField(default=False, verbose_name="may start processes"),
        ),
        migrations.RunPython(keep_founders_founding, migrations.RunPython.noop),
    ]

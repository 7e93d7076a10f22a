# Who may start a process becomes an account setting (issue 11).

import uuid
from typing import Any

from django.db import migrations, models


def keep_founders_founding(apps: Any, schema_editor: Any) -> None:
    """Accounts that already started a process keep the right to start one.

    Read from the audit log's table without depending on the audit app's
    migrations, so that moving the audit app back and forth (S41) leaves
    this app alone. On a new instance there is no log yet, and no founder.
    """
    connection = schema_editor.connection
    if "audit_entry" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT actor_id FROM audit_entry WHERE action = %s", ["process.created"]
        )
        founders = [uuid.UUID(str(row[0])) for row in cursor.fetchall() if row[0] is not None]
    User = apps.get_model("accounts", "User")
    User.objects.filter(pk__in=founders).update(may_start_processes=True)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_network_login_failures"),
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

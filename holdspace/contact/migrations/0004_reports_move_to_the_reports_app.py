# Reports moved to holdspace.reports: only Django's idea of the models
# changes; the table contact_report and every row stay where they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('contact', '0003_meetings_with_his_surroundings'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Report')],
            database_operations=[],
        ),
    ]

# Reports moved here from holdspace.contact: the model is taken over as it was,
# in its old table contact_report, without touching the database.

import django.db.models.deletion
import holdspace.vault.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contact', '0004_reports_move_to_the_reports_app'),
        ('processes', '0008_party_links'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Report',
                    fields=[
                        ('record_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='processes.record')),
                        ('period_from', models.DateField(verbose_name='from')),
                        ('period_to', models.DateField(verbose_name='to')),
                        ('text', holdspace.vault.fields.EncryptedTextField(editable=True, key='data_key', verbose_name='report')),
                    ],
                    options={'db_table': 'contact_report'},
                    bases=('processes.record',),
                ),
            ],
            database_operations=[],
        ),
    ]

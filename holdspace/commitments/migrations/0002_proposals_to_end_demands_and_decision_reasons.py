# Ending a demand (met, withdrawn) is proposed to the survivor's side like a new wording; a decision keeps its reason (issue 11).

import holdspace.vault.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commitments', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='wordingproposal',
            name='decision_reason',
            field=holdspace.vault.fields.EncryptedTextField(blank=True, editable=True, key='demand.data_key', verbose_name='why you decided so'),
        ),
        migrations.AlterField(
            model_name='wordingproposal',
            name='kind',
            field=models.CharField(choices=[('reword', 'new wording'), ('met', 'mark the demand as met'), ('withdraw', 'withdraw the demand')], max_length=16),
        ),
    ]

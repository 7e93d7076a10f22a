# Reports written before they could be drafted and sent went to their readers
# when they were written: they count as sent on the day they are dated, and
# stay as they are (the watchdog's report_due counts from them, as before).

from django.db import migrations


def sent_when_written(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    for report in Report.objects.filter(status="draft", sent_at__isnull=True).only(
        "pk", "occurred_on", "created_at"
    ):
        Report.objects.filter(pk=report.pk).update(
            status="sent", sent_on=report.occurred_on, sent_at=report.created_at
        )


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0002_drafted_signed_sent_frozen"),
    ]

    operations = [
        migrations.RunPython(sent_when_written, migrations.RunPython.noop),
    ]

# The day a meeting's outcome happened (DESIGN §6, issue 11): its own day if it was held or
# he did not come, the day it was called off if it was cancelled.

from django.db import migrations, models
from django.utils import timezone


def date_outcomes(apps, schema_editor):
    """Outcomes recorded before: the meeting's day, or for a cancellation
    recorded before that day, the day it was recorded. Only dates are read."""
    Meeting = apps.get_model("contact", "Meeting")
    rows = Meeting.objects.exclude(outcome="scheduled").values_list(
        "pk", "occurred_on", "outcome", "outcome_recorded_at"
    )
    for pk, day, outcome, recorded in rows:
        if outcome.startswith("cancelled") and recorded is not None:
            day = min(day, timezone.localdate(recorded))
        Meeting.objects.filter(pk=pk).update(outcome_on=day)


class Migration(migrations.Migration):

    dependencies = [
        ("contact", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="outcome_on",
            field=models.DateField(blank=True, null=True, verbose_name="outcome on"),
        ),
        migrations.RunPython(date_outcomes, migrations.RunPython.noop),
    ]

# Two dates on every change (DESIGN §6, issue 11): the day a wording was agreed and a
# proposal made and decided, beside when each was written down; a demand's history reads
# in the order things happened; its first wording and status date from the day it was made.

import django.utils.timezone
from django.db import migrations, models


def date_what_happened(apps, schema_editor):
    """Fill the new days from what was known: the day each was written down,
    and for a demand's first wording and status, the day the demand was made.
    Only dates are read: no encrypted text is opened."""
    localdate = django.utils.timezone.localdate
    Demand = apps.get_model("commitments", "Demand")
    DemandWording = apps.get_model("commitments", "DemandWording")
    DemandStatusChange = apps.get_model("commitments", "DemandStatusChange")
    WordingProposal = apps.get_model("commitments", "WordingProposal")
    made = dict(Demand.objects.values_list("pk", "occurred_on"))
    for pk, demand_id, number, created in DemandWording.objects.values_list(
        "pk", "demand_id", "number", "created_at"
    ):
        day = localdate(created)
        if number == 1 and made.get(demand_id) is not None:
            day = min(day, made[demand_id])
        DemandWording.objects.filter(pk=pk).update(agreed_on=day)
    seen = set()
    for pk, demand_id, status, changed_on in DemandStatusChange.objects.order_by(
        "created_at"
    ).values_list("pk", "demand_id", "status", "changed_on"):
        if demand_id in seen:
            continue
        seen.add(demand_id)
        first_day = made.get(demand_id)
        if status == "open" and first_day is not None and changed_on > first_day:
            DemandStatusChange.objects.filter(pk=pk).update(changed_on=first_day)
    for pk, proposed_at, decided_at in WordingProposal.objects.values_list(
        "pk", "proposed_at", "decided_at"
    ):
        WordingProposal.objects.filter(pk=pk).update(
            proposed_on=localdate(proposed_at),
            decided_on=localdate(decided_at) if decided_at else None,
        )


class Migration(migrations.Migration):

    dependencies = [
        ("commitments", "0002_proposals_to_end_demands_and_decision_reasons"),
    ]

    operations = [
        migrations.RenameField(
            model_name="demandwording",
            old_name="agreed_on",
            new_name="created_at",
        ),
        migrations.AddField(
            model_name="demandwording",
            name="agreed_on",
            field=models.DateField(default=django.utils.timezone.localdate),
        ),
        migrations.AddField(
            model_name="wordingproposal",
            name="proposed_on",
            field=models.DateField(default=django.utils.timezone.localdate),
        ),
        migrations.AddField(
            model_name="wordingproposal",
            name="decided_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AlterModelOptions(
            name="demandstatuschange",
            options={"ordering": ["changed_on", "created_at"]},
        ),
        migrations.AlterModelOptions(
            name="wordingproposal",
            options={"ordering": ["-proposed_on", "-proposed_at"]},
        ),
        # Going back, the new days go with their columns; the first statuses keep
        # the day of their demand, which is what they meant.
        migrations.RunPython(date_what_happened, migrations.RunPython.noop),
    ]

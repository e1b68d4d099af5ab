from django.db import migrations
from django.db.models import Min


def fill(apps, schema_editor):
    """Employers that already took someone on keep the right to be active."""
    Employer = apps.get_model("employers", "Employer")
    Placement = apps.get_model("matching", "Placement")
    firsts = Placement.objects.values("opening__employer").annotate(first=Min("start_date"))
    for row in firsts:
        Employer.objects.filter(pk=row["opening__employer"]).update(first_placement_on=row["first"])


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0004_employer_first_placement_on"),
        ("matching", "0005_resume_proposals_schedule"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

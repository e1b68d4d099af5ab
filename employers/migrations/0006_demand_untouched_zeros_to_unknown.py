"""Expected openings and retirements could not be "unknown": the form asked for a number and
offered 0 as its default, so a profile saved by someone who did not know says 0.

A profile whose three figures are all 0 cannot be told apart from one whose figures nobody
filled in: those zeros become unknown (NULL). Where any figure is above 0, someone answered
these questions, and their zeros are kept as answers. Hiding a true 0 costs one question at
the next visit; keeping a false 0 would report "no demand" that no employer stated.
Going back, unknown returns to the old default, 0."""

from django.db import migrations

FIGURES = ["openings_12_months", "openings_24_months", "expected_retirements"]


def forwards(apps, schema_editor):
    DemandProfile = apps.get_model("employers", "DemandProfile")
    DemandProfile.objects.filter(**dict.fromkeys(FIGURES, 0)).update(**dict.fromkeys(FIGURES))


def backwards(apps, schema_editor):
    DemandProfile = apps.get_model("employers", "DemandProfile")
    for name in FIGURES:
        DemandProfile.objects.filter(**{f"{name}__isnull": True}).update(**{name: 0})


class Migration(migrations.Migration):
    dependencies = [("employers", "0005_demand_concerns_shortage_unknown_figures")]

    operations = [migrations.RunPython(forwards, backwards)]

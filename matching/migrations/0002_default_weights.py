"""The one row of score weights, with the defaults of the model; coordinators tune it in the admin."""

from django.db import migrations


def add_weights(apps, schema_editor):
    apps.get_model("matching", "ScoreWeights").objects.get_or_create(pk=1)


def remove_weights(apps, schema_editor):
    apps.get_model("matching", "ScoreWeights").objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_score_weights")]
    operations = [migrations.RunPython(add_weights, remove_weights)]

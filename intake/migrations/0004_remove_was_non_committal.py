from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_non_committal_from_yes_no_flag")]

    operations = [migrations.RemoveField(model_name="intakerecord", name="was_non_committal")]

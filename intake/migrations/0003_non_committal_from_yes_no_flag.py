"""The old "non-committal" was a yes/no flag that defaulted to no. Only its "yes" was ever an
answer: a "no" cannot be told from a question nobody answered, so it becomes "not recorded"
(""), never "no". Going back, "yes" is kept and everything else returns to the old default."""

from django.db import migrations


def forwards(apps, schema_editor):
    IntakeRecord = apps.get_model("intake", "IntakeRecord")
    IntakeRecord.objects.filter(was_non_committal=True).update(non_committal="yes")
    IntakeRecord.objects.filter(was_non_committal=False).update(non_committal="")


def backwards(apps, schema_editor):
    IntakeRecord = apps.get_model("intake", "IntakeRecord")
    IntakeRecord.objects.update(was_non_committal=False)
    IntakeRecord.objects.filter(non_committal="yes").update(was_non_committal=True)


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_meeting_attendance_and_record_answers")]

    operations = [migrations.RunPython(forwards, backwards)]

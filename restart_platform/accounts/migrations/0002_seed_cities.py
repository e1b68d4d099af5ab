from django.db import migrations

CITIES = [("dordrecht", "Dordrecht"), ("rotterdam", "Rotterdam")]


def add_cities(apps, schema_editor):
    City = apps.get_model("accounts", "City")
    for slug, name in CITIES:
        City.objects.get_or_create(slug=slug, defaults={"name": name})


def remove_cities(apps, schema_editor):
    apps.get_model("accounts", "City").objects.filter(
        slug__in=[slug for slug, _ in CITIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add_cities, remove_cities)]

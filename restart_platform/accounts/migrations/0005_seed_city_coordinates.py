"""The centres of the two cities, so matching can measure the distance between them."""

from decimal import Decimal

from django.db import migrations

COORDINATES = {
    "dordrecht": (Decimal("51.813300"), Decimal("4.690100")),
    "rotterdam": (Decimal("51.924400"), Decimal("4.477700")),
}


def add_coordinates(apps, schema_editor):
    City = apps.get_model("accounts", "City")
    for slug, (latitude, longitude) in COORDINATES.items():
        City.objects.filter(slug=slug).update(latitude=latitude, longitude=longitude)


def remove_coordinates(apps, schema_editor):
    apps.get_model("accounts", "City").objects.filter(slug__in=COORDINATES).update(
        latitude=None, longitude=None
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_city_coordinates")]
    operations = [migrations.RunPython(add_coordinates, remove_coordinates)]

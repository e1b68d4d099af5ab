"""The first list of personal interests for the buddy programme; coordinators extend it in the
admin."""

from django.db import migrations

PERSONAL_INTERESTS = [
    ("sport", "Sport", "Sport"),
    ("football", "Voetbal", "Football"),
    ("fitness", "Fitness", "Fitness"),
    ("music", "Muziek", "Music"),
    ("gaming", "Gamen", "Gaming"),
    ("cars", "Auto's", "Cars"),
    ("motorbikes", "Motoren en scooters", "Motorbikes and scooters"),
    ("cooking", "Koken", "Cooking"),
    ("fashion", "Mode", "Fashion"),
    ("film-series", "Films en series", "Films and series"),
    ("drawing-art", "Tekenen en kunst", "Drawing and art"),
    ("dance", "Dansen", "Dance"),
    ("nature-animals", "Natuur en dieren", "Nature and animals"),
    ("technology-diy", "Techniek en klussen", "Technology and DIY"),
    ("travel", "Reizen", "Travel"),
    ("reading", "Lezen", "Reading"),
]


def seed(apps, schema_editor):
    PersonalInterest = apps.get_model("taxonomy", "PersonalInterest")
    for slug, nl, en in PERSONAL_INTERESTS:
        PersonalInterest.objects.get_or_create(slug=slug, defaults={"name_nl": nl, "name_en": en})


def unseed(apps, schema_editor):
    apps.get_model("taxonomy", "PersonalInterest").objects.filter(
        slug__in=[row[0] for row in PERSONAL_INTERESTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0005_personal_interests")]
    operations = [migrations.RunPython(seed, unseed)]

"""Which career interests fit each seeded sector; matching scores interests by this map.
Coordinators refine it in the admin."""

from django.db import migrations

SECTOR_INTERESTS = {
    "recycling": ["recycling-reuse", "technology"],
    "repair": ["repairing", "technology"],
    "refurbishment": ["it", "repairing", "recycling-reuse"],
    "reuse-retail": ["recycling-reuse", "sales", "creative"],
    "installation": ["technology", "repairing"],
    "construction": ["construction", "technology"],
    "logistics": ["logistics", "driving"],
    "manufacturing": ["technology", "creative"],
    "green": ["nature"],
    "hospitality": ["hospitality"],
    "facility": ["hospitality", "logistics"],
    "care": ["care"],
}


def link_interest_areas(apps, schema_editor):
    Sector = apps.get_model("taxonomy", "Sector")
    InterestArea = apps.get_model("taxonomy", "InterestArea")
    areas = {area.slug: area for area in InterestArea.objects.all()}
    for sector in Sector.objects.filter(slug__in=SECTOR_INTERESTS):
        sector.interest_areas.add(
            *[areas[slug] for slug in SECTOR_INTERESTS[sector.slug] if slug in areas]
        )


def unlink_interest_areas(apps, schema_editor):
    Sector = apps.get_model("taxonomy", "Sector")
    for sector in Sector.objects.filter(slug__in=SECTOR_INTERESTS):
        sector.interest_areas.remove(
            *sector.interest_areas.filter(slug__in=SECTOR_INTERESTS[sector.slug])
        )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0003_sector_interest_areas")]
    operations = [migrations.RunPython(link_interest_areas, unlink_interest_areas)]

"""The first vocabulary of the alliance, from the literature scan; coordinators extend it in the admin."""

from django.db import migrations

SECTORS = [
    ("recycling", "Recycling en afvalverwerking", "Recycling and waste processing"),
    ("repair", "Reparatie en onderhoud", "Repair and maintenance"),
    (
        "refurbishment",
        "Refurbishment van elektronica en witgoed",
        "Refurbishing electronics and white goods",
    ),
    ("reuse-retail", "Kringloop en tweedehands verkoop", "Second-hand retail and reuse shops"),
    ("installation", "Techniek en installatie", "Engineering and installation"),
    ("construction", "Bouw en circulair slopen", "Construction and circular demolition"),
    ("logistics", "Logistiek en transport", "Logistics and transport"),
    ("manufacturing", "Productie en maakindustrie", "Manufacturing"),
    ("green", "Groenvoorziening", "Landscaping and green spaces"),
    ("hospitality", "Horeca", "Hospitality"),
    ("facility", "Schoonmaak en facilitaire dienstverlening", "Cleaning and facility services"),
    ("care", "Zorg en welzijn", "Care and welfare"),
]

SKILLS = [
    (
        "operate-devices",
        "technical",
        "Apparaten en systemen bedienen",
        "Operating devices and systems",
    ),
    (
        "repair-devices",
        "technical",
        "Apparaten en systemen repareren",
        "Repairing devices and systems",
    ),
    ("tools", "technical", "Werken met gereedschap", "Working with tools"),
    ("safety", "technical", "Veilig werken (VCA)", "Working safely (VCA)"),
    ("forklift", "technical", "Heftruck rijden", "Driving a forklift"),
    ("stock", "technical", "Voorraadbeheer", "Stock keeping"),
    ("dismantling", "circular", "Demonteren", "Dismantling"),
    ("sorting", "circular", "Materialen sorteren", "Sorting materials"),
    ("testing-electronics", "circular", "Elektronica testen", "Testing electronics"),
    ("refurbishing", "circular", "Refurbishen", "Refurbishing"),
    (
        "material-knowledge",
        "circular",
        "Kennis van materialen en hergebruik",
        "Knowledge of materials and reuse",
    ),
    ("cooperation", "employee", "Samenwerken", "Cooperation"),
    ("flexibility", "employee", "Flexibiliteit", "Flexibility"),
    ("communication", "employee", "Communicatie", "Communication"),
    ("motivation", "employee", "Motivatie", "Motivation"),
    ("punctuality", "employee", "Op tijd komen", "Punctuality"),
    ("concentration", "employee", "Concentratie", "Concentration"),
    ("discipline", "employee", "Discipline", "Discipline"),
    ("authority", "employee", "Omgaan met gezag", "Dealing with authority"),
    ("social-skills", "employee", "Sociale vaardigheden", "Social skills"),
    ("willingness-to-learn", "employee", "Leerbereidheid", "Willingness to learn"),
]

INTERESTS = [
    ("technology", "Techniek", "Technology"),
    ("recycling-reuse", "Recycling en hergebruik", "Recycling and reuse"),
    ("repairing", "Repareren en sleutelen", "Repairing and tinkering"),
    ("logistics", "Logistiek en magazijn", "Logistics and warehouse"),
    ("construction", "Bouw", "Construction"),
    ("nature", "Groen en natuur", "Green spaces and nature"),
    ("hospitality", "Horeca en koken", "Hospitality and cooking"),
    ("care", "Zorg", "Care"),
    ("sales", "Verkoop en klantcontact", "Sales and customer contact"),
    ("it", "ICT en computers", "IT and computers"),
    ("creative", "Creatief en ontwerp", "Creative work and design"),
    ("driving", "Rijden en transport", "Driving and transport"),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("taxonomy", "Sector")
    Skill = apps.get_model("taxonomy", "Skill")
    InterestArea = apps.get_model("taxonomy", "InterestArea")
    for slug, nl, en in SECTORS:
        Sector.objects.get_or_create(slug=slug, defaults={"name_nl": nl, "name_en": en})
    for slug, category, nl, en in SKILLS:
        Skill.objects.get_or_create(
            slug=slug, defaults={"category": category, "name_nl": nl, "name_en": en}
        )
    for slug, nl, en in INTERESTS:
        InterestArea.objects.get_or_create(slug=slug, defaults={"name_nl": nl, "name_en": en})


def unseed(apps, schema_editor):
    apps.get_model("taxonomy", "Sector").objects.filter(
        slug__in=[row[0] for row in SECTORS]
    ).delete()
    apps.get_model("taxonomy", "Skill").objects.filter(slug__in=[row[0] for row in SKILLS]).delete()
    apps.get_model("taxonomy", "InterestArea").objects.filter(
        slug__in=[row[0] for row in INTERESTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

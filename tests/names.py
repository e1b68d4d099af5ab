"""Names for tests that prove a page leaves a young person's name out."""


def give_unmistakable_name(youth):
    """Give a young person a name no generated account, employer or mentor name can contain.

    A test that proves a page leaves the name out must not pass or fail on Faker's draw: a
    young person called "Sara" is "in" a page that greets a colleague called "Sarah".
    """
    youth.first_name = "Zwaantje-Quirina"
    youth.preferred_name = ""
    youth.last_name = "Oosterwolde-Pijnacker"
    youth.save(update_fields=["first_name", "preferred_name", "last_name"])
    return youth

"""A coordinator recruits an employer: registers a lead, takes it across the board to committed,
logs an interaction, fills in the demand profile and adds an opening; every page passes axe."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from employers.models import Employer, Interaction, Opening, StageChange


def test_coordinator_takes_an_employer_from_lead_to_committed_and_fills_in_its_demand(
    live_server, coord_rotterdam, page, login, axe_check
):
    login(page, live_server, "coord.rotterdam")

    # A new lead.
    page.goto(f"{live_server.url}/employers/new/")
    axe_check(page)
    page.locator("#id_name").fill("Reparatiehuis De Maas")
    page.locator("#id_kvk_number").fill("61234567")
    page.locator("#id_sector").select_option(label="Reparatie en onderhoud")
    page.locator("#id_circularity").select_option("circular")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reparatiehuis De Maas")
    employer = Employer.objects.get(kvk_number="61234567")
    assert employer.stage == "lead"
    axe_check(page)

    # Across the board, card by card, without a page reload.
    page.goto(f"{live_server.url}/employers/pipeline/")
    axe_check(page)
    page.evaluate("window.__sameDocument = true")
    for stage, label in [
        ("contacted", "Benaderd"),
        ("meeting_planned", "Afspraak gepland"),
        ("interested", "Geïnteresseerd"),
        ("committed", "Toegezegd"),
    ]:
        card = page.get_by_test_id(f"card-{employer.pk}")
        card.get_by_label("Verplaats Reparatiehuis De Maas naar").select_option(stage)
        card.get_by_test_id(f"move-{employer.pk}").click()
        column = page.locator(f"section[data-stage={stage}]")
        expect(column.get_by_test_id(f"card-{employer.pk}")).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text(label)
    assert page.evaluate("window.__sameDocument") is True  # the board was never reloaded
    axe_check(page)
    assert list(
        StageChange.objects.filter(employer=employer)
        .order_by("pk")
        .values_list("to_stage", flat=True)
    ) == [
        "lead",
        "contacted",
        "meeting_planned",
        "interested",
        "committed",
    ]

    # An interaction on the employer's page.
    page.get_by_role("link", name="Reparatiehuis De Maas").click()
    page.locator("#id_kind").select_option("visit")
    page.locator("#id_summary").fill("Rondleiding in de werkplaats; twee leerwerkplekken mogelijk.")
    page.get_by_role("button", name="Contact vastleggen").click()
    expect(page.get_by_text("Rondleiding in de werkplaats")).to_be_visible()
    assert Interaction.objects.filter(employer=employer, kind="visit").exists()

    # The demand profile.
    page.get_by_test_id("edit-demand").click()
    axe_check(page)
    page.locator("#id_roles").fill("Reparateur witgoed")
    page.get_by_label("Demonteren").check()
    page.get_by_label("Op tijd komen", exact=True).check()
    # The employer's own concerns, and a figure they do not know yet (left empty).
    page.get_by_label("Tijd voor begeleiding").check()
    page.get_by_label("Ja", exact=True).check()
    page.locator("#id_openings_12_months").fill("2")
    page.locator("#id_openings_24_months").fill("5")
    page.locator("#id_offers_learning_work_places").check()
    page.locator("#id_diploma_track").fill("Entree-opleiding, assistent logistiek")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Entree-opleiding, assistent logistiek")).to_be_visible()
    expect(page.get_by_test_id("concerns")).to_contain_text("Tijd voor begeleiding")
    expect(page.get_by_test_id("labour-shortage")).to_have_text("Ja")
    axe_check(page)

    # An opening.
    page.get_by_test_id("add-opening").click()
    axe_check(page)
    page.locator("#id_kind").select_option("learning_work_place")
    page.locator("#id_title").fill("Leerwerkplek reparateur")
    page.locator("#id_hours_per_week").fill("32")
    page.locator("#id_start_date").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.locator("#id_places").fill("2")
    page.locator("#id_crebo_code").fill("25701")
    page.locator("#id_mbo_level").fill("1")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leerwerkplek reparateur")
    axe_check(page)
    opening = Opening.objects.get(employer=employer)
    assert (opening.kind, opening.places, opening.crebo_code) == ("learning_work_place", 2, "25701")

"""Portal accounts are made by invitation: never picked from a list of accounts, and the link
to choose a password works once, for 72 hours."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from employers.models import Contact
from restart_platform.accounts.models import User
from tests.edits import post_edit
from tests.employers.factories import ContactFactory, EmployerFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "een-lang-wachtwoord-42"


@pytest.fixture
def employer(coord_rotterdam, rotterdam):
    return EmployerFactory(name="Kringloop Maasstad", city=rotterdam, owner=coord_rotterdam)


def _invite(client, employer, **extra):
    data = {"name": "Sanne de Vries", "email": "Sanne@Example.org", "invite": "on", **extra}
    return client.post(reverse("employers:contact_create", args=[employer.pk]), data)


def _link_in_last_mail() -> str:
    return re.search(r"https?://\S+/portal/welcome/\S+/", mail.outbox[-1].body).group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def _choose_password(client, link: str):
    page = client.get(_path(link), follow=True)  # Django moves the token out of the URL first
    return page, client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else _path(link),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


def test_the_contact_form_offers_no_list_of_accounts(client_for, coord_rotterdam, employer):
    response = client_for(coord_rotterdam).get(
        reverse("employers:contact_create", args=[employer.pk])
    )
    assert "user" not in response.context["form"].fields
    assert 'name="user"' not in response.content.decode()


def test_a_coordinator_posting_another_employers_account_changes_nothing(
    client_for, coord_dordrecht, dordrecht, employer, employer_contact1, employer_contact2
):
    other = ContactFactory(employer=employer, user=employer_contact1)
    mine = EmployerFactory(city=dordrecht, owner=coord_dordrecht, kvk_number="11223344")
    client = client_for(coord_dordrecht)
    client.post(
        reverse("employers:contact_create", args=[mine.pk]),
        {"name": "Indringer", "user": employer_contact1.pk},
    )
    client.post(  # an unlinked account, posted by hand, is not linked either
        reverse("employers:contact_create", args=[mine.pk]),
        {"name": "Indringer 2", "user": employer_contact2.pk},
    )
    assert list(mine.contacts.values_list("user", flat=True)) == [None, None]
    other.refresh_from_db()
    assert other.user == employer_contact1
    assert not Contact.objects.filter(user=employer_contact2).exists()


def test_an_invitation_makes_an_account_bound_to_the_employer_and_mails_a_link(
    django_capture_on_commit_callbacks, client_for, coord_rotterdam, employer
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client_for(coord_rotterdam), employer)
    contact = employer.contacts.get()
    account = contact.user
    assert (account.username, account.email, account.role) == (
        "sanne@example.org",
        "sanne@example.org",
        User.Role.EMPLOYER_CONTACT,
    )
    assert not account.has_usable_password()
    assert mail.outbox[-1].to == ["sanne@example.org"]
    assert "72" in mail.outbox[-1].body


def test_the_invitation_link_works_once(
    django_capture_on_commit_callbacks, client, client_for, coord_rotterdam, employer
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client_for(coord_rotterdam), employer)
    link = _link_in_last_mail()
    page, saved = _choose_password(client, link)
    assert page.context["validlink"] is True
    assert saved.status_code == 302
    assert saved["Location"] == reverse("password_reset_complete")
    account = User.objects.get(username="sanne@example.org")
    assert account.check_password(NEW_PASSWORD)
    again = client.get(_path(link), follow=True)
    assert again.context["validlink"] is False
    client.post(reverse("login"), {"username": "sanne@example.org", "password": NEW_PASSWORD})
    assert client.get(reverse("portal:portal_home")).context["employer"] == employer


def test_the_invitation_link_expires_after_72_hours(
    django_capture_on_commit_callbacks, client, client_for, coord_rotterdam, employer
):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        _invite(client_for(coord_rotterdam), employer)
    link = _link_in_last_mail()
    with time_machine.travel(start + dt.timedelta(hours=71), tick=False):
        assert client.get(_path(link), follow=True).context["validlink"] is True
    with time_machine.travel(start + dt.timedelta(hours=73), tick=False):
        page, _ = _choose_password(client, link)
        assert page.context["validlink"] is False
    assert not User.objects.get(username="sanne@example.org").has_usable_password()


def test_a_password_reset_token_is_not_an_invitation(client, client_for, coord_rotterdam, employer):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    _invite(client_for(coord_rotterdam), employer)
    account = User.objects.get(username="sanne@example.org")
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    url = reverse(
        "portal:portal_invitation", args=[uid, default_token_generator.make_token(account)]
    )
    assert client.get(url, follow=True).context["validlink"] is False


def test_an_address_already_in_use_is_refused_without_saying_where(
    client_for, coord_rotterdam, employer, employer_contact1, employer_contact2, dordrecht
):
    ContactFactory(employer=EmployerFactory(city=dordrecht), user=employer_contact1)
    client = client_for(coord_rotterdam)
    linked = _invite(client, employer, email=employer_contact1.email)
    unlinked = _invite(client, employer, email=employer_contact2.email)
    errors = [r.context["form"].errors["email"] for r in (linked, unlinked)]
    assert errors[0] == errors[1]  # the same words whether the account is linked elsewhere or not
    assert errors[0] == [
        "Dit e-mailadres kan geen nieuw portaalaccount krijgen. Vraag het een beheerder."
    ]
    assert not employer.contacts.exists()  # nothing half-saved
    assert not Contact.objects.filter(user=employer_contact2).exists()


def test_an_invitation_needs_an_email_address(client_for, coord_rotterdam, employer):
    response = _invite(client_for(coord_rotterdam), employer, email="")
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Voor een uitnodiging voor het portaal is een e-mailadres nodig."
    ]
    assert not User.objects.filter(role=User.Role.EMPLOYER_CONTACT).exists()


def test_removing_a_contact_locks_their_portal_account(client_for, coord_rotterdam, employer):
    _invite(client_for(coord_rotterdam), employer)
    contact = employer.contacts.get()
    client_for(coord_rotterdam).post(reverse("employers:contact_delete", args=[contact.pk]))
    assert not User.objects.get(username="sanne@example.org").is_active


def test_an_unused_invitation_can_be_sent_again_and_a_used_account_is_not_invited(
    client, client_for, coord_rotterdam, employer, django_capture_on_commit_callbacks
):
    coordinator = client_for(coord_rotterdam)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(coordinator, employer)
    contact = employer.contacts.get()
    edit = reverse("employers:contact_edit", args=[contact.pk])
    data = {"name": contact.name, "email": contact.email, "invite": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        post_edit(coordinator, edit, data)
    assert len(mail.outbox) == 2
    assert User.objects.filter(role=User.Role.EMPLOYER_CONTACT).count() == 1
    _choose_password(client, _link_in_last_mail())
    assert "invite" not in coordinator.get(edit).context["form"].fields
    post_edit(coordinator, edit, data)  # posted by hand all the same: nothing is sent
    assert len(mail.outbox) == 2

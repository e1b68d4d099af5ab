"""Validators for Dutch contact details that more than one app stores (employers and their
contacts, young people): one rule and one message for each."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

postcode_validator = RegexValidator(
    r"^[1-9][0-9]{3} ?[A-Za-z]{2}$", _("Enter a Dutch postcode, for example 3311 AB.")
)
phone_validator = RegexValidator(
    r"^\+?[0-9 ()-]{8,20}$", _("Enter a phone number of digits, for example 078 123 45 67.")
)

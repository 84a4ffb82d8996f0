"""Format checks of the legal identifiers and contacts declared in ``mkdocs.yml``: a SIRET
whose check digit is wrong or a phone number missing a digit is published in the mentions
légales as if it were true, so ``porte-voix check`` refuses them."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from forms_backend.validator.phones import normalise_french_phone

# La Poste's establishments share one SIREN: their SIRET may fail the Luhn check and have a
# digit sum that is a multiple of 5 instead.
LA_POSTE_SIREN = "356000000"
# Short service numbers (« 1007 ») and numbers abroad (« +1 877 448 4820 ») are phone numbers too.
SHORT_NUMBER = re.compile(r"(?:1\d|3\d)\d{2}")
INTERNATIONAL = re.compile(r"\+[1-9]\d{6,14}")
RNA = re.compile(r"W[0-9][0-9A-Z]\d{7}")


def luhn_valid(digits: str) -> bool:
    """The Luhn check that SIREN and SIRET numbers carry in their last digit."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def siret_problem(value: str) -> str | None:
    """Why ``value`` is not a SIRET (14 digits, spaces allowed, Luhn check), or ``None``."""
    digits = re.sub(r"\s", "", value)
    if not re.fullmatch(r"\d{14}", digits):
        return "un SIRET a 14 chiffres (le SIREN en 9, puis 5)"
    if len(set(digits[:9])) == 1:  # « 000 000 000 00000 » passes the Luhn check
        return "ce SIRET n'existe pas : c'est un numéro de remplissage"
    valid = luhn_valid(digits[:9]) and luhn_valid(digits)
    if digits.startswith(LA_POSTE_SIREN):
        valid = valid or sum(int(c) for c in digits) % 5 == 0
    return None if valid else "ce SIRET n'existe pas : sa clé de contrôle est fausse"


def rna_problem(value: str) -> str | None:
    """Why ``value`` is not an RNA number (« W » and 9 characters), or ``None``."""
    compact = re.sub(r"\s", "", value).upper()
    if RNA.fullmatch(compact):
        return None if compact[3:].strip("0") else "ce numéro RNA est un numéro de remplissage"
    return "un numéro RNA s'écrit « W » suivi de 9 caractères, par exemple W543001234"


def phone_problem(value: str) -> str | None:
    """Why ``value`` is not a phone number one can call, or ``None``."""
    compact = re.sub(r"[\s.\-()]", "", value)
    if normalise_french_phone(value) or SHORT_NUMBER.fullmatch(compact):
        return None
    if INTERNATIONAL.fullmatch(compact) and not compact.startswith("+33"):
        return None
    return "ce n'est pas un numéro de téléphone complet (10 chiffres en France, ou +indicatif)"


def email_problem(value: str) -> str | None:
    """Why ``value`` is not an e-mail address, or ``None``."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return "ce n'est pas une adresse e-mail (nom@domaine.fr)"
    return None

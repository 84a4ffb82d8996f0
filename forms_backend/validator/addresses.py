"""E-mail addresses typed into a form: exactly one plain ``local@domain``, nothing else.

Every e-mail field of every form goes through :func:`check_address`, and every letter's
recipient through :func:`sending_address` once more when it is sent (rows queued before a rule
changed are checked again). What a mail header could read as something more is refused: a
display name, an RFC 2047 encoded word (``=?utf-8?q?…?=``: decoded, it can hide another address
or a line break), commas and semicolons (several addresses), angle brackets, quotes, spaces and
control or invisible characters, and the ``%`` and ``!`` by which a relay reaches another
address. The syntax itself (dot-atom local part, domain labels, lengths
of RFC 5321, IDNA 2008 for internationalised domains) is left to the ``email-validator``
package, without any DNS look-up.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

# What separates several addresses in a header, or routes to another one: « a%b.fr@relay.fr »
# (the percent hack, still honoured by relays such as Postfix for their own domains) and
# « b.fr!a@relay.fr » (a bang path) name a second address inside the first.
SEPARATORS = frozenset(",;%!")
DECORATIONS = frozenset('<>"()[]\\:')
NBSP = "\u00a0"
# One bare ASCII address and nothing else: settings, and the last guard before an envelope.
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.#$&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")


@dataclass(frozen=True)
class Address:
    """A checked address: ``shown`` as the person wrote it (domain in lower case, Unicode kept),
    ``ascii`` for mail headers and the SMTP envelope (domain in punycode)."""

    shown: str
    ascii: str


class AddressRefused(ValueError):
    """Not one plain address; ``reason`` says why (a key of :data:`MESSAGES`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# (tutoiement for young people, vouvoiement for partners and parents)
MESSAGES = {
    "several": (
        f"Écris une seule adresse e-mail, sans virgule ni point-virgule{NBSP}: "
        "elle ressemble à prenom@exemple.fr.",
        f"Écrivez une seule adresse e-mail, sans virgule ni point-virgule{NBSP}: "
        "elle ressemble à prenom@exemple.fr.",
    ),
    "decorated": (
        "Écris seulement l'adresse, sans nom, sans espace, sans guillemets ni chevrons "
        f"(<{NBSP}>){NBSP}: elle ressemble à prenom@exemple.fr.",
        "Écrivez seulement l'adresse, sans nom, sans espace, sans guillemets ni chevrons "
        f"(<{NBSP}>){NBSP}: elle ressemble à prenom@exemple.fr.",
    ),
    "accented": (
        f"Cette adresse a un accent ou une lettre spéciale avant le «{NBSP}@{NBSP}»{NBSP}: "
        "nos e-mails ne peuvent pas y arriver. Vérifie-la, ou donne une autre adresse.",
        f"Cette adresse a un accent ou une lettre spéciale avant le «{NBSP}@{NBSP}»{NBSP}: "
        "nos e-mails ne peuvent pas y arriver. Vérifiez-la, ou donnez une autre adresse.",
    ),
    # The long-standing message of the forms (tests and people already know it).
    "invalid": (
        "Cette adresse e-mail n'est pas complète. Elle ressemble à : prenom@exemple.fr.",
        "Cette adresse e-mail n'est pas complète. Elle ressemble à : prenom@exemple.fr.",
    ),
}


def parse_address(text: str) -> Address:
    """The one plain address in ``text`` (surrounding spaces ignored), or :class:`AddressRefused`."""
    text = text.strip()
    if any(char in SEPARATORS for char in text) or text.count("@") > 1:
        raise AddressRefused("several")
    if "=?" in text or any(_decoration(char) for char in text):
        raise AddressRefused("decorated")
    local = text.rpartition("@")[0]
    if not local.isascii():
        raise AddressRefused("accented")  # would need SMTPUTF8, which few servers relay
    try:
        checked = validate_email(
            text,
            allow_smtputf8=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
            allow_display_name=False,
            check_deliverability=False,
        )
    except EmailNotValidError:
        raise AddressRefused("invalid") from None
    if checked.ascii_email is None:  # only with SMTPUTF8, refused above: never trust a None
        raise AddressRefused("accented")
    return Address(shown=checked.normalized, ascii=checked.ascii_email)


def check_address(text: str, *, formal: bool = False) -> tuple[str, str | None]:
    """For a form: the value to keep and ``None``, or what was typed and a French message
    (``formal``: vouvoiement, for partners and parents)."""
    try:
        return parse_address(text).shown, None
    except AddressRefused as refused:
        return text, MESSAGES[refused.reason][1 if formal else 0]


def sending_address(text: str) -> str | None:
    """The address for headers and the envelope, or ``None`` if it is not one plain address."""
    try:
        return parse_address(text).ascii
    except AddressRefused:
        return None


def _decoration(char: str) -> bool:
    """Characters with no place in a plain address: a header would read them as more."""
    return (
        char in DECORATIONS
        or char.isspace()
        or unicodedata.category(char)[0] in ("C", "Z")  # control, format (zero width), separators
    )


def same_mailbox(address: str) -> tuple[str, str]:
    """What finds, in SQL, every way of writing the mailbox of ``address``: its plain form
    (lower case, without a ``+tag``) and a ``LIKE`` pattern (``ESCAPE '\\'``) for its
    sub-addresses (RFC 5233: « ines+1@exemple.fr » lands in the inbox of « ines@exemple.fr »).
    Used with ``lower(email) = ? OR lower(email) LIKE ? ESCAPE '\\'``: the limits per address
    count them as one."""
    local, _, domain = address.lower().rpartition("@")
    base = local.split("+", 1)[0]
    escaped = "".join("\\" + c if c in "\\%_" else c for c in base)
    domain_escaped = "".join("\\" + c if c in "\\%_" else c for c in domain)
    return f"{base}@{domain}", f"{escaped}+%@{domain_escaped}"

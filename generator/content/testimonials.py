"""Testimonials: ``content/temoignages/slug.md``, published only with a valid consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..slugs import slugify
from .fields import (
    Choice,
    Date,
    Integer,
    LocalFile,
    Nested,
    ReadContext,
    Revised,
    Schema,
    Text,
    YesNo,
)
from .french_dates import long_date
from .frontmatter import Document

TESTIMONIALS_DIR = "temoignages"
ADULT_AGE = 18
MIN_AGE, MAX_AGE = 16, 29  # the programme's public (forms_backend/forms.py says the same)
PERSON = "la personne"
# For a minor, exactly what was collected: one parent through the site's link, with what they
# declared (``porte-voix contributions accept`` writes it), or a paper form signed by both.
PARENT_WITH_OTHER = "un parent, avec l'accord déclaré de l'autre"
PARENT_ALONE = "un parent, qui exerce seul l'autorité parentale"
BOTH_PARENTS_PAPER = "les deux parents (formulaire papier)"
GUARDIAN_PAPER = "le tuteur ou la tutrice (formulaire papier)"
MINOR_CONSENTS = (BOTH_PARENTS_PAPER, GUARDIAN_PAPER, PARENT_WITH_OTHER, PARENT_ALONE)
# One parent's answer exists only through the site's link: ``contributions accept`` writes it
# with a ``preuve`` line holding these words (when, and to which address's fingerprint). Typed
# by hand without it, nothing shows the kit collected it: for a paper form, both parents sign.
ONLINE_CONSENTS = (PARENT_WITH_OTHER, PARENT_ALONE)
PARENT_PROOF = "accord d'un parent le"
# Written by earlier versions for one parent's click: it claimed both parents' agreement.
OLD_GUARDIANS = "ses représentants légaux"


class ConsentSchema(Schema):
    """The signed authorisation to publish (droit à l'image and use of the words)."""

    signe_le = Date(example="2026-10-02")
    par = Choice(
        {
            PERSON: PERSON,
            **{value: value for value in MINOR_CONSENTS},
            OLD_GUARDIANS: OLD_GUARDIANS,
        },
        example=PERSON,
    )
    """Who agreed: ``la personne`` (18 or older), or for a minor one of ``MINOR_CONSENTS``."""
    photo = YesNo(example="non")
    jusqu_au = Date(example="2029-10-02")
    preuve = Text(required=False, max_length=400)
    """How the consent was given when it came through the site (time, parent's address)."""


class TestimonialSchema(Schema):
    """Front matter of a testimonial."""

    prenom = Text(max_length=40, example="Inès")
    age = Integer(minimum=MIN_AGE, maximum=MAX_AGE, example="19")
    """16 to 29: the programme's public; under 18, both parents sign (``consentement.par``)."""
    commune = Text(max_length=80, example="Frouard")
    citation = Text(max_length=280, example="Ici, on m'a écoutée.")
    photo = LocalFile(required=False)
    contribution = Text(required=False, max_length=40)
    """Set by ``porte-voix contributions accept``: the text came from the site's form."""
    modifie = Revised(required=False, example="2026-11-28")
    consentement = Nested(
        ConsentSchema,
        example="signe_le: 2026-10-02",
        missing=(
            "aucun consentement n'est enregistré : ce témoignage ne sera pas publié",
            "fais signer l'autorisation de publication, puis ajoute le bloc « consentement: » "
            "avec signe_le, par, photo et jusqu_au",
        ),
    )


@dataclass(frozen=True)
class Consent:
    """Who agreed, when, until when, and whether the photo may be shown."""

    signed_on: date
    given_by: str
    photo: bool
    until: date


@dataclass(frozen=True)
class Testimonial:
    """A young person's words, published with their consent."""

    id: str
    source: Path
    first_name: str
    age: int
    commune: str
    quote: str
    photo: Path | None
    consent: Consent
    body: str
    contributed: bool = False


def build_testimonial(document: Document, context: ReadContext, today: date) -> Testimonial | None:
    """Check a testimonial and its consent; ``None`` (with problems reported) when it must not be published."""
    report, lines = context.report, context.lines
    values, ok = TestimonialSchema.read(document.meta, context)
    consent = values["consentement"]
    if consent is None:
        return None
    signed, until = consent["signe_le"], consent["jusqu_au"]
    if signed and signed > today:
        report.add(
            lines.of(("consentement", "signe_le")),
            f"le consentement est daté du {long_date(signed)}, un jour qui n'est pas encore arrivé",
            "écris la date où l'autorisation a été signée",
        )
        ok = False
    if until and until < today:
        report.add(
            lines.of(("consentement", "jusqu_au")),
            f"le consentement a expiré le {long_date(until)} : ce témoignage ne sera pas publié",
            "fais signer une nouvelle autorisation et mets à jour « consentement », ou retire ce fichier",
        )
        ok = False
    elif signed and until and until <= signed:
        report.add(
            lines.of(("consentement", "jusqu_au")),
            "la fin du consentement est avant sa signature",
            "vérifie « signe_le » et « jusqu_au »",
        )
        ok = False
    age = values["age"]
    if age is not None and age < ADULT_AGE and consent["par"] not in MINOR_CONSENTS:
        report.add(lines.of(("consentement", "par")), *_minor_consent_problem(values, age))
        ok = False
    if consent["par"] in ONLINE_CONSENTS and PARENT_PROOF not in (consent["preuve"] or ""):
        report.add(
            lines.of(("consentement", "par")),
            f"« par: {consent['par']} » n'est écrit que par « porte-voix contributions accept », "
            "avec la ligne « preuve » de la réponse du parent au lien : ici, rien ne montre "
            "cet accord",
            f"si les deux parents ont signé l'autorisation papier, écris « par: "
            f"{BOTH_PARENTS_PAPER} » ; sinon, demande l'accord d'un parent par la page "
            "« Participer »",
        )
        ok = False
    if values["photo"] is not None and consent["photo"] is False:
        report.add(
            lines.of(("photo",)),
            "la photo n'a pas d'accord signé : elle ne peut pas être publiée",
            "retire la ligne « photo », ou fais signer l'accord pour la photo et écris « photo: oui » dans « consentement »",
        )
        ok = False
    if not ok:
        return None
    return Testimonial(
        id=slugify(document.path.stem),
        source=document.path,
        first_name=values["prenom"],
        age=age,
        commune=values["commune"],
        quote=values["citation"],
        photo=values["photo"],
        consent=Consent(signed, consent["par"], consent["photo"], until),
        body=document.body,
        contributed=bool(values["contribution"]),
    )


def _minor_consent_problem(values: dict, age: int) -> tuple[str, str]:
    """What to say when a minor's ``par`` is not a consent the kit can show was collected."""
    accepted = ", ".join(f"« {value} »" for value in MINOR_CONSENTS[:-1])
    return (
        f"{values['prenom'] or 'cette personne'} a {age} ans : pour un mineur, « par » doit "
        f"dire qui a donné l'accord, parmi {accepted} ou « {MINOR_CONSENTS[-1]} »",
        "si les deux parents ont signé l'autorisation papier, écris « par: "
        f"{BOTH_PARENTS_PAPER} » ; sinon, demande l'accord d'un parent par la page "
        "« Participer » (le lien envoyé au parent)",
    )

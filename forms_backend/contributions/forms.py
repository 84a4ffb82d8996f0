"""The two contribution forms of the « Participe » page: a testimonial and an event proposal.

Nothing sent here is published as it is: staff read it first (``porte-voix contributions``).
"""

from __future__ import annotations

from forms_backend.intake.forms import FormField, FormSpec
from forms_backend.store import retention
from forms_backend.store.retention import french_duration

ADULT_AGE = 18
PHOTO_TYPES = "image/jpeg,image/png,image/webp"
PHOTO_MAX_BYTES = 10 * 1024 * 1024  # the page's script checks it too, before sending
PHOTO_TOO_HEAVY = (
    "Cette photo est trop lourde : 10 Mo au plus. Choisis-en une plus légère, "
    "ou envoie une capture d'écran de ta photo."
)
PUBLICATION_NOTICE = (
    "Ta contribution est lue par l'équipe « Aller vers » de la Mission Locale (responsable du "
    "traitement) avant d'être publiée ; elle est gardée chez notre hébergeur. Base légale : ton "
    "accord, donné en cochant la case. Si elle n'est pas publiée, elle est effacée "
    f"{french_duration(retention.CONTRIBUTIONS)} après l'envoi au plus tard ; ton e-mail et celui "
    "de ton parent ne sont jamais publiés. Tu peux la faire retirer à tout moment en écrivant à la "
    "Mission Locale, et te plaindre à la CNIL (cnil.fr)."
)

CONTRIBUTOR_EMAIL = FormField(
    "email",
    "Ton e-mail (si tu veux savoir quand c'est publié)",
    kind="email",
    max_length=254,
    autocomplete="email",
)

TESTIMONY = FormSpec(
    name="temoignage",
    title="Raconte ton parcours",
    fields=(
        FormField(
            "prenom",
            "Ton prénom ou un pseudo",
            required=True,
            max_length=40,
            autocomplete="given-name",
            hint="C'est ce nom qui sera affiché. Un pseudo, c'est bien aussi.",
        ),
        FormField(
            "age", "Ton âge", kind="number", required=True, max_length=2, inputmode="numeric"
        ),
        FormField(
            "commune", "Ta commune", required=True, max_length=80, autocomplete="address-level2"
        ),
        FormField(
            "citation",
            "Une phrase qui résume ton parcours",
            required=True,
            max_length=280,
            hint="Par exemple : « Ici, on m'a écoutée. »",
        ),
        FormField(
            "recit",
            "Ton histoire",
            kind="textarea",
            required=True,
            max_length=4000,
            hint="Quelques phrases courtes : d'où tu es parti·e, ce qui t'a aidé·e, où tu en es.",
        ),
        FormField(
            "photo",
            "Une photo (si tu veux)",
            kind="file",
            hint="JPEG, PNG ou WebP, 10 Mo au plus. On enlève la date et le lieu cachés dans la photo.",
        ),
        FormField(
            "email_parent",
            "E-mail d'un de tes parents (si tu as moins de 18 ans)",
            kind="email",
            max_length=254,
            hint="On lui demande son accord par e-mail. Rien n'est publié sans lui.",
        ),
        CONTRIBUTOR_EMAIL,
        FormField(
            "accord_publication",
            "J'accepte que mon témoignage soit publié sur le site de la Mission Locale, après relecture.",
            kind="checkbox",
            required=True,
        ),
        FormField(
            "accord_photo",
            "J'accepte aussi que ma photo soit publiée avec.",
            kind="checkbox",
        ),
    ),
    button="Envoyer mon témoignage",
    page_path="participer/",
    intro="Les champs sans « si tu veux » sont obligatoires.",
    privacy=PUBLICATION_NOTICE,
)

EVENT_PROPOSAL = FormSpec(
    name="evenement",
    title="Propose un événement",
    fields=(
        FormField("titre", "Le nom de l'événement", required=True, max_length=120),
        FormField("date", "La date", kind="date", required=True, max_length=10),
        FormField("debut", "L'heure de début", kind="time", required=True, max_length=5),
        FormField("fin", "L'heure de fin", kind="time", required=True, max_length=5),
        FormField("lieu", "Le lieu", required=True, max_length=200, hint="Le nom et l'adresse."),
        FormField("commune", "La commune", required=True, max_length=80),
        FormField(
            "description",
            "Ce qu'on y fait",
            kind="textarea",
            required=True,
            max_length=3000,
        ),
        CONTRIBUTOR_EMAIL,
        FormField(
            "accord_publication",
            "J'accepte que cette proposition soit publiée sur le site, après relecture.",
            kind="checkbox",
            required=True,
        ),
    ),
    button="Proposer l'événement",
    page_path="participer/",
    intro="Tous les champs sont obligatoires, sauf l'e-mail.",
    privacy=PUBLICATION_NOTICE,
)

CONTRIBUTION_FORMS = {spec.name: spec for spec in (TESTIMONY, EVENT_PROPOSAL)}

"""SMS length: GSM-7 or UCS-2, segments counted exactly; the kit's own texts keep its rule."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from forms_backend.intake.events import PublicEvent
from forms_backend.outbox.sms_templates import (
    cancelled,
    changed,
    confirmation,
    promotion,
    reminder,
)
from forms_backend.outbox.sms_text import (
    Segments,
    kit_text_problems,
    outside_gsm7,
    segments,
    stays_in_gsm7,
)

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ton inscription est notée à 14 h.", Segments("GSM-7", 33, 1)),
        # Every French letter GSM-7 carries, and the other accents it has.
        ("éèùìòàÉÇØøÅåÄÖÑÜäöñüßÆæ¿¡§", Segments("GSM-7", 26, 1)),
        ("a" * 160, Segments("GSM-7", 160, 1)),
        ("a" * 161, Segments("GSM-7", 161, 2)),
        ("a" * 306, Segments("GSM-7", 306, 2)),
        ("a" * 307, Segments("GSM-7", 307, 3)),
        ("10 €", Segments("GSM-7", 5, 1)),  # € is in the extension table: 2 septets
        ("€" * 80, Segments("GSM-7", 160, 1)),
        ("€" * 81, Segments("GSM-7", 162, 2)),
        ("^{}\\[~]|", Segments("GSM-7", 16, 1)),
        ("a" * 159 + "€", Segments("GSM-7", 161, 2)),
        # An escape pair is never cut between two segments: 152 + € does not fit in 153 + 153.
        ("a" * 152 + "€" + "a" * 152, Segments("GSM-7", 306, 3)),
        ("Une fête", Segments("UCS-2", 8, 1)),  # ê switches the whole text to UCS-2
        ("Un cœur", Segments("UCS-2", 7, 1)),  # œ too
        ("ç", Segments("UCS-2", 1, 1)),
        ("ê" * 70, Segments("UCS-2", 70, 1)),
        ("ê" * 71, Segments("UCS-2", 71, 2)),
        ("ê" * 134, Segments("UCS-2", 134, 2)),
        ("ê" * 135, Segments("UCS-2", 135, 3)),
        ("À bientôt 👋", Segments("UCS-2", 12, 1)),  # the emoji: 2 UTF-16 code units
        ("👋" * 35, Segments("UCS-2", 70, 1)),
        ("👋" * 36, Segments("UCS-2", 72, 2)),
        ("€ê", Segments("UCS-2", 2, 1)),  # in UCS-2, € is one unit like the rest
        ("a" * 66 + "👋" + "a" * 66, Segments("UCS-2", 134, 3)),  # a pair is never cut
    ],
)
def test_segments_are_counted_exactly(text: str, expected: Segments) -> None:
    assert segments(text) == expected


def test_gsm7_helper_names_what_leaves_it() -> None:
    assert stays_in_gsm7("Préviens la Mission Locale : à samedi, 10 € {ok}")
    for french in "êâîôûçœ":
        assert not stays_in_gsm7(f"Bonjour {french}")
    # Typographic marks a French writer reaches for, none of them in GSM-7.
    assert outside_gsm7("l’atelier « CV » à 14\u00a0h, inscrit·e…") == [
        "’",
        "«",
        "»",
        "\u00a0",
        "·",
        "…",
    ]


def test_the_rule_for_the_kit_texts_catches_ucs2_and_length() -> None:
    assert kit_text_problems("Ton inscription est notée.") == []
    assert kit_text_problems("Ta fête") == [
        "caractères hors GSM-7 (le SMS passerait en UCS-2) : 'ê'"
    ]
    assert kit_text_problems("a" * 307) == ["3 segments : 2 au plus"]


SATURDAY = datetime(2026, 12, 5, 14, 0, tzinfo=PARIS)
FIRST_OF_MONTH = datetime(2027, 3, 1, 9, 30, tzinfo=PARIS)
# A personal link as long as a real one on a long domain name.
LINK = "https://www.mission-locale-val-de-lorraine.fr/formulaires/ma-place?jeton=" + "x" * 38


def event(
    title: str = "Atelier CV",
    start: datetime = SATURDAY,
    place: str = "MJC, 2 rue des Jardins, 54340 Pompey",
    bring: str | None = None,
    reason: str | None = None,
) -> PublicEvent:
    return PublicEvent(
        id="2026-12-05-atelier-cv",
        title=title,
        start=start,
        end=start,
        registration=True,
        places=20,
        deadline=None,
        url="https://www.exemple.fr/evenements/2026-12-05-atelier-cv/",
        place=place,
        bring=bring,
        reason=reason,
    )


def sign_up(first_name: str, title: str, start: datetime, waiting_list: bool) -> str:
    return confirmation(first_name, event(title, start), LINK, 3 if waiting_list else None)


# Every SMS text the kit defines, with sample values that stay in GSM-7: the wording itself must
# keep the rule. Add each new template here.
KIT_TEXTS = {
    "confirmation": sign_up("Ines", "Atelier CV", SATURDAY, waiting_list=False),
    "confirmation, liste d'attente": sign_up("Ines", "Atelier CV", FIRST_OF_MONTH, True),
    "confirmation, titre long": sign_up("Maximilien", "Job dating " * 12, SATURDAY, False),
    "confirmation, à apporter": confirmation("Ines", event(bring="un CV et un stylo"), LINK, None),
    "rappel avant": reminder(event(bring="un CV"), LINK, morning=False),
    "rappel du matin": reminder(event(), LINK, morning=True),
    "place libérée pour la liste d'attente": promotion("Ines", event(), LINK),
    "annulation": cancelled(event(reason="La salle est fermee"), SATURDAY),
    "changement": changed(
        event(), ["nouvelle date : le samedi 12 décembre à 14 h", "nouveau lieu : MJC"], LINK
    ),
    "changement, liste d'attente": changed(
        event(), ["nouvelle date : le samedi 12 décembre à 14 h"], LINK, waiting=True
    ),
}


@pytest.mark.parametrize("name", KIT_TEXTS)
def test_every_kit_text_stays_in_gsm7_within_two_segments(name: str) -> None:
    assert kit_text_problems(KIT_TEXTS[name]) == []


def test_confirmation_says_what_when_where_and_holds_the_link() -> None:
    assert KIT_TEXTS["confirmation"] == (
        'Bonjour Ines, ton inscription à "Atelier CV" le samedi 5 décembre à 14 h est bien '
        "notée. Lieu : MJC, 2 rue des Jardins, 54340 Pompey. Infos, ou libérer ta place : " + LINK
    )
    assert "le lundi 1er mars à 9 h 30" in KIT_TEXTS["confirmation, liste d'attente"]
    assert "liste d'attente (rang 3)" in KIT_TEXTS["confirmation, liste d'attente"]
    assert KIT_TEXTS["confirmation, liste d'attente"].endswith(LINK)
    assert "Pense à apporter : un CV et un stylo." in KIT_TEXTS["confirmation, à apporter"]


def test_reminders_say_when_where_and_hold_the_link() -> None:
    assert KIT_TEXTS["rappel avant"] == (
        'Rappel : "Atelier CV" le samedi 5 décembre à 14 h. Lieu : MJC, 2 rue des Jardins, '
        "54340 Pompey. Pense à apporter : un CV. Tu ne peux plus venir ? Libère ta place : " + LINK
    )
    assert KIT_TEXTS["rappel du matin"].startswith('Rappel : "Atelier CV" aujourd\'hui à 14 h.')


def test_a_long_title_is_shortened_and_accents_are_kept() -> None:
    long_title = "Forum de l'emploi et de la formation " * 6
    text = sign_up("Inès", long_title, SATURDAY, False)
    assert text.startswith('Bonjour Inès, ton inscription à "Forum de l')
    assert '..." le samedi 5 décembre à 14 h est bien notée.' in text
    assert text.endswith(LINK) and segments(text).count == 2
    text = sign_up("Inès", "Fête de l'emploi et de la formation", SATURDAY, False)
    # A title that needs UCS-2 (67 characters a segment) leaves no room beside a link: the
    # date, the place and the link stay (the link's page shows the title), in GSM-7.
    assert text == (
        "Ton inscription du samedi 5 décembre à 14 h est notée. Lieu : MJC, 2 rue des Jardins, "
        "54340 Pompey. Infos, ou libérer ta place : " + LINK
    )
    assert segments(text) == Segments("GSM-7", len(text), 2)


@pytest.mark.parametrize("waiting_list", [False, True])
def test_the_longest_name_and_a_title_in_ucs2_still_fit_in_two_segments(
    waiting_list: bool,
) -> None:
    first_name = "Jérôme-Anaïs-Françoise " * 3  # the form's limit is 60 characters
    title = "Fête de l'emploi et de la formation"
    text = sign_up(
        first_name[:60], title, datetime(2026, 12, 30, 14, 30, tzinfo=PARIS), waiting_list
    )
    assert segments(text).count <= 2 and text.endswith(LINK)


@pytest.mark.parametrize(
    "typed",
    [
        "Clique sur http://exemple.fr",
        "{0}{title}",
        "Léo 06 12 34 56 78",
        "Marie-Anne de la Tour du Pin Chambly",  # longer than 30 characters
    ],
)
def test_a_first_name_that_is_not_one_stays_out_of_the_sms(typed: str) -> None:
    text = sign_up(typed, "Atelier CV", SATURDAY, waiting_list=False)
    assert text.startswith('Bonjour, ton inscription à "Atelier CV" le samedi 5')


def test_a_real_first_name_is_greeted() -> None:
    for typed, greeted in [
        ("Inès", "Inès"),
        ("Jean-Baptiste", "Jean-Baptiste"),
        ("N’Golo", "N'Golo"),
    ]:
        text = sign_up(typed, "Atelier CV", SATURDAY, waiting_list=False)
        assert text.startswith(f"Bonjour {greeted}, ton inscription")


@pytest.mark.parametrize("waiting_list", [False, True])
@pytest.mark.parametrize("first_name", ["Ines", "Aïcha", "Jérôme-Françoise Anaïs"])
@pytest.mark.parametrize("title", ["Atelier CV", "Fête de l'emploi", "Fête de l'emploi " * 9])
def test_every_wording_keeps_its_own_words_in_gsm7(
    waiting_list: bool, first_name: str, title: str
) -> None:
    """Whichever wording room allows, only what a person typed or an author wrote may need
    UCS-2, and two segments hold the whole and the link."""
    text = sign_up(first_name, title, SATURDAY, waiting_list)
    place = "MJC, 2 rue des Jardins, 54340 Pompey"
    assert set(outside_gsm7(text)) <= set(first_name + title + place)
    assert segments(text).count <= 2 and text.endswith(LINK)


@pytest.mark.parametrize("title", ["Atelier CV", "Fête de l'emploi", "Fête de l'emploi " * 9])
@pytest.mark.parametrize(
    "place", ["MJC, Pompey", "Salle des fêtes, 1 rue de l'Église, 54700 Maidières"]
)
def test_reminders_and_promotion_fit_with_any_title_and_place(title: str, place: str) -> None:
    for text in (
        reminder(event(title, place=place), LINK, morning=False),
        reminder(event(title, place=place), LINK, morning=True),
        promotion("Aïcha", event(title, place=place), LINK),
    ):
        assert segments(text).count <= 2 and text.endswith(LINK), text
    text = changed(event(title, place=place), [f"nouveau lieu : {place}"], LINK)
    assert f"nouveau lieu : {place}" in text and segments(text).count <= 2
    assert (
        segments(cancelled(event(title, reason="Salle fermée pour travaux"), SATURDAY)).count <= 2
    )


LONG_TITLE = "Job dating de l'alternance avec les entreprises du bassin de Pont-à-Mousson"
PLACES = [
    "MJC Pompey, 2 rue des Jardins, 54340 Pompey",
    "Espace Jeunes, 12 avenue du Général Leclerc, 54700 Pont-à-Mousson",
    "Salle des fêtes, 1 rue de l'Église, 54700 Maidières",  # ê: outside GSM-7
]


@pytest.mark.parametrize("title", [LONG_TITLE, "Fête de l'emploi et de la formation " * 3])
@pytest.mark.parametrize("place", PLACES)
def test_a_long_title_never_pushes_the_place_out(title: str, place: str) -> None:
    """What, when, where and the link in two segments: the title is shortened (or left out),
    the place and the link never; counted, not guessed."""
    shown = place.replace("ê", "e")  # the one letter of these places GSM-7 lacks
    for text in (
        confirmation("Inès", event(title, place=place), LINK, None),
        confirmation("Inès", event(title, place=place, bring="un CV"), LINK, None),
        reminder(event(title, place=place), LINK, morning=False),
        reminder(event(title, place=place, bring="un CV et un stylo"), LINK, morning=True),
        promotion("Inès", event(title, place=place), LINK),
    ):
        assert f"Lieu : {place}." in text or f"Lieu : {shown}." in text, text
        assert "samedi 5 décembre" in text or "aujourd'hui à 14 h" in text, text
        assert text.endswith(LINK) and segments(text).count <= 2, text


def test_the_place_keeps_its_accents_when_they_fit() -> None:
    """Folding the letters GSM-7 lacks is a last resort: when UCS-2 has room, they stay."""
    text = confirmation("Ines", event("Atelier CV", place="Fête, Frouard"), "https://ml.fr/x", None)
    assert "Lieu : Fête, Frouard." in text
    assert segments(text).encoding == "UCS-2" and segments(text).count <= 2

"""The kit's SMS texts, one function per message (confirmation, reminders, a place given from
the waiting list, an event cancelled or changed); each is in the test that checks every text
against the kit's rule.
Each text that holds the personal link keeps it whole, and the date and place with it: when two
segments cannot hold them all, the title is shortened, then left out (the link's page shows the
whole event), and the place is never dropped for the title's sake.

The rule (``sms_text.kit_text_problems``): the fixed wording stays in GSM-7 and a message takes
at most two segments. So the words are chosen without ê â î ô û ç œ (« à bientôt » and « être »
are avoided by wording, never by dropping an accent: the French stays correct), with the
straight apostrophe and plain spaces: the typographic apostrophe, « », the non-breaking space
of « 14 h » and the middle dot of « inscrit·e » are all outside GSM-7. What a person typed (a
first name) or an author wrote (an event title) may still need UCS-2: the text is then sent as
UCS-2, never stripped of its accents, and the title is shortened so that two segments hold it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from forms_backend.intake.events import PublicEvent
from forms_backend.outbox.sms_text import KIT_MAX_SEGMENTS, segments, stays_in_gsm7
from forms_backend.typography import DAYS, FAR, MONTHS

PARIS = ZoneInfo("Europe/Paris")
ELLIPSIS = "..."  # « … » is outside GSM-7
# A first name goes into the SMS only when it looks like one (letters, with a space, hyphen or
# apostrophe between parts): anyone may type someone else's number, and the SMS comes from the
# Mission Locale's name — a « first name » holding a link or a sentence must not ride on it.
PLAIN_NAME = re.compile(r"[^\W\d_]+(?:[ '’-][^\W\d_]+){0,3}")
NAME_MAX = 30


def when(moment: datetime, now: datetime | None = None) -> str:
    """« samedi 5 décembre à 14 h 30 », with plain spaces (see above); with the year
    (« mardi 3 février 2027 à 14 h ») when ``now`` is given and the date is in another year
    or more than about six months away."""
    local = moment.astimezone(PARIS)
    day = "1er" if local.day == 1 else str(local.day)
    year = ""
    if now is not None and (local.year != now.astimezone(PARIS).year or abs(moment - now) > FAR):
        year = f" {local.year}"
    return f"{DAYS[local.weekday()]} {day} {MONTHS[local.month - 1]}{year} à {_hour(local)}"


def greetings(first_name: str) -> tuple[str, str]:
    """« Bonjour Inès, » and the short « Inès, » (room for a name that needs UCS-2); a « first
    name » that does not look like one is left out."""
    name_fits = len(first_name) <= NAME_MAX and PLAIN_NAME.fullmatch(first_name)
    straight = first_name.replace("’", "'")  # the typographic apostrophe is outside GSM-7
    return (f"Bonjour {straight},", f"{straight},") if name_fits else ("Bonjour,", "Bonjour,")


def _place(event: PublicEvent) -> str:
    return f" Lieu : {event.place}." if event.place else ""


# Letters GSM-7 lacks, written as it writes them: only for the place, and only when its exact
# spelling leaves no room beside the link (see ``_place_in_gsm7``).
_FOLDED = str.maketrans({"œ": "oe", "Œ": "OE", "’": "'", "«": '"', "»": '"', "\u00a0": " "})


def _place_in_gsm7(event: PublicEvent) -> str:
    """The place with the letters GSM-7 lacks (ê â î ô û ç ï ë œ…) written without their accent:
    a place needing UCS-2 (67 characters a segment) cannot sit beside a link of some 110
    characters in two segments, and « Salle des fetes » still takes her there, where a text
    without the place would not. Empty when even that is not GSM-7 (another script)."""
    folded = "".join(
        c if stays_in_gsm7(c) else unicodedata.normalize("NFD", c)[0]
        for c in event.place.translate(_FOLDED)
    )
    return f" Lieu : {folded}." if event.place and stays_in_gsm7(folded) else ""


Wording = tuple[str, str] | str


def _each_place(
    event: PublicEvent, wordings: Callable[[str], list[Wording]], *, bring: bool = True
) -> list[Wording]:
    """The wordings that say where, tried in this order: the title with what to bring (when
    ``bring``) and the exact place, then the exact place alone, then the place in GSM-7 (only
    when the exact one needs UCS-2). The title goes before the place; what to bring goes
    before the title."""
    exact, folded = _place(event), _place_in_gsm7(event)
    found: list[Wording] = []
    if bring and event.bring:
        with_bring = wordings(exact + _bring(event))
        found += [wording for wording in with_bring if isinstance(wording, tuple)]
    for place in [exact] + ([folded] if folded != exact else []):
        found += wordings(place)
    return found


def _bring(event: PublicEvent) -> str:
    return f" Pense à apporter : {event.bring}." if event.bring else ""


def confirmation(
    first_name: str,
    event: PublicEvent,
    link: str,
    rank: int | None,
    now: datetime | None = None,
) -> str:
    """Right after a sign-up: what, when (with the year of a far date, seen from ``now``),
    where, what to bring, and her link (which also shows the event); ``rank`` on the waiting
    list, or ``None`` for a place taken."""
    hello, short = greetings(first_name)
    date = when(event.shown_start, now)
    if rank is not None:
        then = f"Si une place se libère, on te prévient. Infos, ou te retirer : {link}"
        wordings: list[Wording] = [
            (f"{hello} tu es sur la liste d'attente (rang {rank}) pour \"", f'" le {date}. {then}'),
            (f"{short} liste d'attente (rang {rank}) pour \"", f'" le {date}. {then}'),
            (f"Liste d'attente (rang {rank}) pour \"", f'", le {date}. {then}'),
        ]
        fallback = f"Tu es sur la liste d'attente (rang {rank}) pour le {date}. {then}"
    else:
        then = f"Infos, ou libérer ta place : {link}"
        wordings = [
            *_each_place(
                event,
                lambda place: [
                    (f'{hello} ton inscription à "', f'" le {date} est bien notée.{place} {then}'),
                    (f'{short} ton inscription à "', f'" le {date} est notée.{place} {then}'),
                    ('Inscription notée : "', f'", le {date}.{place} {then}'),
                    # The place matters more than the title: the link's page shows the title.
                    f"Ton inscription du {date} est notée.{place} {then}",
                ],
            ),
            (f'{hello} ton inscription à "', f'" le {date} est bien notée. {then}'),
            ('Inscription notée : "', f'", le {date}. {then}'),
        ]
        fallback = f"Ton inscription du {date} est notée. {then}"
    return _fitted(wordings, event.title, fallback)


def reminder(event: PublicEvent, link: str, *, morning: bool, now: datetime | None = None) -> str:
    """Two days before (the setting ``rappels``) or on the morning of the event."""
    local = event.shown_start.astimezone(PARIS)
    date = f"aujourd'hui à {_hour(local)}" if morning else f"le {when(event.shown_start, now)}"
    then = f"Tu ne peux plus venir ? Libère ta place : {link}"
    wordings: list[Wording] = [
        *_each_place(
            event,
            lambda place: [
                ('Rappel : "', f'" {date}.{place} {then}'),
                f"Rappel : ton inscription, {date}.{place} {then}",
            ],
        ),
        ('Rappel : "', f'" {date}. {then}'),
    ]
    return _fitted(wordings, event.title, f"Rappel : ton inscription, {date}. {then}")


def promotion(first_name: str, event: PublicEvent, link: str, now: datetime | None = None) -> str:
    """A place came free and it is hers (she was first on the waiting list)."""
    hello, short = greetings(first_name)
    date = when(event.shown_start, now)
    then = f"Tu ne peux pas venir ? Libère-la : {link}"
    wordings: list[Wording] = [
        *_each_place(
            event,
            lambda place: [
                (
                    f"{hello} une place s'est libérée pour \"",
                    f'" le {date}. Elle est à toi !{place} {then}',
                ),
                (f'{short} une place pour "', f'" le {date} est à toi !{place} {then}'),
                f"Une place pour le {date} est à toi !{place} {then}",
            ],
            bring=False,
        ),
        (f"{hello} une place s'est libérée pour \"", f'" le {date}. Elle est à toi ! {then}'),
        (f'{short} une place pour "', f'" le {date} est à toi ! {then}'),
    ]
    return _fitted(
        wordings, event.title, f"Une place s'est libérée pour le {date} : elle est à toi ! {then}"
    )


def cancelled(event: PublicEvent, before_start: datetime, now: datetime | None = None) -> str:
    """The event will not take place; with its public reason when two segments hold it."""
    date = when(before_start, now)
    reason = f" {event.reason.rstrip('.')}." if event.reason else ""
    then = "Tu n'as rien à faire. Désolé !"
    wordings = [
        ('Annulation : "', f'", le {date}, est annulé.{reason} {then}'),
        ('Annulation : "', f'", le {date}, est annulé. {then}'),
    ]
    return _fitted(wordings, event.title, f"Annulation : l'événement du {date} est annulé.")


def changed(event: PublicEvent, what: list[str], link: str, *, waiting: bool = False) -> str:
    """The event moved (``what``: « nouvelle date : … », « nouveau lieu : … ») or was
    postponed; her link shows the event as it is now (left out when two segments cannot hold
    it beside what changed). Someone ``waiting`` has no place to free: her link takes her off
    the list, as her confirmation said."""
    said = "; ".join(what)
    then = f"Infos, ou {'te retirer' if waiting else 'libérer ta place'} : {link}"
    wordings = [
        ('Changement pour "', f'" : {said}. {then}'),
        ('Changement pour "', f'" : {what[0]}. {then}'),
    ]
    # What changed matters more than the link: a place that needs UCS-2 leaves no room for both.
    fallbacks = [
        f"Changement pour ton inscription : {said}. {then}",
        f"Changement pour ton inscription : {said}.",
        f"Changement : {what[0]}.",
        f"Changement pour ton inscription. {then}",
    ]
    return _fitted(wordings, event.title, fallbacks)


def _hour(local: datetime) -> str:
    return f"{local.hour} h" if local.minute == 0 else f"{local.hour} h {local.minute:02d}"


MIN_TITLE = 12  # a title is never cut shorter than this: a shorter wording is used instead


def _fitted(
    wordings: list[tuple[str, str]] | list[Wording],
    title: str,
    fallback: str | list[str],
) -> str:
    """The first wording that two segments hold, tried in order: a pair (the text before and
    after the title) with the whole title or the title cut (« ... » added) down to
    ``MIN_TITLE`` characters, a plain string (it names no title) as it is; else the first
    ``fallback`` that fits, else the last one."""
    for wording in wordings:
        if isinstance(wording, str):
            if segments(wording).count <= KIT_MAX_SEGMENTS:
                return wording
            continue
        before, after = wording
        for shown in _shortened(title):
            candidate = before + shown + after
            if segments(candidate).count <= KIT_MAX_SEGMENTS:
                return candidate
    fallbacks = [fallback] if isinstance(fallback, str) else fallback
    for candidate in fallbacks:
        if segments(candidate).count <= KIT_MAX_SEGMENTS:
            return candidate
    return fallbacks[-1]


def _shortened(title: str) -> Iterator[str]:
    yield title
    for length in range(len(title) - 1, MIN_TITLE - 1, -1):
        yield title[:length].rstrip() + ELLIPSIS

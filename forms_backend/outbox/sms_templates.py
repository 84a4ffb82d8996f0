"""The kit's SMS texts, one function per message. Upcoming texts (the reminders before an event)
go here too, and each is added to the test that checks every text against the kit's rule.

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
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from forms_backend.outbox.sms_text import KIT_MAX_SEGMENTS, segments
from forms_backend.typography import DAYS, MONTHS

PARIS = ZoneInfo("Europe/Paris")
ELLIPSIS = "..."  # « … » is outside GSM-7
# A first name goes into the SMS only when it looks like one (letters, with a space, hyphen or
# apostrophe between parts): anyone may type someone else's number, and the SMS comes from the
# Mission Locale's name — a « first name » holding a link or a sentence must not ride on it.
PLAIN_NAME = re.compile(r"[^\W\d_]+(?:[ '’-][^\W\d_]+){0,3}")
NAME_MAX = 30


def when(moment: datetime) -> str:
    """« samedi 5 décembre à 14 h 30 », with plain spaces (see above)."""
    local = moment.astimezone(PARIS)
    day = "1er" if local.day == 1 else str(local.day)
    hour = f"{local.hour} h" if local.minute == 0 else f"{local.hour} h {local.minute:02d}"
    return f"{DAYS[local.weekday()]} {day} {MONTHS[local.month - 1]} à {hour}"


def confirmation(first_name: str, event_title: str, start: datetime, waiting_list: bool) -> str:
    """The SMS a young person gets after signing up for an event by SMS: the longest wording
    that fits in two segments (a first name or a title that needs UCS-2 leaves less room)."""
    date = when(start)
    name_fits = len(first_name) <= NAME_MAX and PLAIN_NAME.fullmatch(first_name)
    straight = first_name.replace("’", "'")  # the typographic apostrophe is outside GSM-7
    hello = f"Bonjour {straight}," if name_fits else "Bonjour,"
    short_hello = f"{straight}," if name_fits else "Bonjour,"  # room for a name in UCS-2
    if waiting_list:
        then = "Si une place se libère, on te prévient par SMS."
        wordings = [
            (f"{hello} tu es sur la liste d'attente pour \"", f'" le {date}. {then}'),
            (f"{short_hello} tu es sur la liste d'attente pour \"", f'" le {date}. {then}'),
            ("Bonjour, tu es sur la liste d'attente pour \"", f'" le {date}. {then}'),
            ("Liste d'attente pour \"", f'", le {date}. {then}'),
        ]
    else:
        then = "Si tu ne peux plus venir, préviens la Mission Locale."
        wordings = [
            (f'{hello} ton inscription à "', f'" le {date} est bien notée. {then}'),
            (f'{short_hello} ton inscription à "', f'" le {date} est notée. {then}'),
            ('Bonjour, ton inscription à "', f'" le {date} est bien notée. {then}'),
            ('Inscription notée : "', f'", le {date}. {then}'),
        ]
    return _fitted(wordings, event_title)


MIN_TITLE = 12  # a title is never cut shorter than this: a shorter wording is used instead


def _fitted(wordings: list[tuple[str, str]], title: str) -> str:
    """The first wording (the text before and after the title) that two segments hold, with
    the whole title or the title cut (« ... » added) down to ``MIN_TITLE`` characters."""
    candidate = ""
    for before, after in wordings:
        for shown in _shortened(title):
            candidate = before + shown + after
            if segments(candidate).count <= KIT_MAX_SEGMENTS:
                return candidate
    return candidate  # nothing fits: cannot happen with the shortest wording


def _shortened(title: str) -> Iterator[str]:
    yield title
    for length in range(len(title) - 1, MIN_TITLE - 1, -1):
        yield title[:length].rstrip() + ELLIPSIS

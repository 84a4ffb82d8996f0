"""The e-mails a young person gets about an event (tutoiement, French typography): the
confirmation (with the event's ``.ics`` attached), the reminders, a place that came free, and
a change of the event. Each carries her personal link to free her place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from pathlib import Path
from typing import Any

from forms_backend.intake.events import PublicEvent
from forms_backend.outbox.mail_message import message_with_attachment, plain_message
from forms_backend.outbox.sms_templates import NAME_MAX, PLAIN_NAME, when
from forms_backend.store.event_messages import PLACE_TAKEN, WAITING
from forms_backend.typography import french_spacing, in_guillemets


@dataclass(frozen=True)
class Letter:
    """What an e-mail says: its subject and its text (French spacing added when sent)."""

    subject: str
    text: str


def event_lines(event: PublicEvent, now: datetime | None = None) -> list[str]:
    """What, when (with the year when it is far or in another year than ``now``), where, the
    event's page, and what to bring when the event says so."""
    lines = [
        f"Quoi : {event.title}",
        f"Quand : le {when(event.shown_start, now)}",
        *([f"Où : {event.place}"] if event.place else []),
    ]
    if event.url:  # none for a deleted event: its page is gone
        lines.append(f"La page de l'événement : {event.url}")
    if event.bring:
        lines.append(f"Pense à apporter : {event.bring}")
    return lines


def _hello(submission: dict[str, Any]) -> str:
    """« Bonjour Inès, » — or a plain « Bonjour, » when the « first name » does not look like one:
    anyone may type someone else's address, and a link or a sentence typed as a name must not
    reach her in the Mission Locale's e-mail (the SMS follow the same rule)."""
    name = submission["first_name"]
    looks_like_one = len(name) <= NAME_MAX and PLAIN_NAME.fullmatch(name)
    return f"Bonjour {name}," if looks_like_one else "Bonjour,"


def _free_link(link: str, *, waiting: bool = False) -> list[str]:
    if waiting:
        return ["Tu ne veux plus attendre ? Retire-toi de la liste en un clic :", link]
    return [
        "Tu ne peux plus venir ? Libère ta place en un clic : elle ira à quelqu'un qui attend.",
        link,
        "Ce lien marche jusqu'au début de l'événement.",
    ]


def confirmation(
    submission: dict[str, Any],
    event: PublicEvent,
    link: str,
    rank: int | None,
    signature: str,
    now: datetime | None = None,
) -> Letter:
    """Right after a sign-up (``rank``: on the waiting list)."""
    if rank is not None:
        said = [
            f"Tu es sur la liste d'attente pour {in_guillemets(event.title, ' ')} (rang {rank}).",
            "Si une place se libère, on te prévient tout de suite par e-mail.",
        ]
        return Letter(
            f"Liste d'attente : {event.title}",
            _body(submission, said, event, _free_link(link, waiting=True), signature, now),
        )
    said = ["Ton inscription est bien notée."]
    more = _calendar_attached(link)
    return Letter(
        f"Ton inscription : {event.title}", _body(submission, said, event, more, signature, now)
    )


def _calendar_attached(link: str) -> list[str]:
    """The lines of a message that brings the event's .ics: what it is for, then the link."""
    return [
        "Le fichier joint (evenement.ics) ajoute l'événement à ton agenda.",
        "",
        *_free_link(link),
    ]


def reminder(
    submission: dict[str, Any],
    event: PublicEvent,
    link: str,
    signature: str,
    *,
    morning: bool,
    now: datetime | None = None,
) -> Letter:
    """Two days before (the setting ``rappels``) or on the morning of the event."""
    said = ["C'est aujourd'hui !" if morning else "Petit rappel : on t'attend bientôt."]
    subject = (
        f"Rappel : {event.title}, "
        f"{'aujourd’hui' if morning else 'le ' + when(event.shown_start, now)}"
    )
    return Letter(subject, _body(submission, said, event, _free_link(link), signature, now))


def promotion(
    submission: dict[str, Any],
    event: PublicEvent,
    link: str,
    signature: str,
    now: datetime | None = None,
) -> Letter:
    """A place came free and it is hers."""
    said = ["Bonne nouvelle : une place s'est libérée, et elle est à toi !"]
    more = _calendar_attached(link)
    return Letter(
        f"Une place pour toi : {event.title}",
        _body(submission, said, event, more, signature, now),
    )


def changed(
    submission: dict[str, Any],
    event: PublicEvent,
    what: list[str],
    link: str | None,
    signature: str,
    now: datetime | None = None,
) -> Letter:
    """The event was cancelled, postponed, or changed date, time or place (``what``); someone
    on the waiting list is told she waits, and her link takes her off the list (she has no
    place to free: read as « inscrit·e », she would come)."""
    waiting = submission["status"] == WAITING
    where = "tu es sur la liste d'attente" if waiting else "tu es inscrit·e"
    said = [f"Il y a du nouveau pour l'événement où {where} :", *[f"- {w}" for w in what]]
    more = (
        _free_link(link, waiting=waiting)
        if link
        else ["Tu n'as rien à faire. Désolé pour ce changement !"]
    )
    # She had the calendar: the new one goes with it (a deleted event has no page nor calendar).
    if submission["status"] == PLACE_TAKEN and event.url:
        more = ["Le fichier joint (evenement.ics) met ton agenda à jour.", *more]
    return Letter(
        f"Changement : {event.title}", _body(submission, said, event, more, signature, now)
    )


def _body(
    submission: dict[str, Any],
    said: list[str],
    event: PublicEvent,
    more: list[str],
    signature: str,
    now: datetime | None = None,
) -> str:
    return "\n".join(
        [_hello(submission), "", *said, "", *event_lines(event, now), "", *more, "", signature]
    )


def as_message(
    letter: Letter,
    *,
    sender: str,
    recipient: str,
    idstring: str,
    calendar: Path | None = None,
    now: datetime | None = None,
) -> Message:
    """The e-mail itself, with the event's ``.ics`` attached when ``calendar`` is a file."""
    subject, text = french_spacing(letter.subject), french_spacing(letter.text)
    if calendar is not None and calendar.is_file():
        return message_with_attachment(
            subject,
            text,
            ("evenement.ics", calendar.read_bytes(), "text", "calendar"),
            sender=sender,
            recipient=recipient,
            idstring=idstring,
            now=now,
        )
    return plain_message(subject, text, sender=sender, recipient=recipient, idstring=idstring)

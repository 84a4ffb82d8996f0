"""The weekly digest: last week's requests still waiting for a call back, oldest first — the one
list the counsellor acts on. What is needed to call, nothing more (as in each request's e-mail)."""

from __future__ import annotations

from datetime import datetime
from email.message import Message
from zoneinfo import ZoneInfo

from forms_backend.intake.forms import CHANNELS
from forms_backend.outbox.mail_message import plain_message
from forms_backend.outbox.messages import SUBJECTS, received_at
from forms_backend.store.follow_up import Waiting
from forms_backend.typography import french_spacing

PARIS = ZoneInfo("Europe/Paris")


def _day(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%d/%m/%Y")


def digest_email(
    waiting: list[Waiting],
    older: int,
    since: datetime,
    *,
    sender: str,
    recipient: str,
) -> Message:
    """The digest e-mail; ``older``: requests received before ``since`` that still wait."""
    count = len(waiting)
    if count:
        subject = f"[Aller vers] {count} demande{'s' if count > 1 else ''} à rappeler"
        lines = [
            f"Demandes reçues depuis le {_day(since)} et pas encore notées comme rappelées, "
            "de la plus ancienne à la plus récente :",
        ]
    else:
        subject = "[Aller vers] Aucune demande en attente cette semaine"
        lines = [f"Depuis le {_day(since)}, toutes les demandes ont été notées comme rappelées."]
    for number, item in enumerate(waiting, start=1):
        received = received_at(item.created_at)
        lines += [
            "",
            f"{number}. {SUBJECTS[item.form]} du {received} — réf. {item.short_id}",
            f"   {item.first_name}, {item.age} ans, {item.commune}",
            f"   Téléphone : {item.phone or '—'} · E-mail : {item.email or '—'}",
            f"   Contact préféré : {CHANNELS.get(item.channel, item.channel)}",
        ]
        if item.referrer:
            lines.append(f"   Orienté·e par : {item.referrer}")
    if older:
        lines += [
            "",
            f"Et {older} demande{'s' if older > 1 else ''} plus ancienne{'s' if older > 1 else ''} "
            "attend encore. Pour les voir : porte-voix forms digest --days 90",
        ]
    if count:
        lines += [
            "",
            "Après chaque appel, note-le pour qu'il sorte de cette liste :",
            "porte-voix forms done RÉF (par exemple : porte-voix forms done "
            f"{waiting[0].short_id})",
        ]
    return plain_message(
        french_spacing(subject),
        french_spacing("\n".join(lines)),
        sender=sender,
        recipient=recipient,
    )

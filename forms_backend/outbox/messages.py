"""What the counsellor receives: an e-mail to call back, and the webhook's JSON body.

Only what is needed to get back to the person: no IP address, no browser, nothing else.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from email.message import Message
from typing import Any
from zoneinfo import ZoneInfo

from forms_backend.intake.forms import CHANNELS
from forms_backend.outbox.mail_message import plain_message
from forms_backend.outbox.seats import MAX_CONFIRMATIONS_PER_DAY
from forms_backend.store.follow_up import SHORT_ID
from forms_backend.typography import french_spacing
from forms_backend.validator.phones import display_french_phone

PARIS = ZoneInfo("Europe/Paris")
SUBJECTS = {
    "rappel": "Demande de rappel",
    "inscription": "Inscription",
    "orientation": "Orientation par un partenaire",
}
STATUSES = {
    "recu": "reçue",
    "inscrit": "inscrit·e",
    "liste_attente": "sur liste d'attente",
    "desinscrit": "place libérée",
}
# What the counsellor is told when places move (outbox targets ``conseillere:<kind>``).
NOTICES = {
    "liberation": (
        "Place libérée",
        "{name} a libéré sa place avec son lien personnel : inutile de la relancer pour cet "
        "événement. Si quelqu'un attend sur la liste d'attente, cette personne reçoit la place "
        "et en est prévenue, et vous recevez un autre message.",
    ),
    "envoi-incertain": (
        "SMS peut-être pas reçu",
        "Le serveur s'est arrêté pendant l'envoi d'un SMS à {name} (confirmation, rappel ou "
        "changement) : le fournisseur l'a peut-être reçu, peut-être pas, et rien ne permet de "
        "le savoir. Il n'est pas renvoyé de lui-même, pour qu'un ou une jeune ne reçoive jamais "
        "deux fois le même SMS. Pour le renvoyer : porte-voix forms retry ; ou appelez-le ou la.",
    ),
    "changement-sans-canal": (
        "Changement à prévenir vous-même",
        "{name} est inscrit·e (ou en liste d'attente) à cet événement, qui change, mais n'a "
        "donné ni portable ni e-mail : rien ne lui a été envoyé. Appelez-le ou la (numéro "
        "dans le premier courriel de l'inscription).",
    ),
    "non-recu": (
        "Message pas reçu",
        "Un message à {name} (confirmation, rappel, place, changement ou annulation) n'a pas "
        "pu partir : le fournisseur a refusé le numéro ou l'adresse, ou il est resté "
        "injoignable malgré les nouveaux essais. La raison est dans « porte-voix forms "
        "status ». Prévenez-le ou la vous-même (téléphone et e-mail dans le premier courriel "
        "de cette inscription), surtout si l'événement est annulé ou changé.",
    ),
    "sms-en-attente": (
        "SMS en attente : plafond du jour atteint",
        "Le plafond de SMS par 24 heures (PORTE_VOIX_SMS_PER_DAY) est atteint : les SMS aux "
        "jeunes attendent, à commencer par un message à {name}, et partiront dès que le compte "
        "des dernières 24 heures repassera sous le plafond (un rappel dont l'événement a "
        "commencé est abandonné). Beaucoup d'inscriptions d'un coup sans raison connue : "
        "c'est peut-être une attaque, voyez « porte-voix forms status » et « porte-voix forms "
        "liberer ». Sinon, augmentez PORTE_VOIX_SMS_PER_DAY et redémarrez le serveur.",
    ),
    "place-non-prevenue": (
        "Place donnée à la liste d'attente — à prévenir vous-même",
        "Une place s'est libérée : elle est donnée à {name}, première sur la liste "
        "d'attente. Le ou la jeune n'en est PAS prévenu·e : son inscription a dépassé les "
        "messages permis par jour vers ce numéro ou cette adresse (protection contre les "
        "inscriptions au nom d'un autre), et rien ne lui est envoyé, ni rappel. Si elle est "
        "vraie, prévenez-le ou la vous-même ; sinon : porte-voix forms liberer.",
    ),
    "place": (
        "Place donnée à la liste d'attente",
        "Une place s'est libérée : elle est donnée à {name}, première sur la liste "
        "d'attente. Le ou la jeune en est prévenu·e par son canal (SMS ou e-mail), avec son "
        "propre lien pour libérer la place si besoin.",
    ),
}


def _received(submission: dict[str, Any]) -> str:
    moment = datetime.fromisoformat(submission["created_at"]).astimezone(PARIS)
    return received_at(moment)


def received_at(moment: datetime) -> str:
    """« 01/12/2026 à 14 h 05 »: the time as French writes it, not « 14:05 »."""
    local = moment.astimezone(PARIS)
    return f"{local:%d/%m/%Y} à {local.hour} h {local.minute:02d}"


# A sign-up whose confirmation the daily cap stopped (see ``seats.MAX_CONFIRMATIONS_PER_DAY``):
# the counsellor must not believe the young person was told. No number nor address here: the
# lines below already hold the contact details she needs, and nothing more is said of them.
UNCONFIRMED = (
    "ATTENTION : aucune confirmation n'a été envoyée à ce ou cette jeune, ni rappel.",
    f"Ses coordonnées ont déjà reçu {MAX_CONFIRMATIONS_PER_DAY} confirmations aujourd'hui : par prudence (quelqu'un",
    "a peut-être tapé le numéro ou l'adresse d'une autre personne), rien de plus ne part.",
    "Contactez-le ou la pour confirmer son inscription.",
)


def counsellor_email(
    submission: dict[str, Any],
    event_title: str | None,
    *,
    sender: str,
    recipient: str,
    unconfirmed: bool = False,
) -> Message:
    """The e-mail a counsellor acts on: who, how to reach them, where they come from;
    ``unconfirmed``: the young person was sent nothing (the daily cap), so the counsellor
    confirms herself."""
    kind = SUBJECTS[submission["form"]]
    subject = f"[Aller vers] {kind} — {submission['commune']}"
    if event_title:
        subject = f"[Aller vers] {kind} ({STATUSES[submission['status']]}) — {event_title}"
    if unconfirmed:
        subject += " — non confirmée au ou à la jeune"
    lines = [f"{kind} reçue le {_received(submission)}.", ""]
    if unconfirmed:
        lines += [*UNCONFIRMED, ""]
    if submission.get("held"):
        short = submission["id"][:SHORT_ID]
        lines += [
            f"EN ATTENTE DE VOTRE ACCORD : {submission['held']}.",
            "Cette inscription est sur la liste d'attente et n'avance pas seule (protection contre",
            "les places remplies par de faux numéros). Si elle est vraie (un partenaire qui inscrit",
            f"plusieurs jeunes) : porte-voix forms confirmer EVENEMENT {short}",
            f"Si elle est fausse (rien ne sera envoyé) : porte-voix forms liberer EVENEMENT {short}",
            "",
        ]
        subject += " — à vérifier"
    if event_title:
        lines += [f"Événement : {event_title}", f"Statut : {STATUSES[submission['status']]}", ""]
    lines += [
        f"Prénom : {submission['first_name']}",
        f"Téléphone : {display_french_phone(submission['phone']) if submission['phone'] else '—'}",
        f"E-mail : {submission['email'] or '—'}",
        f"Contact préféré : {CHANNELS.get(submission['channel'], submission['channel'])}",
        f"Commune : {submission['commune']}",
        f"Âge : {submission['age']} ans",
        f"Venu·e par : {submission['source'] or 'le site'}",
    ]
    if submission["form"] == "orientation":
        lines += [
            "",
            f"Orienté·e par : {submission['referrer_name']} ({submission['referrer_structure']})",
            f"Contact du partenaire : {submission['referrer_contact']}",
            "Le ou la jeune a donné son accord pour être contacté·e.",
            # The privacy page promises it (RGPD art. 14): the counsellor is the one who says it.
            "Dès le premier contact, dites-lui d'où viennent ses coordonnées (la",
            "structure ci-dessus), ce que la Mission Locale en fait et ses droits",
            "(page « Données personnelles » du site) : RGPD, article 14.",
        ]
    lines += ["", f"Référence : {submission['id']}"]
    if submission["form"] != "inscription":
        # The weekly digest lists the requests nobody noted as called back.
        lines.append(f"Après l'appel : porte-voix forms done {submission['id'][:SHORT_ID]}")
    # French spacing changes only spaces before « : ; ! ? », in times, dates and units: a
    # command, a reference or an address has none of them, and stays as it is to copy.
    return plain_message(
        french_spacing(subject),
        french_spacing("\n".join(lines)),
        sender=sender,
        recipient=recipient,
        idstring=submission["id"].replace("-", ""),
    )


def counsellor_notice(
    submission: dict[str, Any],
    event_title: str | None,
    kind: str,
    *,
    sender: str,
    recipient: str,
    detail: str = "",
    changes: list[str] | None = None,
) -> Message:
    """A place freed, given to the first person waiting, or a message that did not reach her:
    who, for which event, the reference; the contact details are in the sign-up's first
    e-mail. ``detail`` (the row or change a notice is about) keeps the ``Message-ID`` of two
    notices of one kind apart: a mail client keeps one message per ``Message-ID``; ``changes``:
    what changed, for a person a change could not reach."""
    if kind not in NOTICES:
        raise KeyError(kind)
    title, said = NOTICES[kind]
    lines = [
        said.format(name=submission["first_name"]),
        *(["", "Ce qui change :", *[f"- {line}" for line in changes]] if changes else []),
        "",
        f"Événement : {event_title or submission['event_id']}",
        f"Statut : {STATUSES[submission['status']]}",
        f"Référence : {submission['id']}",
    ]
    return plain_message(
        french_spacing(f"[Aller vers] {title} — {event_title or submission['event_id']}"),
        french_spacing("\n".join(lines)),
        sender=sender,
        recipient=recipient,
        idstring=f"{submission['id'].replace('-', '')}.{kind}{'.' + _id_part(detail) if detail else ''}",
    )


def _id_part(detail: str) -> str:
    """``detail`` as it may sit in a ``Message-ID``: a change's key holds an « @ »."""
    return re.sub(r"[^A-Za-z0-9.-]", "-", detail)


def counsellor_event_gone(
    kind: str,
    before: dict[str, Any],
    after: dict[str, Any],
    people: list[dict[str, Any]],
    *,
    sender: str,
    recipient: str,
    idstring: str,
) -> Message:
    """An event with people signed up vanished from the site: deleted (``evenement-supprime``:
    they were told it is cancelled) or, it seems, renamed (``evenement-renomme``: they were
    told nothing, their sign-ups are still under the old name). First names and references
    only: the contact details are in each sign-up's first e-mail."""
    title = before["titre"]
    start = received_at(datetime.fromisoformat(before["debut"]))
    if kind == "evenement-supprime":
        subject = f"[Aller vers] Événement retiré du site — {title}"
        said = [
            f"Le fichier de l'événement « {title} » du {start} a été supprimé du site.",
            "Les personnes ci-dessous (inscrites ou en liste d'attente) sont prévenues de son",
            "annulation par leur canal (SMS ou e-mail). S'il a encore lieu, remettez son",
            "fichier (avec « statut: reporte » ou sa date) et prévenez-les vous-même.",
        ]
    else:
        subject = f"[Aller vers] Événement renommé ? — {title}"
        said = [
            f"L'événement « {title} » du {start} n'est plus sur le site, mais « {after['titre']} »",
            f"(référence {after['id']}) a lieu au même moment : il a sans doute été renommé.",
            "Les personnes ci-dessous n'ont PAS été prévenues, et leurs inscriptions restent",
            "sous l'ancien nom (sans rappel) : prévenez-les et réinscrivez-les si besoin.",
        ]
    lines = [*said, "", f"Personnes concernées ({len(people)}) :"]
    lines += [
        f"- {person['first_name']} ({STATUSES[person['status']]}) — référence {person['id']}"
        for person in people
    ]
    return plain_message(
        french_spacing(subject),
        french_spacing("\n".join(lines)),
        sender=sender,
        recipient=recipient,
        idstring=idstring,
    )


def webhook_body(submission: dict[str, Any], event_title: str | None) -> bytes:
    """The JSON sent to the counsellor's pipeline: the submission, with French keys."""
    payload = {
        "id": submission["id"],
        "formulaire": submission["form"],
        "recu_le": submission["created_at"],
        "statut": submission["status"],
        "evenement": {"id": submission["event_id"], "titre": event_title}
        if submission["event_id"]
        else None,
        "prenom": submission["first_name"],
        "telephone": submission["phone"],
        "email": submission["email"],
        "commune": submission["commune"],
        "age": submission["age"],
        "canal": submission["channel"],
        "source": submission["source"],
    }
    if submission["form"] == "orientation":
        payload["orientation"] = {
            "nom": submission["referrer_name"],
            "structure": submission["referrer_structure"],
            "contact": submission["referrer_contact"],
        }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()

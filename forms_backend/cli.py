"""``porte-voix forms …``: run the backend and the counsellor's tools, in French."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from forms_backend.config import (
    SECRET_MASK,
    BackendConfig,
    ConfigError,
    is_loopback,
    masked_url,
    missing_settings,
    served_at,
    serving_refusal,
)
from forms_backend.contributions.store import AWAITING_GUARDIAN, TO_REVIEW, ContributionStore
from forms_backend.french_click import french_group
from forms_backend.intake.events import EventCatalogue, PublicEvent
from forms_backend.intake.free_place import french_when
from forms_backend.intake.organisation import (
    ORGANISATION_FILE,
    held_reason,
    read_organisation,
    unnamed_recipients,
)
from forms_backend.outbox.digest import digest_email
from forms_backend.outbox.failures import DeliveryFailure
from forms_backend.outbox.forwarder import Forwarder
from forms_backend.outbox.letters import LetterPost
from forms_backend.outbox.mail import send_email
from forms_backend.outbox.seats import Seats
from forms_backend.outbox.sms_budget import WINDOW as SMS_WINDOW
from forms_backend.store import retention
from forms_backend.store.attendance import UnknownReference, record_presence, resolve
from forms_backend.store.database import Store
from forms_backend.store.event_messages import sms_spent_since
from forms_backend.store.export import export_csv
from forms_backend.store.follow_up import (
    UnknownRequest,
    mark_called_back,
    waiting_before,
    waiting_since,
)
from forms_backend.store.purge import expected, next_purge, purge_expired

PARIS = ZoneInfo("Europe/Paris")


def _config() -> BackendConfig:
    try:
        return BackendConfig.from_environment()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


def backend_config() -> BackendConfig:
    """The settings from the environment, or a French error (exit 1)."""
    return _config()


def _store(config: BackendConfig) -> Store:
    store = Store(config.database)
    store.migrate()
    return store


@french_group(help="Le serveur des formulaires et ses outils (réglages : variables PORTE_VOIX_*).")
def forms() -> None:
    """The ``forms`` command group."""


@forms.command(help="Lance le serveur des formulaires seul (derrière un proxy inverse).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Serve the backend alone with uvicorn (refused beyond loopback without the settings)."""
    import uvicorn

    from forms_backend.app import create_app

    config = served_at(_config(), host, port)
    refuse_to_serve(config, host)
    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        # X-Forwarded-For is read by the app alone, from PORTE_VOIX_TRUSTED_PROXIES (proxies.py):
        # uvicorn's own reading would trust 127.0.0.1 whatever the settings say.
        proxy_headers=False,
        log_level="info",
        access_log=False,  # an access log would keep every visitor's IP address: personal data
    )


def refuse_to_serve(config: BackendConfig, host: str) -> None:
    """Stop (exit 1) with every missing setting named, when others could reach ``host``; on
    loopback, only a reminder."""
    refusal = serving_refusal(config, host)
    if refusal:
        raise click.ClickException(refusal)
    if is_loopback(host) and missing_settings(config):
        click.echo(
            "Réglages de production absents (normal pour essayer sur cet ordinateur) : "
            "« porte-voix forms check » les montre.",
            err=True,
        )


@forms.command(
    help="Montre les réglages en vigueur (sans les secrets) et ce qui manque pour la mise en "
    "ligne ; code de sortie 1 s'il manque quelque chose."
)
def check() -> None:
    """Print the effective configuration, secrets masked, and what is missing."""
    config = _config()

    def shown(value: object, unset: str = "non réglée") -> str:
        return unset if value in (None, "", ()) else str(value)

    lines = [
        ("PORTE_VOIX_DB", config.database),
        ("PORTE_VOIX_SITE_DIR", config.site_dir),
        ("PORTE_VOIX_PUBLIC_URL", config.public_url),
        ("PORTE_VOIX_MAIL_FROM", config.mail_from),
        ("PORTE_VOIX_COUNSELLOR_EMAIL", config.counsellor_email),
        (
            "PORTE_VOIX_SMTP_URL",
            shown(
                masked_url(config.smtp_url), f"non réglée : e-mails gardés dans {config.maildir}"
            ),
        ),
        ("PORTE_VOIX_MAILDIR", shown("" if config.smtp_url else config.maildir, "sans objet")),
        ("PORTE_VOIX_WEBHOOK_URL", shown(masked_url(config.webhook_url))),
        ("PORTE_VOIX_WEBHOOK_SECRET", SECRET_MASK if config.webhook_secret else "non réglé"),
        (
            "PORTE_VOIX_SECRET",
            SECRET_MASK if config.secret else "non réglé : un secret tiré au hasard, dans la base",
        ),
        (
            "PORTE_VOIX_SMS_URL",
            shown(masked_url(config.sms_url), f"non réglée : SMS écrits dans {config.sms_dir}"),
        ),
        ("PORTE_VOIX_SMS_KEY", SECRET_MASK if config.sms_key else "non réglée"),
        ("PORTE_VOIX_SMS_SENDER", config.sms_sender),
        ("PORTE_VOIX_SMS_PER_DAY", config.sms_per_day),
        ("PORTE_VOIX_SMS_DIR", shown("" if config.sms_url else config.sms_dir, "sans objet")),
        ("PORTE_VOIX_ALLOWED_ORIGINS", shown(", ".join(config.allowed_origins), "même origine")),
        (
            "PORTE_VOIX_TRUSTED_PROXIES",
            shown(
                ", ".join(str(network) for network in config.trusted_proxies),
                "aucun : le client est l'adresse de la connexion",
            ),
        ),
        ("PORTE_VOIX_UPLOADS", config.uploads),
        ("PORTE_VOIX_RATE_LIMIT", config.rate_limit),
        ("PORTE_VOIX_RATE_WINDOW", config.rate_window_seconds),
        ("PORTE_VOIX_ATTEMPT_LIMIT", config.attempt_limit),
        ("PORTE_VOIX_PLACES_PER_CONNECTION", config.places_per_connection),
        ("PORTE_VOIX_BODY_TIMEOUT", config.body_timeout_seconds),
        ("PORTE_VOIX_MIN_FILL_SECONDS", config.min_fill_seconds),
        ("PORTE_VOIX_WORKER_INTERVAL", config.worker_interval_seconds),
    ]
    click.echo("Réglages du serveur des formulaires :")
    for name, value in lines:
        click.echo(f"  {name} : {value}")
    organisation = read_organisation(config.site_dir)
    click.echo(f"Coordonnées de la Mission Locale ({config.site_dir / ORGANISATION_FILE}) :")
    for label, value in (
        ("nom", organisation.name),
        ("téléphone", organisation.phone),
        ("adresse", organisation.address),
        ("e-mail", organisation.email),
    ):
        click.echo(f"  {label} : {value or 'manquant'}")
    missing = missing_settings(config)
    held = held_reason(organisation)
    if held:
        missing.append(held)
    missing += unnamed_recipients(
        organisation,
        {
            "courriel": bool(config.smtp_url),
            "webhook": bool(config.webhook_url),
            "sms": bool(config.sms_url),
        },
    )
    if missing:
        click.echo("\nIl manque :", err=True)
        for line in missing:
            click.echo(f"  - {line}", err=True)
        sys.exit(1)
    click.echo("\nTout est réglé pour la mise en ligne.")


@forms.command(help="Transfère maintenant les demandes en attente (pour cron).")
def forward() -> None:
    """Deliver every due outbox row once."""
    config = _config()
    store = _store(config)
    report = Forwarder(store, config, EventCatalogue(config.site_dir)).deliver_due()
    letters = LetterPost(ContributionStore(store), config).deliver_due()
    click.echo(
        f"Envoyés : {report.sent + letters.sent}. Reportés : {report.retried + letters.retried}. "
        f"En échec définitif : {report.dead + letters.dead}."
    )


@forms.command(
    help="Envoie à la conseillère la liste des demandes de la semaine pas encore rappelées "
    "(à lancer chaque lundi par cron)."
)
@click.option(
    "--days", default=7, show_default=True, type=click.IntRange(1, 3650), help="Jours couverts."
)
def digest(days: int) -> None:
    """Mail the digest to the counsellor (SMTP, else the local Maildir)."""
    config = _config()
    if any(line.startswith("PORTE_VOIX_COUNSELLOR_EMAIL") for line in missing_settings(config)):
        raise click.ClickException(
            "PORTE_VOIX_COUNSELLOR_EMAIL n'est pas réglée : à qui envoyer la liste ?"
        )
    store = _store(config)
    since = datetime.now(UTC) - timedelta(days=days)
    waiting = waiting_since(store, since)
    message = digest_email(
        waiting,
        waiting_before(store, since),
        since,
        sender=config.mail_from,
        recipient=config.counsellor_email,
    )
    try:
        send_email(message, config.counsellor_email, config.smtp_url, config.maildir)
    except (DeliveryFailure, OSError) as error:
        raise click.ClickException(
            f"l'envoi a échoué ({error}) : vérifie PORTE_VOIX_SMTP_URL, puis relance"
        ) from None
    click.echo(f"Liste envoyée : {len(waiting)} demande(s) à rappeler.")


@forms.command(help="Note que le ou la jeune de ces demandes a été rappelé·e (RÉF : 8 caractères).")
@click.argument("references", nargs=-1, required=True)
def done(references: tuple[str, ...]) -> None:
    """Mark requests as called back."""
    store = _store(_config())
    failed = False
    for reference in references:
        try:
            mark_called_back(store, reference)
            click.echo(f"{reference} : noté comme rappelé.")
        except UnknownRequest as error:
            click.echo(f"{reference} : {error}.", err=True)
            failed = True
    if failed:
        sys.exit(1)


def _sign_ups(event_id: str, references: tuple[str, ...]) -> tuple[Store, Seats, list[str]]:
    """The store, the places of the published events, and the sign-ups the references name
    (all or nothing: a French error for each one that names none)."""
    config = _config()
    events = EventCatalogue(config.site_dir)
    if events.get(event_id) is None:
        raise click.ClickException(
            f"aucun événement « {printable(event_id)} » sur le site publié ({config.site_dir})"
        )
    store = _store(config)
    found, problems = resolve(store.connection(), event_id, references)
    for problem in problems:
        click.echo(f"Erreur : {printable(problem)}.", err=True)
    if problems:
        raise click.ClickException("rien n'a été fait : corrige ces références, puis relance")
    return store, Seats(store, events), [row["id"] for row in found]


@forms.command(
    help="Libère des inscriptions fausses (de faux numéros qui remplissent les places) : rien "
    "n'est plus envoyé à ces numéros ou adresses, personne n'est prévenu, et les places vont à "
    "la liste d'attente. Les références (RÉF) sont dans le courriel de chaque inscription."
)
@click.argument("event_id", metavar="ÉVÉNEMENT")
@click.argument("references", nargs=-1, required=True, metavar="RÉF...")
def liberer(event_id: str, references: tuple[str, ...]) -> None:
    """Free sign-ups judged false, sending nothing to them."""
    _, seats, ids = _sign_ups(event_id, references)
    freed = seats.release(ids, datetime.now(UTC))
    click.echo(f"Inscriptions libérées : {freed} (déjà libérées avant : {len(ids) - freed}).")


@forms.command(
    help="Confirme des inscriptions mises de côté (même numéro deux fois, ou beaucoup "
    "d'inscriptions depuis une même connexion) : elles avancent sur la liste d'attente comme "
    "les autres, et reçoivent une place tout de suite s'il en reste."
)
@click.argument("event_id", metavar="ÉVÉNEMENT")
@click.argument("references", nargs=-1, required=True, metavar="RÉF...")
def confirmer(event_id: str, references: tuple[str, ...]) -> None:
    """Lift the hold of sign-ups judged true."""
    store, seats, ids = _sign_ups(event_id, references)
    lifted = seats.confirm(ids, datetime.now(UTC))
    click.echo(f"Inscriptions confirmées : {lifted} (non mises de côté : {len(ids) - lifted}).")
    taken = sum(1 for i in ids if (store.submission(i) or {}).get("status") == "inscrit")
    click.echo(f"Avec une place maintenant : {taken} ; les autres attendent leur tour.")


def printable(text: str) -> str:
    """``text`` safe for the terminal: a control or invisible character (an escape sequence, a
    bidi override) is shown as its code, never acted on."""
    return "".join(c if c.isprintable() else f"<U+{ord(c):04X}>" for c in text)


@forms.command(
    help="Note qui est venu à un événement : les références (RÉF) de la feuille d'émargement, "
    "et le nombre de personnes venues sans inscription. Relancer la même commande ne compte "
    "personne deux fois."
)
@click.argument("event_id", metavar="ÉVÉNEMENT")
@click.argument("references", nargs=-1, metavar="[RÉF]...")
@click.option(
    "--sans-inscription",
    "walk_ins",
    type=click.IntRange(0, 10_000),
    default=None,
    help="Combien de personnes sont venues sans inscription, en tout (remplace le nombre noté avant).",
)
def presence(event_id: str, references: tuple[str, ...], walk_ins: int | None) -> None:
    """Record the sign-ups who came and the number of walk-ins, all or nothing."""
    config = _config()
    shown = printable(event_id)
    event = EventCatalogue(config.site_dir).get(event_id)
    if event is None:
        raise click.ClickException(
            f"aucun événement « {shown} » sur le site publié ({config.site_dir}) : écris "
            "l'identifiant de l'événement (le nom de son fichier dans content/evenements/, sans .md)"
        )
    if not references and walk_ins is None:
        raise click.UsageError("donne au moins une référence (RÉF) ou --sans-inscription N")
    _check_held(event, shown)
    try:
        done = record_presence(_store(config), event_id, references, walk_ins)
    except UnknownReference as error:
        for problem in error.problems:
            click.echo(f"Erreur : {printable(problem)}.", err=True)
        raise click.ClickException(
            "rien n'a été noté : corrige ces références, puis relance"
        ) from None
    click.echo(f"Présences notées pour « {shown} » : {len(done.new)} nouvelle(s).")
    if done.already:
        click.echo(f"Déjà notées avant (pas comptées deux fois) : {len(done.already)}.")
    if done.from_waiting_list:
        click.echo(
            f"Venues alors qu'elles étaient sur la liste d'attente : {len(done.from_waiting_list)} "
            "(comptées avec les personnes venues sans place réservée)."
        )
    if done.walk_ins is not None:
        click.echo(f"Personnes venues sans inscription : {done.walk_ins}.")


def _check_held(event: PublicEvent, shown: str) -> None:
    """Refuse an event nobody can have come to yet (a mistyped identifier would count people
    at the wrong event, and the report would show it as held)."""
    start = event.starts
    if start is None:
        raise click.ClickException(
            f"« {shown} » est annulé (ou reporté sans date) : personne n'a pu y venir, rien "
            "n'a été noté"
        )
    if datetime.now(UTC) < start:
        raise click.ClickException(
            f"« {shown} » n'a pas encore commencé (il commence le {french_when(start)}) : "
            "rien n'a été noté ; note les présences le jour de l'événement ou après"
        )


def _sms_budget(store: Store, per_day: int) -> str:
    """The day's SMS budget as the worker counts it (outbox/sms_budget.py), from the outbox."""
    spent = len(sms_spent_since(store.connection(), datetime.now(UTC) - SMS_WINDOW)[0])
    line = f"SMS des dernières 24 heures : {spent} sur {per_day} (PORTE_VOIX_SMS_PER_DAY)"
    if spent >= per_day:
        line += " : plafond atteint, les SMS attendent qu'il repasse dessous"
    return line


@forms.command(help="Montre l'état des envois : en attente, envoyés, en échec, spams écartés.")
def status() -> None:
    """Outbox counts and dead letters, without personal data."""
    config = _config()
    store = _store(config)
    summary = store.outbox_summary()
    click.echo(f"Demandes reçues : {sum(store.counts('form').values())}")
    click.echo(f"Envois en attente : {summary.get('pending', 0)}")
    click.echo(f"Envois réussis : {summary.get('sent', 0)}")
    click.echo(f"Envois en échec définitif : {summary.get('dead', 0)}")
    sms = store.sms_summary()
    click.echo(
        f"SMS : {sms.get('sent', 0)} envoyé(s), {sms.get('pending', 0)} en attente, "
        f"{sms.get('dead', 0)} en échec définitif"
    )
    click.echo(_sms_budget(store, config.sms_per_day))
    click.echo(f"Spams écartés : {store.spam_count()}")
    contributions = ContributionStore(store)
    waiting = contributions.counts()
    letters = contributions.letter_counts()
    click.echo(
        f"Contributions à relire : {waiting.get(TO_REVIEW, 0)} "
        f"(et {waiting.get(AWAITING_GUARDIAN, 0)} en attente de l'accord d'un parent)"
    )
    click.echo(
        f"Lettres aux parents et aux contributeurs : {letters.get('pending', 0)} en attente, "
        f"{letters.get('dead', 0)} en échec définitif"
    )
    now = datetime.now(UTC)
    at = next_purge(store, now)
    when = "au démarrage du serveur" if at <= now else f"le {at.astimezone(PARIS):%d/%m/%Y à %H:%M}"
    click.echo(f"Prochaine purge (faite par le serveur) : {when}")
    click.echo(f"  elle effacera : {expected(store, at, config.sms_dir)}")
    held = held_reason(read_organisation(config.site_dir))
    waiting_parents = contributions.pending_parent_letters()
    if held and waiting_parents:
        click.echo(f"{waiting_parents} lettre(s) aux parents retenue(s) : {held}")
    dead = store.dead_letters()
    if dead:
        click.echo("\nEn échec définitif (relancer avec « porte-voix forms retry ») :")
        for row in dead:
            click.echo(
                f"  n°{row['id']} {row['target']} — {row['form']} du {row['created_at'][:16]} — {row['attempts']} essai(s) — {row['last_error']}"
            )


@forms.command(help="Relance tous les envois en échec définitif.")
def retry() -> None:
    """Put dead letters back in the queue and deliver them now."""
    config = _config()
    store = _store(config)
    count = store.retry_dead()
    contributions = ContributionStore(store)
    count += contributions.retry_dead_letters()
    LetterPost(contributions, config).deliver_due()
    report = Forwarder(store, config, EventCatalogue(config.site_dir)).deliver_due()
    click.echo(
        f"Relancés : {count}. Envoyés : {report.sent}. Reportés : {report.retried}. En échec : {report.dead}."
    )


@forms.command(help="Exporte toutes les demandes dans un fichier CSV (tableur).")
@click.option(
    "--csv",
    "target",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Le fichier à écrire.",
)
def export(target: Path) -> None:
    """Write every submission to a CSV file."""
    count = export_csv(_store(_config()).submissions(), target)
    click.echo(f"{count} demande(s) exportée(s) dans {target}.")
    click.echo(
        "Ce fichier contient des données personnelles : toi seul·e peux le lire, et le serveur ne "
        f"l'efface pas. Supprime-le dès qu'il a servi ({retention.french_duration(retention.SUBMISSIONS)} "
        "au plus après le dernier contact)."
    )


def parse_age(text: str) -> timedelta:
    """``3y``, ``18m`` or ``90d`` (also ``3a`` and ``90j`` in French) as a duration."""
    match = re.fullmatch(r"(\d+)\s*([ymdaj])", text.strip().lower())
    if not match:
        raise click.BadParameter("écris une durée comme 3y (ans), 18m (mois) ou 90d (jours)")
    number, unit = int(match[1]), match[2]
    days = {"y": 365, "a": 365, "m": 30, "d": 1, "j": 1}[unit]
    return timedelta(days=number * days)


@forms.command(
    help="Efface maintenant ce qui a passé sa durée de conservation (le serveur le fait aussi "
    "chaque jour) ; --older-than efface plus tôt les demandes sans contact."
)
@click.option(
    "--older-than",
    "older_than",
    default=None,
    help=f"Par exemple 1y ; au plus {retention.french_duration(retention.SUBMISSIONS)} "
    "(la durée annoncée aux jeunes).",
)
def purge(older_than: str | None) -> None:
    """Retention: delete what is past its age now (``retention.py``)."""
    now = datetime.now(UTC)
    before = now - min(parse_age(older_than), retention.SUBMISSIONS) if older_than else None
    config = _config()
    removed = purge_expired(
        _store(config), config.uploads, now, submissions_before=before, sms_dir=config.sms_dir
    )
    click.echo(f"Effacés : {removed}.")


@forms.command(
    help="Compte les demandes par formulaire, événement, commune et source (sans donnée personnelle)."
)
def stats() -> None:
    """Counts only."""
    store = _store(_config())
    titles = {
        "form": "Par formulaire",
        "event_id": "Par événement",
        "commune": "Par commune",
        "source": "Par source",
        "status": "Par statut",
    }
    for column, title in titles.items():
        click.echo(f"{title} :")
        for value, count in store.counts(column).items():
            click.echo(f"  {value or '—'} : {count}")


def main() -> None:
    """Run the group directly (``python -m forms_backend``)."""
    forms(prog_name="porte-voix forms")


if __name__ == "__main__":
    sys.exit(main())

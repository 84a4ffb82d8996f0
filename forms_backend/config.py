"""Backend settings, read once from environment variables with explicit types.

Secrets never live in the repository: they come from the environment (or, for the embedded
default, a random secret kept in the database).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from forms_backend.intake.proxies import IPNetwork, parse_networks
from forms_backend.validator.addresses import PLAIN_ADDRESS

# Where the backend answers, on the site's own origin; the forms' actions, the script and the
# reverse proxy's rule all use it. Fixed: a setting that moved only one of them broke every form.
FORMS_PATH = "/formulaires"


class ConfigError(ValueError):
    """An environment variable has a value the backend cannot use (message in French)."""


@dataclass(frozen=True)
class BackendConfig:
    """Everything the backend needs; see the README for each variable."""

    database: Path = Path(".cache/porte-voix/formulaires.sqlite3")
    site_dir: Path = Path("site")
    smtp_url: str | None = None
    mail_from: str = "porte-voix@localhost"
    counsellor_email: str = "conseillere@localhost"
    maildir: Path = Path(".cache/porte-voix/courriels")
    webhook_url: str | None = None
    webhook_secret: str | None = None
    sms_url: str | None = None  # Brevo's API base, e.g. https://api.brevo.com; none: files
    sms_key: str | None = field(default=None, repr=False)  # never printed
    sms_sender: str = "PorteVoix"
    sms_per_day: int = 1000  # SMS in any 24 hours, past which they wait (outbox/sms_budget.py)
    sms_dir: Path = Path(".cache/porte-voix/sms")
    allowed_origins: tuple[str, ...] = ()
    secret: str | None = None
    # A workshop: thirty young people on one Wi-Fi (one public address) each send a call-back
    # request and some a testimonial or a sign-up within ten minutes. So 60 accepted forms per
    # address and window; the attempts (refused forms included: the confirmation step, a box not
    # ticked, a typo) have their own, larger budget, so correcting a form never eats the first.
    rate_limit: int = 60
    # Places one connection may take at one event in 24 h before the next wait for the
    # counsellor (intake/place_guard.py).
    places_per_connection: int = 6
    attempt_limit: int = 300
    rate_window_seconds: int = 600
    min_fill_seconds: float = 3.0
    max_body_bytes: int = 16_384
    body_timeout_seconds: float = 30.0  # a whole body, even from a weak phone signal, or 408
    trusted_proxies: tuple[IPNetwork, ...] = ()  # peers whose X-Forwarded-For is believed
    worker_interval_seconds: float = 5.0
    forms_path: str = FORMS_PATH
    public_url: str = "http://127.0.0.1:8000"  # the site's address, for links in e-mails
    uploads: Path = Path(".cache/porte-voix/contributions")  # outside the web root
    # A contribution's whole body. Far above the 10 MB photo limit on purpose: a heavier photo
    # is read past (not kept) so that the form comes back with everything typed; past this, 413.
    max_upload_bytes: int = 64 * 1024 * 1024

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> BackendConfig:
        """Read ``PORTE_VOIX_*`` variables; unset ones keep the embedded defaults."""
        env = os.environ if environ is None else environ

        def text(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        def number(name: str, default: float, kind: type = int) -> float:
            raw = text(name)
            if raw is None:
                return default
            try:
                return kind(raw)
            except ValueError:
                raise ConfigError(f"{name} doit être un nombre (il vaut « {raw} »)") from None

        smtp_url = text("PORTE_VOIX_SMTP_URL")
        if smtp_url and urlsplit(smtp_url).scheme not in ("smtp", "smtps"):
            raise ConfigError("PORTE_VOIX_SMTP_URL doit commencer par smtp:// ou smtps://")
        webhook_url = text("PORTE_VOIX_WEBHOOK_URL")
        webhook_secret = text("PORTE_VOIX_WEBHOOK_SECRET")
        if webhook_url and not webhook_secret:
            raise ConfigError(
                "PORTE_VOIX_WEBHOOK_SECRET est obligatoire quand PORTE_VOIX_WEBHOOK_URL est donné"
            )
        sms_url, sms_key, sms_sender = _sms_settings(text)
        origins = tuple(
            o.strip().rstrip("/")
            for o in (text("PORTE_VOIX_ALLOWED_ORIGINS") or "").split(",")
            if o.strip()
        )
        counsellor_email = text("PORTE_VOIX_COUNSELLOR_EMAIL") or cls.counsellor_email
        if not PLAIN_ADDRESS.fullmatch(counsellor_email):
            # Each e-mail goes to exactly the one address given (the SMTP envelope says so).
            raise ConfigError(
                "PORTE_VOIX_COUNSELLOR_EMAIL doit être une seule adresse, sans nom ni espace "
                "(par exemple : conseillere@mission-locale.fr)"
            )
        mail_from = text("PORTE_VOIX_MAIL_FROM") or cls.mail_from
        if not PLAIN_ADDRESS.fullmatch(parseaddr(mail_from)[1]):
            raise ConfigError(
                "PORTE_VOIX_MAIL_FROM doit être une adresse, avec un nom si besoin "
                '(par exemple : "Mission Locale, Aller vers" <porte-voix@mission-locale.fr>)'
            )
        database = Path(text("PORTE_VOIX_DB") or cls.database)
        try:
            proxies = parse_networks(text("PORTE_VOIX_TRUSTED_PROXIES") or "")
        except ValueError as error:
            raise ConfigError(
                "PORTE_VOIX_TRUSTED_PROXIES doit être une liste d'adresses IP ou de réseaux "
                f"séparés par des virgules, par exemple 127.0.0.1,10.0.0.0/8 ({error})"
            ) from None
        if number("PORTE_VOIX_PLACES_PER_CONNECTION", cls.places_per_connection) < 1:
            raise ConfigError(
                "PORTE_VOIX_PLACES_PER_CONNECTION doit valoir au moins 1 (les places qu'une même "
                "connexion peut prendre à un événement avant l'accord de la conseillère)"
            )
        if number("PORTE_VOIX_SMS_PER_DAY", cls.sms_per_day) < 1:
            raise ConfigError(
                "PORTE_VOIX_SMS_PER_DAY doit valoir au moins 1 (les SMS qui peuvent partir en "
                "24 heures, au-delà desquels ils attendent)"
            )
        return cls(
            database=database,
            site_dir=Path(text("PORTE_VOIX_SITE_DIR") or cls.site_dir),
            smtp_url=smtp_url,
            mail_from=mail_from,
            counsellor_email=counsellor_email,
            maildir=Path(text("PORTE_VOIX_MAILDIR") or database.parent / "courriels"),
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            sms_url=sms_url,
            sms_key=sms_key,
            sms_sender=sms_sender or cls.sms_sender,
            sms_per_day=int(number("PORTE_VOIX_SMS_PER_DAY", cls.sms_per_day)),
            sms_dir=Path(text("PORTE_VOIX_SMS_DIR") or database.parent / "sms"),
            allowed_origins=origins,
            secret=text("PORTE_VOIX_SECRET"),
            public_url=(text("PORTE_VOIX_PUBLIC_URL") or cls.public_url).rstrip("/"),
            uploads=Path(text("PORTE_VOIX_UPLOADS") or database.parent / "contributions"),
            rate_limit=int(number("PORTE_VOIX_RATE_LIMIT", cls.rate_limit)),
            places_per_connection=int(
                number("PORTE_VOIX_PLACES_PER_CONNECTION", cls.places_per_connection)
            ),
            attempt_limit=int(number("PORTE_VOIX_ATTEMPT_LIMIT", cls.attempt_limit)),
            body_timeout_seconds=float(
                number("PORTE_VOIX_BODY_TIMEOUT", cls.body_timeout_seconds, float)
            ),
            trusted_proxies=proxies,
            rate_window_seconds=int(number("PORTE_VOIX_RATE_WINDOW", cls.rate_window_seconds)),
            min_fill_seconds=float(
                number("PORTE_VOIX_MIN_FILL_SECONDS", cls.min_fill_seconds, float)
            ),
            worker_interval_seconds=float(
                number("PORTE_VOIX_WORKER_INTERVAL", cls.worker_interval_seconds, float)
            ),
        )


# What Brevo accepts as a sender: 11 letters and digits (not only digits), or a number of up to
# 15 digits (see outbox/sms.py for the documentation read).
SMS_SENDER = re.compile(r"(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{1,11}|[0-9]{1,15}")


def _sms_settings(text: Callable[[str], str | None]) -> tuple[str | None, str | None, str | None]:
    """``PORTE_VOIX_SMS_URL``, ``_KEY`` and ``_SENDER``, checked (the key is never quoted)."""
    url, key, sender = (text(f"PORTE_VOIX_SMS_{name}") for name in ("URL", "KEY", "SENDER"))
    parts = urlsplit(url or "")
    local = parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")
    if url and parts.scheme != "https" and not local:  # the key never travels in clear
        raise ConfigError(
            "PORTE_VOIX_SMS_URL doit commencer par https://, par exemple https://api.brevo.com"
        )
    if bool(url) != bool(key):
        raise ConfigError(
            "PORTE_VOIX_SMS_URL et PORTE_VOIX_SMS_KEY vont ensemble : donnez les deux, ou aucun"
        )
    if url and not sender:
        raise ConfigError(
            "PORTE_VOIX_SMS_SENDER est obligatoire quand PORTE_VOIX_SMS_URL est donné"
        )
    if sender and not SMS_SENDER.fullmatch(sender):
        shown = "".join(c if c.isprintable() else "?" for c in sender)  # printed in a terminal
        raise ConfigError(
            f"PORTE_VOIX_SMS_SENDER vaut « {shown} » : il faut 11 lettres ou chiffres au plus, "
            "sans espace ni accent (par exemple : MissionLoc), ou un numéro de 15 chiffres au plus"
        )
    return url, key, sender


def is_loopback(host: str) -> bool:
    """True for 127.0.0.1, ::1 and ``localhost``: only this computer can reach the server."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host.strip().lower() == "localhost"


def served_at(
    config: BackendConfig, host: str, port: int, environ: Mapping[str, str] = os.environ
) -> BackendConfig:
    """The settings of a server listening on ``host:port``: without ``PORTE_VOIX_PUBLIC_URL``,
    the links it writes (free a place, a parent's letter) point to this very server — not to
    the default port 8000 where nothing may answer."""
    if (environ.get("PORTE_VOIX_PUBLIC_URL") or "").strip():
        return config
    shown = host.strip().strip("[]")
    if shown in ("", "0.0.0.0", "::"):  # every interface: this computer reaches it on loopback
        shown = "127.0.0.1"
    if ":" in shown:
        shown = f"[{shown}]"
    return replace(config, public_url=f"http://{shown}:{port}")


def missing_settings(config: BackendConfig) -> list[str]:
    """What a server reachable by others needs and does not have, one French line per variable.

    The embedded defaults only make sense on this computer: a parent's link to 127.0.0.1, mail
    sent from or to ``…@localhost``."""
    missing = []
    if is_loopback(urlsplit(config.public_url).hostname or "localhost"):
        missing.append(
            f"PORTE_VOIX_PUBLIC_URL : l'adresse publique du site (elle vaut {config.public_url}), "
            "pour le lien envoyé aux parents — par exemple https://www.mission-locale.fr"
        )
    elif urlsplit(config.public_url).scheme != "https":
        # The parent's one-time link travels in it: over http, anyone on the way can answer.
        missing.append(
            f"PORTE_VOIX_PUBLIC_URL : l'adresse publique du site doit commencer par https:// "
            f"(elle vaut {config.public_url}) : le lien envoyé aux parents passe par elle"
        )
    if not config.smtp_url:
        missing.append(
            "PORTE_VOIX_SMTP_URL : le serveur de courriel — sans lui, les e-mails à la "
            f"conseillère et aux parents restent dans le dossier {config.maildir} et personne "
            "ne les reçoit"
        )
    if _local_domain(parseaddr(config.mail_from)[1]):
        missing.append(
            f"PORTE_VOIX_MAIL_FROM : l'adresse qui envoie les e-mails (elle vaut "
            f"{config.mail_from}) — une adresse de votre domaine, pas « localhost »"
        )
    if _local_domain(config.counsellor_email):
        missing.append(
            f"PORTE_VOIX_COUNSELLOR_EMAIL : l'adresse de la conseillère qui reçoit les demandes "
            f"(elle vaut {config.counsellor_email})"
        )
    if not config.smtp_url:
        # The local Maildir is for trying the kit: on a server nobody reads it, and no purge
        # empties it, so every request would stay there, on disk, past its retention period.
        missing.append(
            f"PORTE_VOIX_SMTP_URL : le serveur de courriel — sans lui, les demandes restent dans "
            f"{config.maildir} sur le serveur : la conseillère ne les reçoit pas et rien ne les "
            "efface"
        )
    return missing


def serving_refusal(config: BackendConfig, host: str) -> str | None:
    """Why a server on ``host`` must not start (one French message naming every missing
    variable), or ``None``. On loopback it starts anyway: that is how one tries the site."""
    missing = missing_settings(config)
    if is_loopback(host) or not missing:
        return None
    lines = "\n".join(f"  - {line}" for line in missing)
    return (
        f"le serveur ne démarre pas sur {host} : ces réglages manquent.\n{lines}\n"
        "Règle ces variables d'environnement (voir le README, « En production »), puis relance. "
        "« porte-voix forms check » montre tous les réglages."
    )


def _local_domain(address: str) -> bool:
    domain = address.rpartition("@")[2].strip().lower().rstrip(".")
    return not domain or domain == "localhost" or domain.endswith(".localhost")


def masked_url(url: str | None) -> str | None:
    """``url`` with its password and query hidden (they may hold secrets)."""
    if not url:
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        user = parts.username or ""
        netloc = f"{user}:{SECRET_MASK}@{netloc.rpartition('@')[2]}"
    query = SECRET_MASK if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


SECRET_MASK = "••••••"

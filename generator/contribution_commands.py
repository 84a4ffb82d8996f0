"""``porte-voix contributions list | show ID | accept ID | reject ID | withdraw FILE``: staff
read what young people sent through the « Participe » page, then publish it as a content file,
or not; and take a testimonial down when its consent is withdrawn."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from forms_backend.config import BackendConfig, ConfigError
from forms_backend.contributions.jpeg_segments import JpegError, strip_metadata
from forms_backend.contributions.store import (
    AWAITING_GUARDIAN,
    OTHER_PARENT_AGREES,
    SOLE_AUTHORITY,
    TO_REVIEW,
    Contribution,
    ContributionStore,
)
from forms_backend.store.database import Store
from forms_backend.store.fingerprints import address_fingerprint

from .content.contributed import CleanText, body_text, plain_text
from .content.fields import PARIS
from .content.frontmatter import read_document
from .content.problems import FileProblems, Problems
from .content.scaffold import CONSENT_YEARS, write_content_file, years_later
from .content.testimonials import (
    ADULT_AGE,
    PARENT_ALONE,
    PARENT_PROOF,
    PARENT_WITH_OTHER,
    PERSON,
    TESTIMONIALS_DIR,
)
from .content.writing import paragraphs, passage_hints
from .slugs import slugify
from .terminal import terminal_text

if TYPE_CHECKING:
    from .cli import Project

KINDS = {"temoignage": "témoignage", "evenement": "événement"}
# What a parent declared on the consent page, as the content file records it.
PARENT_CONSENTS = {OTHER_PARENT_AGREES: PARENT_WITH_OTHER, SOLE_AUTHORITY: PARENT_ALONE}
STATUSES = {TO_REVIEW: "à relire", AWAITING_GUARDIAN: "attend l'accord d'un parent"}


def register_contribution_commands(
    group: click.Group, load_project: Callable[[str], Project], config_option: Any
) -> None:
    """Add the ``contributions`` group to the ``porte-voix`` command."""

    @group.group(help="Relire les contributions envoyées par le site, puis les publier ou non.")
    def contributions() -> None:
        """The ``contributions`` command group."""

    @contributions.command(name="list", help="Liste les contributions qui attendent.")
    def list_command() -> None:
        """One line per contribution."""
        found = _contributions().all()
        if not found:
            click.echo("Aucune contribution en attente.")
        for item in found:
            title = item.fields.get("titre") or item.fields.get("prenom", "")
            click.echo(
                f"{item.id[:8]}  {item.created_at[:10]}  {KINDS[item.kind]:<11}  "
                f"{STATUSES.get(item.status, item.status):<28}  "
                + terminal_text(title, multiline=False)
            )

    @contributions.command(help="Montre une contribution en entier, avec des conseils d'écriture.")
    @click.argument("ident")
    @config_option
    def show(ident: str, config_file: str) -> None:
        """Everything staff need to decide."""
        item = _one(_contributions(), ident)
        click.echo(
            f"{KINDS[item.kind].capitalize()} n° {item.id} — {STATUSES.get(item.status, item.status)}"
        )
        click.echo(f"Reçu le {item.created_at[:16].replace('T', ' à ')} (UTC)")
        for key, value in item.fields.items():
            key, value = terminal_text(key, multiline=False), terminal_text(value)
            click.echo(
                f"\n{key} :\n{value}" if "\n" in value or len(value) > 60 else f"{key} : {value}"
            )
        if item.photo:
            consent = "publication acceptée" if item.photo_consent else "publication refusée"
            click.echo(f"photo : oui ({consent})")
        if item.guardian_email:
            confirmed = item.guardian_confirmed_at or "pas encore"
            address = terminal_text(item.guardian_email, multiline=False)
            declared = PARENT_CONSENTS.get(item.guardian_declaration or "")
            click.echo(
                f"accord du parent ({address}) : {confirmed}"
                + (f" — {declared}" if declared else "")
            )
        rules = load_project(config_file).settings.writing
        hints = [
            f"{key} : {message} — {fix}"
            for key in ("titre", "citation", "recit", "description")
            if item.fields.get(key)
            for passage in paragraphs(item.fields[key], 1)
            for _, message, fix in passage_hints(passage, rules)
        ]
        if hints:
            click.echo("\nConseils d'écriture (à proposer à la personne, ou à corriger) :")
            for hint in hints:
                click.echo(f"  {terminal_text(hint, multiline=False)}")

    @contributions.command(help="Publie une contribution : écrit le fichier dans content/.")
    @click.argument("ident")
    @config_option
    def accept(ident: str, config_file: str) -> None:
        """Write the content file (and photo), delete the contribution, tell the contributor."""
        backend = _backend()
        store = ContributionStore(_open(backend))
        item = _one(store, ident)
        if item.status != TO_REVIEW:
            raise click.ClickException(
                "un parent n'a pas encore donné son accord : cette contribution ne peut pas être publiée"
            )
        if _minor(item) and item.guardian_declaration not in PARENT_CONSENTS:
            raise click.ClickException(
                "le parent a donné son accord sans dire s'il exerce seul l'autorité parentale "
                "ou si l'autre parent est d'accord (version précédente de la page) : fais signer "
                "l'autorisation papier par les deux parents, ou refuse cette contribution"
            )
        content = load_project(config_file).docs_dir
        fields = _Fields(item.fields)
        if item.kind == "temoignage":
            guardian = (
                address_fingerprint(store.store, item.guardian_email)
                if item.guardian_email
                else None
            )
            written = _write_testimonial(content, item, fields, backend.uploads, guardian)
        else:
            written = [_write_event(content, item, fields)]
        notice = None
        if item.contributor_email:
            notice = (
                item.contributor_email,
                "Ta contribution va être publiée",
                "Bonjour,\n\nMerci ! Ta contribution a été relue. Elle sera en ligne sur le site de "
                "la Mission Locale à la prochaine mise à jour.\n\nL'équipe « Aller vers »",
            )
        store.remove(item.id, notice)
        if item.photo:
            (backend.uploads / item.photo).unlink(missing_ok=True)
        relative = [str(path.relative_to(content.parent)) for path in written]
        click.echo(f"C'est écrit : {', '.join(relative)}")
        for key, count in fields.removed.items():
            click.echo(
                f"Attention : {count} caractère(s) invisible(s) retiré(s) de « {key} » "
                "(commandes de terminal ou inversion du sens du texte). Relis ce texte dans le "
                "fichier avant de publier."
            )
        reloaded = load_project(config_file)
        problems = [str(p) for p in reloaded.problems if Path(p.path).name == written[0].name]
        if problems:
            click.echo("À corriger avant de publier :\n" + terminal_text("\n".join(problems)))
        click.echo("Pour publier :")
        click.echo(f"  git add {' '.join(relative)}")
        # No first name in a commit message: erasing a file from git's history keeps messages.
        click.echo('  git commit -m "Publie une contribution"')
        click.echo("  git push")

    @contributions.command(
        help="Montre l'empreinte d'une adresse e-mail : si elle est dans la ligne « preuve » "
        "d'un témoignage, c'est à cette adresse que le lien d'accord a été envoyé."
    )
    @click.argument("adresse")
    def empreinte(adresse: str) -> None:
        """Print the fingerprint a testimonial's proof line would hold for this address."""
        fingerprint = address_fingerprint(_open(_backend()), adresse)
        click.echo(f"Empreinte de cette adresse : {fingerprint}")

    @contributions.command(
        help="Retire un témoignage publié (consentement retiré) : efface son fichier et sa "
        "photo de content/, puis dit comment publier le retrait."
    )
    @click.argument("fichier", type=click.Path(path_type=Path))
    def withdraw(fichier: Path) -> None:
        """Remove the testimonial and its photo, and say which git commands publish it."""
        removed = [_shown(path) for path in withdraw_testimonial(fichier)]
        click.echo(f"Retiré de content/ : {', '.join(removed)}.")
        click.echo("Pour publier le retrait :")
        click.echo(f"  git rm --quiet {' '.join(removed)}")
        click.echo('  git commit -m "Retire un témoignage (accord retiré)"')
        click.echo("  git push")
        click.echo(
            "Puis reconstruis le site (porte-voix build) et mets-le en ligne comme d'habitude : "
            "tant que ce n'est pas fait, le témoignage reste visible sur le site publié."
        )
        click.echo(
            "Cette construction efface aussi du cache (.cache/porte-voix/) la photo "
            "redimensionnée et l'image de partage ; la construction d'avant, gardée dans "
            ".site-builds/ pour revenir en arrière, les garde jusqu'à la construction suivante."
        )
        click.echo(
            "L'historique de git garde les anciennes versions du fichier et de la photo : "
            "pour les effacer aussi, la personne qui gère le dépôt suit le README, « Effacer une "
            "photo ou un témoignage de l'historique git »."
        )

    @contributions.command(help="Refuse une contribution : elle est effacée, avec sa photo.")
    @click.argument("ident")
    @click.option(
        "--why",
        "why",
        default="",
        help="La raison, dite à la personne si elle a laissé son e-mail.",
    )
    def reject(ident: str, why: str) -> None:
        """Delete it and tell the contributor."""
        backend = _backend()
        store = ContributionStore(_open(backend))
        item = _one(store, ident)
        notice = None
        if item.contributor_email:
            reason = f"\n\nLa raison : {why}" if why else ""
            notice = (
                item.contributor_email,
                "Ta contribution n'a pas été publiée",
                "Bonjour,\n\nMerci pour ta contribution. L'équipe l'a lue, mais elle ne sera pas "
                f"publiée.{reason}\n\nTu peux en envoyer une autre quand tu veux.\n\nL'équipe « Aller vers »",
            )
        store.remove(item.id, notice)
        if item.photo:
            (backend.uploads / item.photo).unlink(missing_ok=True)
        click.echo(
            "Contribution refusée et effacée."
            + (" La personne sera prévenue par e-mail." if notice else "")
        )


def withdraw_testimonial(path: Path) -> list[Path]:
    """Delete a published testimonial's file and its photo from ``content/``; returns them."""
    if path.suffix != ".md" or path.parent.name != TESTIMONIALS_DIR or not path.is_file():
        raise click.ClickException(
            f"« {path} » n'est pas un témoignage : donne le fichier .md du dossier "
            f"content/{TESTIMONIALS_DIR}/, par exemple content/{TESTIMONIALS_DIR}/lea.md"
        )
    problems = Problems(path.parent.parent)
    document = read_document(path, FileProblems(problems, path))
    if document is None:
        raise click.ClickException(
            f"{problems.found[0]} — corrige l'en-tête, ou efface le fichier et sa photo à la main"
        )
    removed = [path]
    photo = document.meta.get("photo")
    if isinstance(photo, str) and photo.strip():
        # Only beside the testimonial: the file is input, not a licence to delete elsewhere.
        beside = path.parent / Path(photo.strip()).name
        if beside.is_file():
            removed.append(beside)
    for file in removed:
        file.unlink()
    return removed


def _shown(path: Path) -> str:
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path.absolute())


def _minor(item: Contribution) -> bool:
    return item.kind == "temoignage" and int(item.fields.get("age", ADULT_AGE)) < ADULT_AGE


def _backend() -> BackendConfig:
    try:
        return BackendConfig.from_environment()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


def _open(config: BackendConfig) -> Store:
    store = Store(config.database)
    store.migrate()
    return store


def _contributions() -> ContributionStore:
    return ContributionStore(_open(_backend()))


def _one(store: ContributionStore, ident: str) -> Contribution:
    found = store.find(ident.strip()) if len(ident.strip()) >= 4 else []
    if not found:
        raise click.ClickException(
            f"aucune contribution ne commence par « {ident} » — « porte-voix contributions list » les montre"
        )
    if len(found) > 1:
        raise click.ClickException(
            f"plusieurs contributions commencent par « {ident} » : tape plus de caractères"
        )
    return found[0]


class _Fields:
    """A contribution's fields as they go into a content file: as typed, less invisible
    controls, with a count of what was taken out of each, to tell the moderator."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields
        self.removed: dict[str, int] = {}

    def plain(self, key: str) -> str:
        """A one-line field."""
        return self._keep(key, plain_text(self.fields[key]))

    def body(self, key: str) -> str:
        """A Markdown body."""
        return self._keep(key, body_text(self.fields[key]))

    def _keep(self, key: str, clean: CleanText) -> str:
        if clean.removed:
            self.removed[key] = self.removed.get(key, 0) + clean.removed
        return clean.text


def _write_testimonial(
    content: Path,
    item: Contribution,
    fields: _Fields,
    uploads: Path,
    guardian_fingerprint: str | None,
) -> list[Path]:
    age = int(fields.plain("age"))
    signed = datetime.fromisoformat(item.consent_at).astimezone(PARIS).date()
    proof = f"donné en ligne le {_moment(item.consent_at)}"
    if item.guardian_confirmed_at:
        # The parent's address stays out of content/ (and git): its fingerprint is enough to
        # show, with « porte-voix contributions empreinte », where the link was sent.
        proof += (
            f" ; {PARENT_PROOF} {_moment(item.guardian_confirmed_at)}, par le lien "
            f"envoyé à l'adresse d'empreinte {guardian_fingerprint}"
        )
    meta: dict[str, Any] = {
        "prenom": fields.plain("prenom"),
        "age": age,
        "commune": fields.plain("commune"),
        "citation": fields.plain("citation"),
    }
    name = slugify(meta["prenom"]) or "temoignage"
    written = []
    if item.photo and item.photo_consent:
        photo = _free(content / TESTIMONIALS_DIR, name, ".jpg")
        photo.parent.mkdir(parents=True, exist_ok=True)
        # Stripped again, losslessly: a photo stored by an older version may still carry a
        # JFIF or comment segment, and content/ goes to git, where it stays forever.
        try:
            photo.write_bytes(strip_metadata((uploads / item.photo).read_bytes()))
        except JpegError:
            raise click.ClickException(
                f"la photo {item.photo} n'est pas un JPEG complet : refuse la contribution, "
                "ou publie-la sans photo"
            ) from None
        meta["photo"] = photo.name
        written.append(photo)
    meta["contribution"] = item.id[:8]
    meta["consentement"] = {
        "signe_le": f"{signed:%Y-%m-%d}",
        "par": PARENT_CONSENTS[item.guardian_declaration or ""] if _minor(item) else PERSON,
        "photo": "oui" if item.photo_consent else "non",
        "jusqu_au": f"{years_later(signed, CONSENT_YEARS):%Y-%m-%d}",
        "preuve": proof,
    }
    body = fields.body("recit") + "\n"
    written.insert(0, write_content_file(content / TESTIMONIALS_DIR, name, meta, body))
    return written


def _write_event(content: Path, item: Contribution, fields: _Fields) -> Path:
    day = date.fromisoformat(fields.plain("date"))
    start = datetime.combine(day, time.fromisoformat(fields.plain("debut")))
    place = fields.plain("lieu")
    meta = {
        "titre": fields.plain("titre"),
        "debut": f"{start:%Y-%m-%d %H:%M}",
        "fin": fields.plain("fin"),
        "lieu": {"nom": place, "adresse": place},
        "commune": fields.plain("commune"),
        "public": "Jeunes de 16 à 29 ans",
        "inscription": "non",
        "contribution": item.id[:8],
    }
    name = f"{day:%Y-%m-%d}-{slugify(meta['titre'])[:50].strip('-')}"
    return write_content_file(content / "evenements", name, meta, fields.body("description") + "\n")


def _moment(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone(PARIS).strftime("%Y-%m-%d à %H:%M")


def _free(folder: Path, name: str, suffix: str) -> Path:
    path, number = folder / f"{name}{suffix}", 2
    while path.exists() or path.with_suffix(".md").exists():
        path, number = folder / f"{name}-{number}{suffix}", number + 1
    return path

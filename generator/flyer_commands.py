"""``porte-voix flyer`` and ``porte-voix flyers``: print and social files, in French."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .content import Campaign, Event, Partner
from .content.history import ContentHistory
from .flyers.layouts import FORMATS, LayoutError, load_layout
from .flyers.making import SUFFIXES, FlyerJob, make_all
from .flyers.pdf import PrintOptions
from .flyers.subjects import (
    Subject,
    SubjectError,
    campaign_subject,
    event_subject,
    unprintable_refused,
)
from .pages.context import BuildContext, campaign_src, event_src

if TYPE_CHECKING:
    from .cli import Project

KINDS = {".pdf": "pdf", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}


def register_flyer_commands(
    group: click.Group, load_project: Callable[[str], Project], config_option: Any
) -> None:
    """Add ``flyer`` and ``flyers`` to the ``porte-voix`` command."""

    @group.command(
        help="Fabrique un flyer, une affiche ou une image pour les réseaux, à partir d'un événement ou d'une campagne."
    )
    @click.argument("fichier", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option(
        "--format",
        "format_name",
        type=click.Choice(FORMATS),
        required=True,
        help="a5 (flyer), a4 ou a3 (affiche), post ou story (Instagram), og (image de partage).",
    )
    @click.option(
        "--partner",
        "partner_id",
        help="Identifiant d'un partenaire (partenaires.yml) : son code QR dira qu'il a amené le jeune.",
    )
    @click.option("--cmyk", is_flag=True, help="Couleurs CMJN pour l'imprimeur (profil FOGRA39).")
    @click.option(
        "--bleed",
        type=click.FloatRange(0, 10),
        default=None,
        help="Fond perdu en mm (par défaut : celui de mkdocs.yml, souvent 3).",
    )
    @click.option("--crop-marks", is_flag=True, help="Ajoute les traits de coupe.")
    @click.option(
        "--out",
        "out",
        type=click.Path(dir_okay=False, path_type=Path),
        required=True,
        help="Le fichier à écrire : .pdf, .png ou .jpg.",
    )
    @config_option
    def flyer(
        fichier: Path,
        format_name: str,
        partner_id: str | None,
        cmyk: bool,
        bleed: float | None,
        crop_marks: bool,
        out: Path,
        config_file: str,
    ) -> None:
        """Make one file."""
        project = load_project(config_file)
        item = _find(project, fichier)
        partner = _partner(project, partner_id)
        kind = KINDS.get(out.suffix.lower())
        if kind is None:
            raise click.ClickException(f"« {out.name} » : choisis un fichier en .pdf, .png ou .jpg")
        try:
            layout = load_layout(project.layouts, format_name)
        except LayoutError as error:
            raise click.ClickException(str(error)) from None
        if kind == "pdf" and not layout.printed:
            raise click.ClickException(
                f"le format {format_name} est fait pour les écrans : écris le fichier en .png ou .jpg"
            )
        if cmyk and kind != "pdf":
            raise click.ClickException(
                "le CMJN (--cmyk) ne se fait qu'en PDF : écris un fichier .pdf"
            )
        options = PrintOptions(
            bleed_mm=project.settings.bleed_mm if bleed is None else bleed,
            cmyk=cmyk,
            crop_marks=crop_marks,
        )
        job = FlyerJob(
            _subject(project, item, layout.source, partner),
            format_name,
            project.layouts,
            options,
            kind,
            revised=_revised(project, item),
        )
        (made,) = make_all([job], project.cache / "flyers", workers=1)
        if made.path is None:
            raise click.ClickException(made.error)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(made.path, out)
        if layout.qr is None:
            click.echo(
                f"{layout.name} écrit dans {out} (pas de code QR : mets ce lien dans "
                f"l'autocollant « Lien » : {job.subject.qr_url})"
            )
        else:
            click.echo(f"{layout.name} écrit dans {out} (code QR : {job.subject.qr_url})")

    @group.command(
        help="Fabrique tous les formats pour tous les événements à venir et les campagnes en cours, sur tous les cœurs."
    )
    @click.option(
        "--out",
        "out",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("affiches"),
        show_default=True,
        help="Le dossier où ranger les fichiers.",
    )
    @click.option(
        "--partners", "all_partners", is_flag=True, help="Aussi un exemplaire par partenaire."
    )
    @click.option(
        "--format",
        "format_names",
        type=click.Choice(FORMATS),
        multiple=True,
        help="Seulement ce format (l'option peut se répéter). Par défaut : tous.",
    )
    @click.option(
        "--jobs",
        type=click.IntRange(1, 64),
        default=None,
        help="Nombre de cœurs à utiliser (par défaut : tous).",
    )
    @config_option
    def flyers(
        out: Path,
        all_partners: bool,
        format_names: tuple[str, ...],
        jobs: int | None,
        config_file: str,
    ) -> None:
        """Make every format for every upcoming event and live campaign."""
        project = load_project(config_file)
        formats = format_names or FORMATS
        partners: list[Partner | None] = [None]
        if all_partners:
            partners += list(project.content.partners.values())
        items: list[Event | Campaign] = []
        for item in [*project.content.upcoming_events, *project.content.live_campaigns]:
            try:
                unprintable_refused(item)
            except SubjectError as error:  # said, and the others are made
                click.echo(str(error))
                continue
            items.append(item)
        options = PrintOptions(bleed_mm=project.settings.bleed_mm)
        work: list[tuple[FlyerJob, Path]] = []
        try:
            layouts = {name: load_layout(project.layouts, name) for name in formats}
            for item in items:
                for partner in partners:
                    for name, layout in layouts.items():
                        subject = _subject(project, item, layout.source, partner)
                        suffix = f"-{partner.id}" if partner else ""
                        target = out / item.id / f"{name}{suffix}{SUFFIXES[layout.output]}"
                        work.append((FlyerJob(subject, name, project.layouts, options), target))
        except (LayoutError, SubjectError) as error:
            raise click.ClickException(str(error)) from None
        if not work:
            click.echo("Aucun événement à venir ni campagne en cours : rien à fabriquer.")
            return
        with click.progressbar(length=len(work), label="Fabrication") as bar:
            outcomes = make_all(
                [job for job, _ in work], project.cache / "flyers", jobs, bar.update
            )
        errors = []
        for (_, target), made in zip(work, outcomes, strict=True):
            if made.path is None:
                errors.append(made.error)
                continue
            copy_if_changed(made.path, target)
        for message in dict.fromkeys(errors):  # one line per problem, even if many formats hit it
            click.echo(message, err=True)
        click.echo(f"{len(work) - len(errors)} fichiers écrits dans {out}/.")
        if errors:
            raise SystemExit(1)


def copy_if_changed(cached: Path, target: Path) -> None:
    """Copy a made file out of the cache, unless the same bytes are already there (a re-run
    with nothing changed copies nothing)."""
    if target.exists():
        mine, theirs = cached.stat(), target.stat()
        if mine.st_size == theirs.st_size and theirs.st_mtime_ns >= mine.st_mtime_ns:
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, target)


def _find(project: Project, path: Path) -> Event | Campaign:
    wanted = path.resolve()
    for item in [*project.content.events, *project.content.campaigns]:
        if item.source.resolve() == wanted:
            return item
    own = [str(p) for p in project.problems if Path(p.path).resolve() == wanted]
    if own:
        raise click.ClickException(
            "ce fichier a des problèmes à corriger d'abord :\n" + "\n".join(own)
        )
    raise click.ClickException(
        f"« {path} » n'est ni un événement (content/evenements/) ni une campagne (content/campagnes/)"
    )


def _partner(project: Project, partner_id: str | None) -> Partner | None:
    if partner_id is None:
        return None
    partner = project.content.partners.get(partner_id)
    if partner is None:
        raise click.ClickException(
            f"le partenaire « {partner_id} » n'existe pas dans partenaires.yml — vérifie son identifiant"
        )
    return partner


def _subject(
    project: Project, item: Event | Campaign, channel: str, partner: Partner | None
) -> Subject:
    urls = _context(project)
    try:
        if isinstance(item, Event):
            return event_subject(
                item, project.settings, urls.absolute_url(event_src(item)), channel, partner
            )
        return campaign_subject(
            item, project.settings, urls.absolute_url(campaign_src(item)), channel, partner
        )
    except SubjectError as error:
        raise click.ClickException(str(error)) from None


def _context(project: Project) -> BuildContext:
    return BuildContext(project.content, project.settings, directory_urls=project.directory_urls)


def _revised(project: Project, item: Event | Campaign) -> datetime:
    """When the item's file last changed, as the build dates it (Git, ``modifie``, or the build's
    first sighting): it dates a CMYK PDF, so the same content gives the same file."""
    history = ContentHistory(
        project.content.root.parent,  # the project, as the build sees it (sightings' keys)
        project.cache / "history.json",  # read only: the build keeps it
        folders=(project.content.root,),
        declared=project.content.declared,
    )
    return history.revision(item.source).time

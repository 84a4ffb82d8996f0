"""What a flyer says: the texts, the QR code's address and the logos, for an event or a campaign.

A subject is plain data (picklable, hashable to JSON) so that renders can run in other processes
and be cached by the hash of what they show.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from ..content import Campaign, Event, Partner
from ..content.campaigns import AGENDA, CALL_BACK
from ..content.french_dates import event_span, long_date
from ..settings import Settings
from ..slugs import normalise

# The form backend keeps a source of at most this many characters (forms_backend/app.py, _SOURCE).
SOURCE_MAX = 100
# The longest page title a share image shows whole (the og layout fits about 250 characters at
# its smallest size; a shorter cut stays readable in a feed).
PAGE_TITLE_MAX = 110


class SubjectError(ValueError):
    """The flyer cannot be made as asked (unknown partner, too long a source…), in French."""


@dataclass(frozen=True)
class Subject:
    """Everything drawn on one flyer, poster or social image."""

    kind: str  # "evenement", "campagne" or "page"
    id: str
    source_file: str
    texts: dict[str, str]
    page_url: str
    source: str
    logos: tuple[str, ...]  # image files, Mission Locale first

    @property
    def qr_url(self) -> str:
        """The address in the QR code: the page, with the source the form backend records."""
        return f"{self.page_url}?source={self.source}"

    def key(self) -> dict[str, object]:
        """What identifies this render's content (for the cache)."""
        return asdict(self)


def event_subject(
    event: Event,
    settings: Settings,
    page_url: str,
    channel: str,
    partner: Partner | None = None,
) -> Subject:
    """The flyer of ``event`` for ``channel`` (e.g. ``flyer-a5``), or for a partner's copies."""
    refuse_unprintable(event, event)
    if event.registration is not None:
        call, tap = "Inscris-toi : scanne le code", "Inscris-toi : touche le lien"
    else:
        call = "Entrée libre. Pour tout savoir, scanne le code"
        tap = "Entrée libre. Pour tout savoir, touche le lien"
    where = event.place.name
    if normalise(event.commune) not in normalise(where):
        where = f"{where}, {event.commune}"
    texts = {
        "accroche": _kicker(settings, partner),
        "titre": event.title,
        "quand": event_span(event.start, event.end).capitalize(),
        "ou": where,
        "public": event.audience,
        "appel": call,
        "adresse": f"ou va sur {_short(page_url)}",
        "lien": tap,
        "site": _short(page_url),
        "financeurs": settings.funders,
    }
    source = f"partenaire-{partner.id}" if partner else channel
    logos = _logos(settings, [*event.partners, *([partner] if partner else [])])
    return Subject(
        "evenement", event.id, str(event.source), texts, page_url, _checked(source), logos
    )


def campaign_subject(
    campaign: Campaign,
    settings: Settings,
    page_url: str,
    channel: str,
    partner: Partner | None = None,
) -> Subject:
    """The image of ``campaign`` for ``channel`` (e.g. ``instagram-story``): its address says
    ``campagne-SLUG_CHANNEL``, so the counsellor sees which medium brought someone
    (``campagne-SLUG_CHANNEL_partenaire-ID`` on a partner's copies)."""
    if campaign.event is not None:
        refuse_unprintable(campaign.event, campaign)
    if campaign.call == CALL_BACK:
        ask = "Laisse ton numéro, on te rappelle"
    elif campaign.call == AGENDA:
        ask = "Tous nos rendez-vous près de chez toi"
    else:
        assert campaign.event is not None
        ask = f"Rendez-vous le {long_date(campaign.event.start)}"
    texts = {
        "accroche": _kicker(settings, partner),
        "titre": campaign.title,
        "quand": campaign.message,
        "ou": campaign.audience,
        "appel": f"{ask} : scanne le code",
        "adresse": f"ou va sur {_short(page_url)}",
        "lien": f"{ask} : touche le lien",
        "site": _short(page_url),
        "financeurs": settings.funders,
    }
    source = f"{campaign.qr_source}_{channel}" + (f"_partenaire-{partner.id}" if partner else "")
    partners = ([*campaign.event.partners] if campaign.event else []) + (
        [partner] if partner else []
    )
    return Subject(
        "campagne",
        campaign.id,
        str(campaign.source),
        texts,
        page_url,
        _checked(source),
        _logos(settings, partners),
    )


def page_subject(
    page_id: str, title: str, settings: Settings, page_url: str, channel: str
) -> Subject:
    """The share image of a page that has none of its own: its title on the kit's colours."""
    texts = {
        "accroche": settings.site_name,
        "titre": _shortened(title, PAGE_TITLE_MAX),
        "appel": "Pour en savoir plus : scanne le code",
        "adresse": f"ou va sur {_short(page_url)}",
        "lien": "Pour en savoir plus : touche le lien",
        "site": _short(page_url),
    }
    return Subject(
        "page", page_id, page_id, texts, page_url, _checked(channel), _logos(settings, [])
    )


def printable(item: Event | Campaign) -> bool:
    """False for a cancelled event, one postponed without a new date, or a campaign calling to
    one of them: nothing is printed for them."""
    event = item if isinstance(item, Event) else item.event
    return event is None or event.takes_place


def unprintable_refused(item: Event | Campaign) -> None:
    """Raise :class:`SubjectError` when ``item`` is not :func:`printable`, saying why."""
    event = item if isinstance(item, Event) else item.event
    if event is not None:
        refuse_unprintable(event, item)


def refuse_unprintable(event: Event, item: Event | Campaign) -> None:
    """No flyer calls people to a cancelled event, or to one postponed to a date not known yet:
    raise :class:`SubjectError`, naming the file to look at (``item``'s)."""
    if event.takes_place:
        return
    if event.cancelled:
        what, fix = "est annulé", "enlève « statut: annule » si l'événement a bien lieu"
    else:
        what = "est reporté sans nouvelle date"
        fix = "ajoute « nouveau_debut » quand la nouvelle date est connue"
    shown = "/".join(item.source.parts[-3:])  # content/evenements/…md, as authors know it
    if item is event:
        raise SubjectError(
            f"{shown} : l'événement « {event.title} » {what} : pas de flyer ni d'affiche — {fix}"
        )
    raise SubjectError(
        f"{shown} : la campagne appelle à l'événement « {event.title} », qui {what} : "
        "pas de flyer ni d'image — change « appel » de la campagne "
        "(« rappel », « agenda » ou un autre événement)"
    )


def _shortened(text: str, limit: int) -> str:
    """``text``, cut after a whole word with « … » when longer than ``limit``: a page's title has
    no length limit, and a share image must never stop the build."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _kicker(settings: Settings, partner: Partner | None) -> str:
    return f"{settings.site_name} · avec {partner.name}" if partner else settings.site_name


def _short(url: str) -> str:
    """An address to type by hand: no scheme, no trailing slash."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")


def _logos(settings: Settings, partners: list[Partner]) -> tuple[str, ...]:
    logos = [str(settings.logo)] if settings.logo else []
    for partner in partners:
        if partner.logo and str(partner.logo) not in logos:
            logos.append(str(partner.logo))
    return tuple(logos)


def _checked(source: str) -> str:
    if len(source) > SOURCE_MAX:
        raise SubjectError(
            f"la source « {source} » dépasse {SOURCE_MAX} caractères — raccourcis l'identifiant du partenaire ou de la campagne"
        )
    return source

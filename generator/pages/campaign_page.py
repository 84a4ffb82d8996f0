"""One landing page per campaign, and the home page block that shows the current one."""

from __future__ import annotations

from ..content import Campaign
from ..content.campaigns import AGENDA, CALL_BACK
from ..content.french_dates import long_date
from ..content.status_words import status_label
from .context import AGENDA as AGENDA_SRC
from .context import CALLBACK, BuildContext, campaign_src, event_src
from .links import link, md_text
from .page import GeneratedPage
from .pictures import picture_html
from .prints import downloads_markdown
from .share_images import item_share_alt, made_share_image, share_meta


def campaign_page(campaign: Campaign, build: BuildContext) -> GeneratedPage:
    """``campagnes/SLUG/``: the message, the author's text, and one clear action."""
    src = campaign_src(campaign)
    parts = [f"# {md_text(campaign.title)}\n", f"{md_text(campaign.message)}\n{{ .pv-lead }}\n"]
    visual = build.images.get(campaign.visual) if campaign.visual else None
    if visual:
        parts.append(picture_html(visual, src, "", directory_urls=build.directory_urls) + "\n")
    if campaign.body.strip():
        parts.append(campaign.body.strip() + "\n")
    parts.append(call_to_action(campaign, src) + "\n")
    parts.append(downloads_markdown(build, campaign, src))
    meta: dict[str, object] = {"description": f"{campaign.message} {campaign.audience}."}
    made = made_share_image(build, campaign)
    if made:  # else the generic share image, given to every page without one
        meta.update(
            share_meta(build, made.site_path, item_share_alt(build, campaign, campaign.title))
        )
    if campaign.is_over(build.content.now.date()):
        meta["search"] = {"exclude": True}
    return GeneratedPage(src, campaign.title, "\n".join(parts), meta)


def call_to_action(campaign: Campaign, from_src: str) -> str:
    """The campaign's button. ``data-pv-source`` lets the script carry the QR code's
    ``?source=`` on to the form, so the counsellor knows the campaign brought the person."""
    if campaign.call == CALL_BACK:
        label, target = "Je veux qu'on me rappelle", CALLBACK
    elif campaign.call == AGENDA:
        label, target = "Voir les prochains rendez-vous", AGENDA_SRC
    else:
        assert campaign.event is not None
        event = campaign.event
        label = f"M'inscrire : {event.title}, le {long_date(event.start)}"
        if not event.takes_place:  # the page says why; the button must not promise a place
            label = f"{event.title} : {status_label(event).lower()}"
        target = event_src(campaign.event)
    return f'[{md_text(label)}]({link(from_src, target)}){{ .md-button .md-button--primary data-pv-source="oui" }}'


def campaign_block(build: BuildContext, from_src: str) -> str:
    """The campaign running today, for the home page (nothing when none runs)."""
    campaign = build.content.current_campaign
    if campaign is None:
        return ""
    return (
        '<div class="pv-campaign" markdown>\n\n'
        f"## {md_text(campaign.title)}\n\n"
        f"{md_text(campaign.message)}\n\n"
        f"[En savoir plus : {md_text(campaign.title)}]({link(from_src, campaign_src(campaign))}){{ .md-button .md-button--primary }}\n\n"
        "</div>\n"
    )

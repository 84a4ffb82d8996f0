"""Loading the whole ``content/`` folder into one checked model, reporting every problem at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..settings import Settings
from .campaigns import CAMPAIGNS_DIR, Campaign, build_campaign, current_campaign
from .events import EVENTS_DIR, Event, build_event, upcoming_and_past
from .fields import PARIS, Invalid, ReadContext, revised_date
from .frontmatter import Document, read_document
from .pages import Page, build_page
from .partners import Partner, load_partners
from .problems import FileProblems, Problem, Problems
from .testimonials import TESTIMONIALS_DIR, Testimonial, build_testimonial

# Folders whose Markdown files are data for generated pages, not pages themselves.
COLLECTION_DIRS = (EVENTS_DIR, TESTIMONIALS_DIR, CAMPAIGNS_DIR)


@dataclass
class Content:
    """Everything authors wrote, checked: what is here may be published."""

    root: Path
    now: datetime
    partners: dict[str, Partner] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    testimonials: list[Testimonial] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    declared: dict[Path, datetime] = field(default_factory=dict)
    """The ``modifie`` date authors wrote, by file (dates content outside Git)."""

    @property
    def upcoming_events(self) -> list[Event]:
        """Events that have not ended, soonest first."""
        return upcoming_and_past(self.events, self.now)[0]

    @property
    def past_events(self) -> list[Event]:
        """Events that have ended, most recent first."""
        return upcoming_and_past(self.events, self.now)[1]

    @property
    def current_campaign(self) -> Campaign | None:
        """The campaign running today, shown on the home page."""
        return current_campaign(self.campaigns, self.now.date())

    @property
    def live_campaigns(self) -> list[Campaign]:
        """Campaigns running now or to come (they get print and social files)."""
        return [c for c in self.campaigns if not c.is_over(self.now.date())]


def load_content(
    root: Path, settings: Settings, now: datetime | None = None
) -> tuple[Content, list[Problem]]:
    """Read and check ``root``. Invalid items are left out of the model and explained in the problems."""
    now = now or datetime.now(PARIS)
    problems = Problems(root)
    content = Content(root=root, now=now, partners=load_partners(root, problems))
    for path in sorted((root / EVENTS_DIR).glob("*.md")):
        report = problems.for_file(path)
        document = read_document(path, report)
        if document is not None:
            event = build_event(
                document,
                ReadContext(report, document.lines, path.parent),
                content.partners,
                settings,
            )
            if event is not None:
                _note_declared(content, document)
                content.events.append(event)
    for path in sorted((root / TESTIMONIALS_DIR).glob("*.md")):
        report = problems.for_file(path)
        document = read_document(path, report)
        if document is not None:
            testimonial = build_testimonial(
                document, ReadContext(report, document.lines, path.parent), now.date()
            )
            if testimonial is not None:
                _note_declared(content, document)
                content.testimonials.append(testimonial)
    events = {event.id: event for event in content.events}
    for path in sorted((root / CAMPAIGNS_DIR).glob("*.md")):
        report = problems.for_file(path)
        document = read_document(path, report)
        if document is not None:
            campaign = build_campaign(
                document, ReadContext(report, document.lines, path.parent), events
            )
            if campaign is not None:
                _note_declared(content, document)
                content.campaigns.append(campaign)
    content.campaigns.sort(key=lambda c: (c.start, c.id))
    for path in sorted(root.rglob("*.md")):
        src_uri = path.relative_to(root).as_posix()
        if src_uri.split("/", 1)[0] in COLLECTION_DIRS:
            continue
        report = problems.for_file(path)
        document = read_document(path, report)
        if document is not None:
            content.pages.append(build_page(document, src_uri, report))
            _note_declared(content, document, report)
    content.events.sort(key=lambda e: (e.start, e.id))
    return content, problems.sorted()


def _note_declared(
    content: Content, document: Document, report: FileProblems | None = None
) -> None:
    """Keep the file's ``modifie`` date; an invalid one is reported to ``report`` (pages have no
    schema to check it; for the other kinds their schema did)."""
    raw = document.meta.get("modifie")
    if raw is None or raw == "":
        return
    try:
        content.declared[document.path] = revised_date(str(raw).strip())
    except Invalid as error:
        if report is not None:
            report.add(document.lines.of(("modifie",)), error.message, error.fix)

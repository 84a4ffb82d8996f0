"""The content model: what authors write under ``content/``, checked. No MkDocs import here."""

from .campaigns import Campaign
from .events import Event, Place, Registration
from .loader import Content, load_content
from .pages import Page
from .partners import Partner
from .problems import Problem
from .testimonials import Consent, Testimonial

__all__ = [
    "Campaign",
    "Consent",
    "Content",
    "Event",
    "Page",
    "Partner",
    "Place",
    "Problem",
    "Registration",
    "Testimonial",
    "load_content",
]

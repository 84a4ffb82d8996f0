"""Pages as data: the content model turned into Markdown pages and files, with no MkDocs type."""

from .blocks import expand_blocks
from .context import BuildContext
from .page import GeneratedFile, GeneratedPage
from .site import LISTINGS, GeneratedSite, generate_site

__all__ = [
    "LISTINGS",
    "BuildContext",
    "GeneratedFile",
    "GeneratedPage",
    "GeneratedSite",
    "expand_blocks",
    "generate_site",
]

"""``<picture>`` elements: WebP with a JPEG fallback, sizes set so that nothing jumps."""

from __future__ import annotations

from ..images import ResponsiveImage
from .links import html_text, relative_url


def picture_html(
    image: ResponsiveImage,
    from_src: str,
    alt: str,
    *,
    sizes: str = "(min-width: 45em) 40em, 100vw",
    css_class: str = "pv-picture",
    directory_urls: bool = True,
) -> str:
    """Raw HTML for a responsive picture on the page built from ``from_src``."""

    def srcset(kind: str) -> str:
        return ", ".join(
            f"{relative_url(from_src, v.site_path, directory_urls)} {v.width}w"
            for v in image.of_kind(kind)
        )

    largest = image.largest
    return (
        f'<picture class="{css_class}">'
        f'<source type="image/webp" srcset="{srcset("webp")}" sizes="{sizes}">'
        f'<img src="{relative_url(from_src, largest.site_path, directory_urls)}" srcset="{srcset("jpg")}" '
        f'sizes="{sizes}" width="{largest.width}" height="{largest.height}" alt="{html_text(alt)}" '
        'loading="lazy" decoding="async">'
        "</picture>"
    )

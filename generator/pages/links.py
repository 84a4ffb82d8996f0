"""Paths between pages: Markdown links between source files, and URLs for raw HTML."""

from __future__ import annotations

import html
import posixpath
import re


def link(from_src: str, to_src: str, anchor: str = "") -> str:
    """A relative Markdown link target from one source file to another (MkDocs checks it)."""
    target = posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
    return f"{target}#{anchor}" if anchor else target


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The URL path (no leading slash) MkDocs gives a Markdown source file."""
    stem = src_uri.removesuffix(".md")
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def relative_url(from_src: str, target: str, directory_urls: bool = True) -> str:
    """A URL for raw HTML on the page built from ``from_src`` to a site path such as ``images/a.jpg``."""
    base = page_url(from_src, directory_urls)
    folder = base if base.endswith("/") or not base else posixpath.dirname(base) + "/"
    return posixpath.relpath(target, folder.rstrip("/") or ".")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!>])")


def md_text(text: str) -> str:
    """Author text made safe to place inside generated Markdown (no markup, no raw HTML)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def html_text(text: str) -> str:
    """Author text made safe inside generated raw HTML."""
    return html.escape(text, quote=True)

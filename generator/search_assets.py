"""Which of Material's search-language files a site needs.

Material copies the stemmers of some thirty languages into every built site, among them
``wordcut.js`` (Thai, under the LGPL 3.0) and ``tinyseg.js`` (Japanese). Its search worker loads
only the files of the languages the search is configured for (``plugins.search.lang``), so the
others are dead weight that would still be redistributed under their licences: they are left
out, and ``LICENCES.md`` lists exactly what a built site contains.
"""

from __future__ import annotations

from collections.abc import Iterable

FOLDER = "assets/javascripts/lunr/"
# What Material's search worker asks for, per language (see its ``importScripts`` call).
SEGMENTERS = {"ja": "tinyseg.js", "hi": "wordcut.js", "th": "wordcut.js"}


def needed_search_files(languages: Iterable[str]) -> set[str]:
    """The site paths of the search-language files the worker loads for ``languages``."""
    chosen = list(languages)
    needed = {f"{FOLDER}min/lunr.stemmer.support.min.js"}
    needed |= {f"{FOLDER}min/lunr.{lang}.min.js" for lang in chosen if lang != "en"}
    needed |= {FOLDER + SEGMENTERS[lang] for lang in chosen if lang in SEGMENTERS}
    if len(chosen) > 1:
        needed.add(f"{FOLDER}min/lunr.multi.min.js")
    return needed


def unused_search_files(paths: Iterable[str], languages: Iterable[str]) -> list[str]:
    """The paths among ``paths`` that are search-language files no configured language uses."""
    needed = needed_search_files(languages)
    return [path for path in paths if path.startswith(FOLDER) and path not in needed]

"""Form HTML, shared by the site build (empty forms) and the backend (forms shown again with
messages and what was typed), so that both always show the same form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from pathlib import Path
from urllib.parse import urljoin

from forms_backend.contributions.forms import PHOTO_MAX_BYTES, PHOTO_TOO_HEAVY, PHOTO_TYPES
from forms_backend.html_typography import typeset_html
from forms_backend.intake.forms import (
    EVENT,
    HONEYPOT,
    SOURCE,
    SUBMISSION_ID,
    TOKEN,
    FormField,
    FormSpec,
)
from forms_backend.store import retention
from forms_backend.store.retention import french_duration
from forms_backend.typography import french_spacing

START, END = "<!-- pv-form:start -->", "<!-- pv-form:end -->"
# The input types HTML allows ``maxlength`` on (a date or a time is bounded by its own format).
MAXLENGTH_TYPES = {"text", "tel", "email", "url", "search", "password"}
PRIVACY_PAGE = "/donnees-personnelles/"


def privacy_notice(spec: FormSpec) -> str:
    """The information text beside a form's button."""
    return " ".join(part for part in (spec.privacy or PRIVACY_NOTICE, spec.privacy_more) if part)


PRIVACY_NOTICE = (
    "Ces informations servent à l'équipe « Aller vers » de la Mission Locale (responsable du "
    "traitement) pour recontacter la personne ou l'inscrire. Elles passent par notre hébergeur et "
    "notre service de courriel, et par Meta si WhatsApp est choisi. Base légale : le consentement, "
    "donné en cochant la case. Elles sont effacées "
    f"{french_duration(retention.SUBMISSIONS)} après le dernier contact. On peut les voir, les "
    "corriger, les faire effacer ou retirer son accord en écrivant à la Mission Locale, et se "
    "plaindre à la CNIL (cnil.fr)."
)


def form_html(
    spec: FormSpec,
    *,
    action: str,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    token: str = "",
    submission_id: str = "",
    source: str = "",
    event_id: str = "",
    notice: str = "",
) -> str:
    """The ``<form>``, between markers so the backend can put it back in the page with messages."""
    values, errors = values or {}, errors or {}
    parts = [
        START,
        f'<form class="pv-form" method="post" action="{escape(action)}" data-pv-form="{spec.name}"'
        + (' enctype="multipart/form-data"' if spec.has_file else "")
        + " novalidate>",
    ]
    if notice:
        parts.append(f'<p class="pv-form-notice" role="status">{escape(notice)}</p>')
    if errors:
        parts.append(_error_summary(spec, errors))
    if spec.intro:
        parts.append(f'<p class="pv-form-intro">{escape(spec.intro)}</p>')
    hidden = {SUBMISSION_ID: submission_id, TOKEN: token, SOURCE: source}
    if event_id:
        hidden[EVENT] = event_id
    parts += [
        f'<input type="hidden" name="{name}" value="{escape(value)}">'
        for name, value in hidden.items()
    ]
    parts += [_field(spec.name, f, values.get(f.name, ""), errors.get(f.name)) for f in spec.fields]
    parts.append(
        '<div class="pv-field pv-honeypot" aria-hidden="true">'
        f'<label for="{field_id(spec.name, HONEYPOT)}">Laisse ce champ vide</label>'
        f'<input type="text" id="{field_id(spec.name, HONEYPOT)}" name="{HONEYPOT}" value="" tabindex="-1" autocomplete="off">'
        "</div>"
    )
    parts.append(
        f'<p class="pv-privacy">{escape(privacy_notice(spec))} <a href="{PRIVACY_PAGE}">En savoir plus sur tes données</a></p>'
    )
    parts.append(
        f'<button type="submit" class="md-button md-button--primary">{escape(spec.button)}</button>'
    )
    parts += ["</form>", END]
    return "\n".join(parts)


def field_id(spec_name: str, field_name: str) -> str:
    """The HTML id of a field, used by labels and the error summary."""
    return f"pv-{spec_name}-{field_name}"


def error_summary_id(spec_name: str) -> str:
    """The HTML id of a form's error summary: one per form, as a page may hold two forms."""
    return f"pv-{spec_name}-erreurs"


def _field(spec_name: str, form_field: FormField, value: str, error: str | None) -> str:
    name = form_field.name
    ident = field_id(spec_name, name)
    described = []
    hint = error_html = ""
    if form_field.hint:
        hint = f'<p class="pv-hint" id="{ident}-aide">{escape(form_field.hint)}</p>'
        described.append(f"{ident}-aide")
    if error:
        error_html = f'<p class="pv-error" id="{ident}-erreur"><span class="pv-error__label">Erreur :</span> {escape(error)}</p>'
        described.append(f"{ident}-erreur")
    aria = f' aria-describedby="{" ".join(described)}"' if described else ""
    invalid = ' aria-invalid="true"' if error else ""
    required = " required" if form_field.required else ""
    css = "pv-field pv-field--error" if error else "pv-field"
    if form_field.kind == "radio":
        options = "".join(
            f'<div class="pv-choice"><input type="radio" id="{ident}-{key}" name="{name}" value="{key}"'
            f"{' checked' if value == key else ''}{required}>"
            f'<label for="{ident}-{key}">{escape(label)}</label></div>'
            for key, label in form_field.choices.items()
        )
        legend = f"<legend>{escape(form_field.label)}</legend>"
        html = f'<fieldset class="{css}" id="{ident}"{aria}{invalid}>{legend}{hint}{error_html}{options}</fieldset>'
    elif form_field.kind == "checkbox":
        checked = " checked" if value == "oui" else ""
        html = (
            f'<div class="{css} pv-field--checkbox">{error_html}'
            f'<input type="checkbox" id="{ident}" name="{name}" value="oui"{checked}{required}{aria}{invalid}>'
            f'<label for="{ident}">{escape(form_field.label)}</label></div>'
        )
    elif form_field.kind == "textarea":
        html = (
            f'<div class="{css}"><label for="{ident}">{escape(form_field.label)}</label>{hint}{error_html}'
            f'<textarea id="{ident}" name="{name}" rows="8" maxlength="{form_field.max_length}"{required}{aria}{invalid}>'
            f"{escape(value)}</textarea></div>"
        )
    elif form_field.kind == "file":
        # A file cannot be kept when the form comes back with errors: the hint says so then.
        html = (
            f'<div class="{css}"><label for="{ident}">{escape(form_field.label)}</label>{hint}{error_html}'
            f'<input type="file" id="{ident}" name="{name}" accept="{PHOTO_TYPES}"'
            # The page's script refuses a heavier photo before sending, with the server's words
            # (spaced here: the build's typesetting leaves attributes alone).
            f' data-pv-max-octets="{PHOTO_MAX_BYTES}"'
            f' data-pv-trop-lourd="{escape(french_spacing(PHOTO_TOO_HEAVY))}"'
            f"{required}{aria}{invalid}></div>"
        )
    else:
        kind = (
            "text" if form_field.kind == "number" else form_field.kind
        )  # no spinner: typed digits stay as typed
        attributes = f' maxlength="{form_field.max_length}"' if kind in MAXLENGTH_TYPES else ""
        if form_field.autocomplete:
            attributes += f' autocomplete="{form_field.autocomplete}"'
        if form_field.inputmode:
            attributes += f' inputmode="{form_field.inputmode}"'
        html = (
            f'<div class="{css}"><label for="{ident}">{escape(form_field.label)}</label>{hint}{error_html}'
            f'<input type="{kind}" id="{ident}" name="{name}" value="{escape(value)}"{attributes}{required}{aria}{invalid}></div>'
        )
    return html


def _error_summary(spec: FormSpec, errors: Mapping[str, str]) -> str:
    count = len(errors)
    title = "Il y a un problème" if count == 1 else f"Il y a {count} problèmes"
    items = "".join(
        f'<li><a href="#{field_id(spec.name, name)}">{escape(spec.field(name).label)} : {escape(message)}</a></li>'
        for name, message in errors.items()
    )
    return (
        f'<div class="pv-error-summary" id="{error_summary_id(spec.name)}" role="alert" tabindex="-1">'
        f"<h2>{title}</h2><ul>{items}</ul></div>"
    )


# A link relative to the page's folder: not absolute, not a scheme, not an anchor nor a query.
_RELATIVE_LINK = re.compile(r'\b(href|src)="(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?)([^"]*)"')


def _links_from(page: str, page_path: str) -> str:
    """The page's relative links made absolute from its own address: the backend shows it at
    ``/formulaires/…``, where « ../x.ics » or « flyer-a5.pdf » would lead nowhere. Anchors stay
    as they are (the error summary's links point into the page shown)."""
    here = "/" + page_path.strip("/") + "/" if page_path.strip("/") else "/"
    return _RELATIVE_LINK.sub(lambda m: f'{m[1]}="{urljoin(here, m[2])}"', page)


def page_with_form(
    site_dir: Path, page_path: str, form: str, *, title_prefix: str = "", form_name: str = ""
) -> str:
    """The built page that holds the form, with ``form`` in place of the one it had (the one
    called ``form_name`` when the page holds several). The form gets the French spacing the
    build gave the page's own copy: its labels, hints, errors and notices are text like it."""
    form = typeset_html(form)
    shell = site_dir / page_path / "index.html"
    if shell.is_file():
        page = _links_from(shell.read_text(encoding="utf-8"), page_path)
        spans = [
            m.span() for m in re.finditer(re.escape(START) + ".*?" + re.escape(END), page, re.S)
        ]
        if form_name:
            spans = [
                s for s in spans if f'data-pv-form="{form_name}"' in page[s[0] : s[1]]
            ] or spans
        if spans:
            start, end = spans[0]
            page = page[:start] + form + page[end:]
        else:
            page = page.replace("</article>", form + "</article>", 1)
    else:
        page = (
            '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Formulaire</title></head>'
            f"<body><main>{form}</main></body></html>"
        )
    if title_prefix:
        prefix = french_spacing(escape(title_prefix))
        page = page.replace("<title>", f"<title>{prefix} — ", 1)
    return page

"""French typography on every built page: ``forms_backend.html_typography``, which the backend
also uses for the forms it shows again (one rule set for the site and the forms)."""

from forms_backend.html_typography import typeset_html

__all__ = ["typeset_html"]

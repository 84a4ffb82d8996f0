"""How long the backend keeps each kind of data: one named constant each.

The purge (``purge.py``), the ``forms purge`` command, the short notices beside the forms and the
privacy page the site build generates all read these constants, so that what the site promises
is what the server does.
"""

from __future__ import annotations

from datetime import timedelta

SUBMISSIONS = timedelta(days=3 * 365)
"""Call-back, sign-up and referral requests: 3 years after the last contact (CNIL benchmark)."""
CONTRIBUTIONS = timedelta(days=90)
"""A testimonial or event proposal never published: 90 days after it was sent (not after its
last change: a parent's late agreement does not extend it)."""
LETTERS = timedelta(days=30)
"""An e-mail to a parent or a contributor that could not be delivered: 30 days after it was
written (it holds an address, and a minor's first name and age)."""
UNSENT_SMS = timedelta(days=30)
"""A confirmation SMS written to a file because no SMS provider is set (``PORTE_VOIX_SMS_DIR``):
30 days after it was written (it holds a phone number and the message)."""
SPAM = timedelta(days=30)
"""Suspected spam (field names and lengths only): 30 days."""
PURGE_EVERY = timedelta(hours=24)
"""The running server purges this often (and once when it starts, if the last purge is older)."""
PARENT_LINK = timedelta(days=7)
"""A parent's one-time link to agree to a minor's testimonial stays valid this long."""
PUBLISHED_YEARS = 2
"""A testimonial accepted from the site stays published this many years after the consent
(``jusqu_au`` in its content file); the parent's letter and page say so."""


def french_duration(period: timedelta) -> str:
    """« 3 ans », « 90 jours », « 1 an », « 24 heures »: a retention period in plain French."""
    days, seconds = period.days, period.seconds
    if seconds or days < 2:  # « toutes les 24 heures », never « toutes les 1 jour »
        hours = days * 24 + seconds // 3600
        return f"{hours} heure{'s' if hours > 1 else ''}"
    if days % 365 == 0:
        years = days // 365
        return f"{years} an{'s' if years > 1 else ''}"
    return f"{days} jour{'s' if days > 1 else ''}"

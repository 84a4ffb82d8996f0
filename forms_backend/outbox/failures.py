"""How a delivery fails: :class:`TemporaryFailure` is retried later, :class:`PermanentFailure`
becomes a dead letter at once. Every channel (mail, webhook, and the ones to come) raises these."""

from __future__ import annotations


class DeliveryFailure(Exception):
    """A delivery did not happen; the message says why, without personal data."""


class TemporaryFailure(DeliveryFailure):
    """Worth trying again later (connection refused, SMTP 4xx, HTTP 5xx, timeout)."""


class PermanentFailure(DeliveryFailure):
    """Will not work by retrying (SMTP 5xx, HTTP 4xx): a person must look."""

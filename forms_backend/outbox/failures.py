"""How a delivery fails: :class:`TemporaryFailure` is retried later, :class:`PermanentFailure`
becomes a dead letter at once. Every channel (mail, webhook, and the ones to come) raises these."""

from __future__ import annotations

import logging
import traceback


class DeliveryFailure(Exception):
    """A delivery did not happen; the message says why, without personal data."""


class TemporaryFailure(DeliveryFailure):
    """Worth trying again later (connection refused, SMTP 4xx, HTTP 5xx, timeout)."""


class PermanentFailure(DeliveryFailure):
    """Will not work by retrying (SMTP 5xx, HTTP 4xx): a person must look."""


def log_traceback(log: logging.Logger, what: str, error: BaseException) -> None:
    """Log ``error`` with every frame of its traceback but not its message: a message may quote
    what a person typed (``KeyError('Inès')``), and no personal data goes into the journal."""
    frames = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__)))
    log.error(
        "%s : %s\nTraceback (most recent call last):\n%s%s (message non journalisé : il peut "
        "contenir des données personnelles)",
        what,
        type(error).__name__,
        frames,
        type(error).__name__,
    )


def unforeseen(log: logging.Logger, what: str, error: BaseException) -> PermanentFailure:
    """A programming error met while sending: logged with its traceback, and a permanent
    failure — retrying code that is wrong for 32 hours only hides it. The reason shown by
    ``porte-voix forms status`` says where to look."""
    log_traceback(log, what, error)
    return PermanentFailure(
        f"erreur imprévue ({type(error).__name__}) : voir le journal du serveur"
    )

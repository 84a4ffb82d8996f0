"""Fingerprints of e-mail addresses: proof of where a parent's consent link was sent, without
the address itself in the content files (they go into git, which keeps every version forever and
cannot honour an erasure request)."""

from __future__ import annotations

import hmac

from forms_backend.store.database import Store

SECRET_NAME = "empreinte-adresse"  # in the database: keep it with the backups


def address_fingerprint(store: Store, address: str) -> str:
    """16 hex characters for ``address`` (case and surrounding spaces ignored), keyed with a
    secret of this database: nobody can test a list of guessed addresses against them."""
    key = store.secret(SECRET_NAME).encode()
    return hmac.digest(key, address.strip().lower().encode(), "sha256").hex()[:16]

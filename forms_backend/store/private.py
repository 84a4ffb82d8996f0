"""Files that hold personal data are readable by their owner only (RGPD art. 32): the database,
the photos sent with testimonials and the CSV exports, whatever the umask of the account or the
permissions of the folder an operator chose. A shared server's other accounts read none of them."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

OWNER_ONLY_FILE = 0o600
OWNER_ONLY_FOLDER = 0o700


def private_folder(path: Path) -> None:
    """Create ``path`` (and its parents) for the owner alone; an existing folder is left as the
    operator made it (it may be shared on purpose), its files are protected one by one."""
    path.mkdir(mode=OWNER_ONLY_FOLDER, parents=True, exist_ok=True)


def private_file(path: Path) -> None:
    """Make ``path`` exist and be readable and writable by its owner only: created so, or
    tightened when an earlier version left it readable by others (when this account owns it; a
    colleague's account that may only read it leaves it as it is)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, OWNER_ONLY_FILE))
        return
    if mode & 0o077:
        with contextlib.suppress(PermissionError):
            os.chmod(path, OWNER_ONLY_FILE)


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file that only its owner can read."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY_FILE)
    with os.fdopen(descriptor, "wb") as handle:
        os.fchmod(handle.fileno(), OWNER_ONLY_FILE)
        handle.write(data)

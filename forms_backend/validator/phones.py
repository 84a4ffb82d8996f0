"""French phone numbers, checked and written in E.164 (``+33612345678``)."""

from __future__ import annotations

import re


def normalise_french_phone(typed: str) -> str | None:
    """E.164 form of a French number written in any usual way, or ``None`` if it is not one."""
    digits = re.sub(r"[\s.\-/()]", "", typed)
    digits = (
        digits.replace("+33(0)", "+33").replace("0033", "+33", 1)
        if digits.startswith("0033")
        else digits
    )
    if digits.startswith("+33"):
        national = digits[3:]
        national = national[1:] if national.startswith("0") else national
    elif re.fullmatch(r"0\d{9}", digits):
        national = digits[1:]
    else:
        return None
    if not re.fullmatch(r"[1-9]\d{8}", national):
        return None
    return f"+33{national}"


def display_french_phone(e164: str) -> str:
    """``+33612345678`` shown as ``06 12 34 56 78`` for the counsellor."""
    national = "0" + e164.removeprefix("+33")
    return " ".join(national[i : i + 2] for i in range(0, 10, 2))


def is_french_mobile(e164: str) -> bool:
    """A French mobile number in E.164 (``+336…`` or ``+337…``): the only ones an SMS reaches."""
    return re.fullmatch(r"\+33[67]\d{8}", e164) is not None

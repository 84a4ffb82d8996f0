"""How long an SMS is: its encoding (GSM-7 or UCS-2) and how many segments a phone receives.

GSM 03.38 (3GPP TS 23.038) gives 7-bit SMS a basic set of 128 characters and an extension
table reached through an escape (each extension character costs 2 septets). One character
outside both switches the whole text to UCS-2, counted in UTF-16 code units (an emoji outside
the Basic Multilingual Plane takes 2). A single SMS holds 160 septets or 70 units; a longer
text is cut into segments of 153 or 67 (the rest carries the concatenation header).

French trap: GSM-7 has é è ù ì ò à É Ç but not ê â î ô û ç œ ï ë, nor the typographic
apostrophe ’, « », the non-breaking space or the middle dot of « inscrit·e »: one of those
halves the room of every segment. The kit's own texts stay in GSM-7 (see ``kit_text_problems``).
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")  # each one is ESC + a septet: 2 septets

GSM7, UCS2 = "GSM-7", "UCS-2"
SINGLE = {GSM7: 160, UCS2: 70}
CONCATENATED = {GSM7: 153, UCS2: 67}
KIT_MAX_SEGMENTS = 2  # the kit's texts: at most two segments each


@dataclass(frozen=True)
class Segments:
    """A text's encoding, its length in the encoding's units (septets or UTF-16 code units)
    and the number of segments it is sent in."""

    encoding: str
    units: int
    count: int


def outside_gsm7(text: str) -> list[str]:
    """The characters of ``text`` that GSM-7 cannot carry, each once, in order."""
    seen: dict[str, None] = {}
    for character in text:
        if character not in GSM7_BASIC and character not in GSM7_EXTENSION:
            seen.setdefault(character)
    return list(seen)


def stays_in_gsm7(text: str) -> bool:
    """True when the whole text can be sent in GSM-7 (no character switches it to UCS-2)."""
    return not outside_gsm7(text)


def _cost(character: str, encoding: str) -> int:
    if encoding == UCS2:
        return 2 if ord(character) > 0xFFFF else 1  # a surrogate pair in UTF-16
    return 2 if character in GSM7_EXTENSION else 1


def segments(text: str) -> Segments:
    """Encoding, units and segment count of ``text``, exactly as a phone splits it.

    In a concatenated text a character is never cut between two segments (an escape pair or a
    surrogate pair stays whole, as phones and SMS gateways do), so a segment may end one unit
    short: counting characters into segments is exact where dividing the total is not."""
    encoding = GSM7 if stays_in_gsm7(text) else UCS2
    costs = [_cost(character, encoding) for character in text]
    units = sum(costs)
    if units <= SINGLE[encoding]:
        return Segments(encoding, units, 1)
    room, count, used = CONCATENATED[encoding], 1, 0
    for cost in costs:
        if used + cost > room:
            count, used = count + 1, 0
        used += cost
    return Segments(encoding, units, count)


def kit_text_problems(text: str) -> list[str]:
    """What breaks the rule for the kit's own SMS texts (empty when it holds): GSM-7 only, so
    that « ê » or « ç » never halves the room, and at most two segments."""
    problems = []
    foreign = outside_gsm7(text)
    if foreign:
        shown = " ".join(repr(character) for character in foreign)
        problems.append(f"caractères hors GSM-7 (le SMS passerait en UCS-2) : {shown}")
    count = segments(text).count
    if count > KIT_MAX_SEGMENTS:
        problems.append(f"{count} segments : {KIT_MAX_SEGMENTS} au plus")
    return problems

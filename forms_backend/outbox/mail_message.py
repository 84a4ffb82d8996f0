"""Every e-mail the backend sends is built here: the counsellor's, the digest, the letters,
and the young person's (with the event's ``.ics`` attached).

What mail servers and spam filters expect of a well-made message: a ``Date`` with a numeric
zone, a ``Message-ID`` at the sender's own domain (SpamAssassin scores a message without them
2.7 and 0.6), ``Auto-Submitted: auto-generated`` (RFC 3834: no vacation reply loops), encoded
headers folded into encoded words of 75 characters at most (RFC 2047) and a plain-text body
in UTF-8 wrapped at 78 columns (RFC 5322) without ever cutting a link.

Built with the ``compat32`` classes rather than ``EmailMessage``: the new API parses every header
it is given, which made each e-mail cost some 3 ms of CPU — in the server, beside the requests it
answers, that was a third of its capacity under load. This way: well under 1 ms.
"""

from __future__ import annotations

import re
import string
import textwrap
from datetime import datetime
from email.charset import QP, Charset
from email.encoders import encode_base64
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
WIDTH = 78  # characters per line of text (RFC 5322 § 2.1.1)
ENCODED_WORD = 75  # characters at most (RFC 2047 § 2)
Q_START, Q_END = "=?utf-8?q?", "?="
Q_SAFE = frozenset(string.ascii_letters + string.digits + "!*+-/")  # RFC 2047 § 5 (3)
UTF8 = Charset("utf-8")
UTF8.header_encoding = UTF8.body_encoding = QP  # readable even as a raw file


def plain_message(
    subject: str,
    text: str,
    *,
    sender: str,
    recipient: str,
    idstring: str | None = None,
    now: datetime | None = None,
) -> Message:
    """A plain-text French e-mail from ``sender`` to the one address ``recipient``.

    ``recipient`` must already be a plain ASCII address (see ``addresses.sending_address``);
    the SMTP envelope is given separately (``Mailer.send``), never derived from these headers."""
    message = MIMEText(wrap_text(text), "plain", UTF8)  # type: ignore[arg-type]
    return _addressed(message, subject, sender, recipient, idstring, now)


def message_with_attachment(
    subject: str,
    text: str,
    attachment: tuple[str, bytes, str, str],
    *,
    sender: str,
    recipient: str,
    idstring: str | None = None,
    now: datetime | None = None,
) -> Message:
    """:func:`plain_message` with one file attached (``attachment``: file name, bytes, main
    type, subtype), in base64: a ``multipart/mixed`` whose first part is the text."""
    name, data, maintype, subtype = attachment
    message = MIMEMultipart("mixed")
    message.attach(MIMEText(wrap_text(text), "plain", UTF8))  # type: ignore[arg-type]
    part = MIMEBase(maintype, subtype, charset="utf-8")
    part.set_payload(data)
    encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=name)
    message.attach(part)
    return _addressed(message, subject, sender, recipient, idstring, now)


def _addressed(
    message: Message,
    subject: str,
    sender: str,
    recipient: str,
    idstring: str | None,
    now: datetime | None,
) -> Message:
    """Every message's headers: subject, addresses, date, id, and that a program sent it."""
    message["Subject"] = folded_header("Subject", one_line(subject))
    message["From"] = from_header(sender)
    message["To"] = recipient
    # Always aware (a naive datetime would be written with -0000: "zone unknown").
    message["Date"] = format_datetime((now or datetime.now(PARIS)).astimezone(PARIS))
    message["Message-ID"] = message_id(sender, idstring)
    message["Auto-Submitted"] = "auto-generated"
    return message


# Any run of white space but the no-break ones French typography puts before « : » (which
# ``str.split`` would also take for spaces, and lose).
_BREAKING_SPACES = re.compile(r"(?:(?![\u00a0\u202f])\s)+")


def one_line(text: str) -> str:
    """``text`` on one line: every run of breaking white space becomes one space."""
    return _BREAKING_SPACES.sub(" ", text).strip()


def folded_header(name: str, value: str) -> str:
    """``value`` ready for the header ``name``, folded here rather than by the generator.

    The Maildir's generator does not fold at all (encoded words of 200 characters), and the
    ``Header`` class, given 76 columns, writes encoded words of 77: RFC 2047 allows 75. Words
    are cut between characters, never inside one's UTF-8 bytes. Plain ASCII without ``=?``
    (which a mail reader would decode) stays as it is, folded at spaces."""
    if value.isascii() and "=?" not in value:
        return Header(value, header_name=name).encode(maxlinelen=WIDTH)
    words, current = [], ""
    room = min(ENCODED_WORD, WIDTH - len(name) - 2) - len(Q_START) - len(Q_END)
    for char in value:
        encoded = char if char in Q_SAFE else "_" if char == " " else _q_bytes(char)
        if len(current) + len(encoded) > room:
            words.append(current)
            current, room = "", ENCODED_WORD - len(Q_START) - len(Q_END)
        current += encoded
    words.append(current)
    return "\n ".join(f"{Q_START}{word}{Q_END}" for word in words)


def from_header(sender: str) -> str:
    """The ``From`` header for the setting ``sender``: a bare address, or a name (encoded and
    folded like the subject when it is not plain ASCII) and the address."""
    name, address = parseaddr(sender)
    if not name:
        return address or sender
    if name.isascii() and "=?" not in name:
        return formataddr((name, address))
    encoded = folded_header("From", name)
    fits = len(encoded.rpartition("\n")[2]) + len(address) + 3 <= WIDTH
    return f"{encoded}{' ' if fits else chr(10) + ' '}<{address}>"


def _q_bytes(char: str) -> str:
    return "".join(f"={byte:02X}" for byte in char.encode())


def message_id(sender: str, idstring: str | None = None) -> str:
    """A ``Message-ID`` at the sender's domain: ``idstring`` (unique already, such as a
    submission's id: a retry keeps the same id, so mail readers show a duplicate once), or a
    random one. ``make_msgid`` with an idstring writes a line longer than 78 characters."""
    domain = sender_domain(sender)
    return f"<{idstring}@{domain}>" if idstring else make_msgid(domain=domain)


def sender_domain(sender: str) -> str:
    """The domain of the sender's address, in ASCII (IDNA), for the ``Message-ID``."""
    domain = parseaddr(sender)[1].rpartition("@")[2].strip().lower() or "localhost"
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return "localhost"


def wrap_text(text: str, width: int = WIDTH) -> str:
    """``text`` with every line of more than ``width`` characters wrapped at spaces, keeping its
    indentation; a word longer than a line (a link) stays whole, on a line of its own."""
    lines: list[str] = []
    for line in text.splitlines():
        if len(line) <= width:
            lines.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        lines += textwrap.wrap(
            line,
            width,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
    return "\n".join(lines)

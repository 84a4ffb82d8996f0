"""Reading a request body: a size cap (413), a total time limit (408), strict UTF-8 fields (400).

Every form goes through here, so no form can take more memory, more time or another encoding
than the others: a body over the cap is refused before it is all in memory, a body trickling in
byte after byte is cut at the deadline, and a field that is not valid UTF-8 is refused instead of
being guessed (Starlette's own parser would keep it as Latin-1 mojibake).
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.exceptions import HTTPException
from starlette.requests import Request


async def read_body(request: Request, limit: int, deadline: float = 30.0) -> bytes:
    """The body, refusing more than ``limit`` bytes (413) whatever ``Content-Length`` says, and
    a body not complete ``deadline`` seconds after the reading began (408).

    The body is also cached on the request, so that a later read gets the same bytes.
    """
    declared = request.headers.get("content-length")
    if declared and declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413)
    body = bytearray()
    try:
        async with asyncio.timeout(deadline):
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise HTTPException(413)
    except TimeoutError:
        raise HTTPException(408) from None
    request._body = bytes(body)
    return request._body


def parse_fields(
    content_type: str, body: bytes, *, max_fields: int = 50, max_files: int = 0
) -> tuple[dict[str, str], dict[str, bytes]]:
    """The text fields and the files' bytes of a URL-encoded or multipart body (400 if broken,
    if a field is not UTF-8, or if there are more fields or files than allowed)."""
    try:
        if content_type.startswith("multipart/form-data"):
            return _multipart(content_type, body, max_fields, max_files)
        text = body.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=max_fields, errors="strict")
        return dict(pairs), {}
    except (UnicodeDecodeError, ValueError, KeyError, FormParserError):
        raise HTTPException(400) from None


def _multipart(
    content_type: str, body: bytes, max_fields: int, max_files: int
) -> tuple[dict[str, str], dict[str, bytes]]:
    _, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if not boundary:
        raise ValueError("no boundary")
    parts: list[tuple[bytes, bytearray]] = []  # (Content-Disposition, data)
    header = {"name": b"", "value": b"", "disposition": b""}

    def on_header_end() -> None:
        if header["name"].lower() == b"content-disposition":
            header["disposition"] = header["value"]
        header["name"] = header["value"] = b""

    def add(key: str, data: bytes, start: int, end: int) -> None:
        header[key] += data[start:end]

    callbacks = {
        "on_part_begin": lambda: header.update(disposition=b""),
        "on_header_field": lambda data, start, end: add("name", data, start, end),
        "on_header_value": lambda data, start, end: add("value", data, start, end),
        "on_header_end": on_header_end,
        "on_headers_finished": lambda: parts.append((header["disposition"], bytearray())),
        "on_part_data": lambda data, start, end: parts[-1][1].extend(data[start:end]),
    }
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    parser.write(body)
    parser.finalize()
    fields: dict[str, str] = {}
    files: dict[str, bytes] = {}
    file_count = 0
    for disposition, data in parts:
        _, options = parse_options_header(disposition)
        name = options[b"name"].decode("utf-8")  # KeyError: caught by the caller as broken
        if b"filename" in options:
            file_count += 1
            files.setdefault(name, bytes(data))
        else:
            fields[name] = data.decode("utf-8")
    if len(parts) - file_count > max_fields or file_count > max_files:
        raise ValueError("too many parts")
    return fields, files

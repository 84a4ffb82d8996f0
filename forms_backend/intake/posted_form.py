"""A contribution form as posted: its small text fields and at most one photo, read from the
stream so that memory stays bounded whatever is sent.

A photo over the limit is not refused by cutting the request (the person would lose everything
typed): its bytes are dropped as they arrive and parsing goes on, so that the fields after it
are read too and the form comes back filled in, with a message on the photo. Only a body over
``stream_limit`` (far above any photo) is cut, with a 413.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from python_multipart import MultipartParser
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import parse_options_header
from starlette.exceptions import HTTPException
from starlette.requests import Request

from forms_backend.intake.bodies import parse_fields, read_body

MAX_FIELDS = 30
MAX_FIELD_BYTES = 64 * 1024
MAX_HEADER_BYTES = 8 * 1024
FIELDS_BODY_LIMIT = 64 * 1024  # a form without a file, URL-encoded


@dataclass
class PostedForm:
    """What was sent: ``photo`` is None when none was chosen, or when it was over
    ``photo_limit`` (then ``photo_too_large`` is True)."""

    fields: dict[str, str] = field(default_factory=dict)
    photo: bytes | None = None
    photo_too_large: bool = False


async def read_posted_form(
    request: Request,
    *,
    photo_limit: int,
    stream_limit: int,
    fields_limit: int = FIELDS_BODY_LIMIT,
    deadline: float = 30.0,
) -> PostedForm:
    """The form of ``request``: multipart read as a stream, anything else as a small body; a
    body still coming in ``deadline`` seconds after the reading began is cut (408)."""
    raw_type = request.headers.get("content-type", "")
    content_type, options = parse_options_header(raw_type)
    if content_type != b"multipart/form-data":
        body = await read_body(request, fields_limit, deadline)
        return PostedForm(fields=parse_fields(raw_type, body, max_fields=MAX_FIELDS)[0])
    boundary = options.get(b"boundary")
    if not boundary:
        raise HTTPException(400)
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > stream_limit:
        raise HTTPException(413)
    reader = _MultipartReader(photo_limit)
    parser = MultipartParser(boundary, reader.callbacks())
    received = 0
    try:
        async with asyncio.timeout(deadline):
            async for chunk in request.stream():
                received += len(chunk)
                if received > stream_limit:
                    raise HTTPException(413)
                parser.write(chunk)
                if reader.problem:
                    raise HTTPException(reader.problem)
        parser.finalize()
    except TimeoutError:
        raise HTTPException(408) from None
    except MultipartParseError:
        raise HTTPException(400) from None
    if reader.problem:
        raise HTTPException(reader.problem)
    return reader.form


class _MultipartReader:
    """Callbacks of python-multipart's push parser, keeping what a contribution may hold."""

    def __init__(self, photo_limit: int) -> None:
        self.photo_limit = photo_limit
        self.form = PostedForm()
        self.problem = 0  # an HTTP status once the body is known to be unacceptable
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._header_bytes = 0
        self._name = ""
        self._is_file = False
        self._data = bytearray()
        self._dropping = False
        self._parts = 0

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field_data,
            "on_header_value": self._header_value_data,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._headers, self._header_bytes = {}, 0
        self._data, self._dropping = bytearray(), False
        self._parts += 1
        if self._parts > MAX_FIELDS:
            self._fail(413)

    def _header_field_data(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self._header_field += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[bytes(self._header_field).lower()] = bytes(self._header_value)
        self._header_field, self._header_value = bytearray(), bytearray()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        try:
            self._name = options.get(b"name", b"").decode("utf-8")
        except UnicodeDecodeError:
            self._fail(400)
        self._is_file = b"filename" in options
        # Only the photo field's file is kept; any other file is read past, never stored.
        self._dropping = self._is_file and self._name != "photo"

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._dropping or self.problem:
            return
        self._data += data[start:end]
        if self._is_file and len(self._data) > self.photo_limit:
            self.form.photo_too_large = True
            self._data, self._dropping = bytearray(), True  # freed now, the rest ignored
        elif not self._is_file and len(self._data) > MAX_FIELD_BYTES:
            self._fail(413)

    def _part_end(self) -> None:
        if self.problem:
            return
        if self._is_file:
            if self._name == "photo" and not self._dropping and self._data and not self.form.photo:
                self.form.photo = bytes(self._data)
        else:
            try:
                self.form.fields[self._name] = self._data.decode("utf-8")
            except UnicodeDecodeError:
                self._fail(400)
        self._data = bytearray()

    def _count_header(self, size: int) -> None:
        self._header_bytes += size
        if self._header_bytes > MAX_HEADER_BYTES:
            self._fail(413)

    def _fail(self, status: int) -> None:
        self.problem = self.problem or status
        self._dropping = True
        self._data = bytearray()

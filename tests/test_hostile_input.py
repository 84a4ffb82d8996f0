"""Hostile input at the door: control characters in every field of every form, bodies that
trickle in or are not UTF-8, wrong methods, and X-Forwarded-For from someone we do not trust.
Real app, real SQLite files, and the real ``porte-voix forms serve`` on 127.0.0.1."""

from __future__ import annotations

import json
import re
import select
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from forms_backend.config import BackendConfig, ConfigError
from forms_backend.typography import french_spacing
from forms_backend.validator.fields import control_message

from .backend import VALID, client_for, free_port, make_config, manifest_event, write_manifest
from .conftest import ENVIRONMENT

EVENT_ID = "2030-01-01-atelier"
REFERRAL = {
    **VALID,
    "pro_nom": "Julie Martin",
    "pro_structure": "Centre social Les Deux Rives",
    "pro_contact": "j.martin@deuxrives.example",
    "accord_jeune": "oui",
}
TESTIMONY = {
    "prenom": "Inès",
    "age": "19",
    "commune": "Frouard",
    "citation": "Ici, on m'a écoutée.",
    "recit": "J'ai arrêté le lycée. Aujourd'hui je suis en BTS.",
    "email": "ines@exemple.fr",
    "email_parent": "",
    "accord_publication": "oui",
    "accord_photo": "",
}
PROPOSAL = {
    "titre": "Tournoi de foot",
    "date": f"{date.today() + timedelta(days=30):%Y-%m-%d}",
    "debut": "14:00",
    "fin": "17:00",
    "lieu": "Stade municipal, rue du Stade",
    "commune": "Frouard",
    "description": "Un tournoi entre jeunes, avec des entreprises.",
    "email": "",
    "accord_publication": "oui",
}
# Each form, what a person would send, and whether it speaks to a partner (vouvoiement).
FORMS = {
    "rappel": (VALID, False),
    "inscription": ({**VALID, "evenement": EVENT_ID}, False),
    "orientation": (REFERRAL, True),
    "temoignage": (TESTIMONY, False),
    "evenement": (PROPOSAL, False),
}
TECHNICAL = {"source", "evenement", "id", "jeton"}
MULTI_LINE = {"recit", "description"}
HOSTILE = {
    "CR": "\r",
    "LF": "\n",
    "NUL": "\x00",
    "ESC": "\x1b[31m",
    "C1": "\x85",
    "RLO": "\u202e",
    "LRI": "\u2066",
    "TAG": "".join(chr(0xE0000 + ord(c)) for c in "hidden words"),  # ASCII in tag characters
    "ZWSP": "\u200b",
    "BOM": "\ufeff",
}
ONE_LINE = {
    False: "Écris tout sur une seule ligne, sans retour à la ligne.",
    True: "Écrivez tout sur une seule ligne, sans retour à la ligne.",
}
INVISIBLE = {
    False: (
        "Ce texte contient un caractère invisible qu'on ne peut pas garder (souvent venu d'un "
        "copier-coller). Efface le champ et retape le texte au clavier."
    ),
    True: (
        "Ce texte contient un caractère invisible que nous ne pouvons pas garder (souvent venu "
        "d'un copier-coller). Effacez le champ et retapez le texte au clavier."
    ),
}


def test_emoji_with_joiners_and_a_flags_tags_are_not_taken_for_hidden_text() -> None:
    """Tag characters are refused when they spell hidden text, not inside a flag's sequence."""
    for text in (
        "Fière 👩\u200d💻 !",
        "Écosse 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
        "❤\ufe0f",
    ):
        assert control_message(text) == "", ascii(text)
    assert control_message("🏴\U000e0067\U000e0062 caché") != ""


@pytest.fixture
def config(tmp_path: Path):  # type: ignore[no-untyped-def]
    config = make_config(tmp_path, uploads=tmp_path / "contributions")
    write_manifest(config.site_dir, [manifest_event(EVENT_ID, places=30)])
    return config


def stored(config) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """How many rows each table a form writes to holds."""
    connection = sqlite3.connect(config.database)
    try:
        tables = ("submissions", "outbox", "spam", "contributions")
        return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        connection.close()


def send(client, form: str, fields: dict[str, str], **kwargs):  # type: ignore[no-untyped-def]
    """Post as the page's own form does: the testimonial (it has a photo input) as multipart."""
    if form == "temoignage":
        kwargs["files"] = {"photo": ("", b"", "application/octet-stream")}
    return client.post(f"/formulaires/{form}", data=fields, **kwargs)


def with_token(client, form: str, fields: dict[str, str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = client.get("/formulaires/jeton", params={"formulaire": form}).json()
    return {**fields, "id": data["id"], "jeton": data["jeton"]}


@pytest.mark.parametrize("form", FORMS)
def test_control_characters_are_refused_in_every_field_and_nothing_is_stored(
    config,
    form: str,  # type: ignore[no-untyped-def]
) -> None:
    good, formal = FORMS[form]
    fields = [name for name in good if name not in TECHNICAL]
    with client_for(config) as client:
        for name in fields:
            for label, bad in HOSTILE.items():
                if name in MULTI_LINE and bad == "\n":
                    continue  # a line break is welcome in a story
                typed = f"{good[name] or 'x'}{bad}suite"
                answer = send(client, form, with_token(client, form, {**good, name: typed}))
                where = f"{form}.{name} with {label}"
                assert answer.status_code == 422, where
                page = BeautifulSoup(answer.text, "html.parser")
                error = page.find(id=f"pv-{form}-{name}-erreur")
                assert error is not None, where
                one_line = name not in MULTI_LINE and bad in "\r\n\x85"
                expected = (ONE_LINE if one_line else INVISIBLE)[formal]
                shown = french_spacing(f"Erreur : {expected}")  # the page's typography
                assert error.get_text(" ", strip=True) == shown, where
                others = page.find_all(class_="pv-error")
                assert len(others) == 1, f"{where}: {[e.get_text() for e in others]}"
                shown = page.find(id=f"pv-{form}-{name}")
                if shown.name == "textarea":
                    assert shown.get_text() == typed, where
                elif shown.name == "input" and shown["type"] != "checkbox":
                    assert shown["value"] == typed, where
    assert stored(config) == {"submissions": 0, "outbox": 0, "spam": 0, "contributions": 0}


def test_what_was_typed_comes_back_escaped(config) -> None:  # type: ignore[no-untyped-def]
    typed = '"><script>alert(1)</script>\x1b[31m'
    with client_for(config) as client:
        answer = send(client, "rappel", with_token(client, "rappel", {**VALID, "commune": typed}))
    assert answer.status_code == 422
    assert "<script>alert(1)" not in answer.text
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\x1b[31m" in answer.text
    page = BeautifulSoup(answer.text, "html.parser")
    assert page.find(id="pv-rappel-commune")["value"] == typed


@pytest.mark.parametrize(
    ("form", "name", "good"),
    [("temoignage", "recit", TESTIMONY), ("evenement", "description", PROPOSAL)],
)
def test_multi_line_fields_keep_line_breaks_and_tabs(config, form: str, name: str, good) -> None:  # type: ignore[no-untyped-def]
    story = "Première ligne.\r\n\tDeuxième ligne, en retrait.\nTroisième."
    with client_for(config) as client:
        answer = send(client, form, with_token(client, form, {**good, name: story}))
    assert answer.status_code == 303, answer.text[:500]
    connection = sqlite3.connect(config.database)
    try:
        (fields,) = connection.execute("SELECT fields FROM contributions").fetchone()
    finally:
        connection.close()
    # Stored with plain line breaks (the browser's CR LF made LF), the tab kept.
    assert "Première ligne.\\n\\tDeuxième ligne, en retrait.\\nTroisième." in fields


def test_a_parents_link_with_control_characters_is_refused_politely(config) -> None:  # type: ignore[no-untyped-def]
    with client_for(config) as client:
        shown = client.get("/formulaires/accord-parent", params={"jeton": "abc\x1b[31m"})
        posted = client.post("/formulaires/accord-parent", data={"jeton": "abc\u202edef"})
    for answer in (shown, posted):
        assert answer.status_code == 400
        text = BeautifulSoup(answer.text, "html.parser").get_text(" ")
        assert "Ce lien a été abîmé" in text and "Ouvrez à nouveau le lien" in text


# --- Bodies that are not UTF-8, wrong methods ---------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("encoding", ["brut", "pourcent"])
def test_invalid_utf8_is_a_400_in_french_in_every_form(config, form: str, encoding: str) -> None:  # type: ignore[no-untyped-def]
    good, _ = FORMS[form]
    with client_for(config) as client:
        fields = with_token(client, form, good)
        name = "prenom" if "prenom" in good else "titre"
        if form == "temoignage":  # multipart, as the page sends it
            boundary = "xYzZy"
            parts = [
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode()
                + (b"In\xe8s" if k == name else v.encode())
                + b"\r\n"
                for k, v in fields.items()
            ]
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            fields.pop(name)
            raw = b"In\xe8s" if encoding == "brut" else b"In%E8s"
            body = urlencode(fields).encode() + b"&" + name.encode() + b"=" + raw
            content_type = "application/x-www-form-urlencoded"
        answer = client.post(
            f"/formulaires/{form}", content=body, headers={"Content-Type": content_type}
        )
    assert answer.status_code == 400
    assert "La demande n'a pas pu être lue." in BeautifulSoup(answer.text, "html.parser").text
    assert stored(config) == {"submissions": 0, "outbox": 0, "spam": 0, "contributions": 0}


def test_a_parents_consent_not_in_utf8_is_a_400_in_french(config) -> None:  # type: ignore[no-untyped-def]
    with client_for(config) as client:
        answer = client.post(
            "/formulaires/accord-parent",
            content=b"jeton=%FF%FE",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert answer.status_code == 400 and "La demande n'a pas pu être lue." in answer.text


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/formulaires/rappel", "GET, HEAD, POST"),
        ("DELETE", "/formulaires/jeton", "GET, HEAD"),
        ("PATCH", "/formulaires/accord-parent", "GET, HEAD, POST"),
        ("PUT", "/formulaires/temoignage", "POST"),
    ],
)
def test_405_says_which_methods_are_allowed(config, method: str, path: str, allowed: str) -> None:  # type: ignore[no-untyped-def]
    with client_for(config) as client:
        answer = client.request(method, path)
    assert answer.status_code == 405
    assert answer.headers["allow"] == allowed
    assert "Cette adresse ne s'utilise pas de cette façon." in answer.text


# --- The real server: a body that trickles in, X-Forwarded-For ----------------------------------


@contextmanager
def real_server(tmp_path: Path, **settings: str) -> Iterator[int]:
    """``porte-voix forms serve`` in its own process, configured through its environment."""
    config = make_config(tmp_path)
    write_manifest(config.site_dir, [manifest_event(EVENT_ID)])
    port = free_port()
    env = {
        **{k: v for k, v in ENVIRONMENT.items() if not k.startswith("PORTE_VOIX_")},
        "PORTE_VOIX_DB": str(config.database),
        "PORTE_VOIX_SITE_DIR": str(config.site_dir),
        "PORTE_VOIX_MIN_FILL_SECONDS": "0",
        **settings,
    }
    command = [sys.executable, "-m", "forms_backend.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def raw_exchange(port: int, head: bytes, trickle: bytes, every: float) -> bytes:
    """Send ``head`` at once, then ``trickle`` one byte at a time; the server's whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        for byte in trickle:
            readable, _, _ = select.select([sock], [], [], every)
            if readable:
                break  # the server answered (and will close): stop sending
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
        # Read one whole answer (head, then Content-Length bytes), not until the server closes:
        # whether it closes at once after an error is up to uvicorn, not what is tested here.
        answer = b""
        while b"\r\n\r\n" not in answer and (chunk := sock.recv(65536)):
            answer += chunk
        head_end = answer.find(b"\r\n\r\n") + 4
        length = re.search(rb"(?im)^content-length:\s*(\d+)", answer[:head_end])
        while length and len(answer) - head_end < int(length[1]) and (chunk := sock.recv(65536)):
            answer += chunk
        return answer


@pytest.mark.parametrize("form", ["rappel", "temoignage"])
def test_a_body_that_trickles_in_is_cut_with_a_408_in_french(tmp_path: Path, form: str) -> None:
    body = urlencode(VALID).encode()
    # The last 20 bytes at one every 0.5 s: 10 s, past the 2 s set here, within the default 30 s.
    with real_server(tmp_path, PORTE_VOIX_BODY_TIMEOUT="2") as port:
        head = (
            f"POST /formulaires/{form} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        answer = raw_exchange(port, head + body[:-20], body[-20:], every=0.5)
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 408 Request Timeout", answer[:300]
    text = rest.decode("utf-8")
    assert "Le formulaire est arrivé trop lentement" in text
    assert 'lang="fr"' in text


def post_from(port: int, forwarded_for: str) -> int:
    """A call-back request to the real server, naming ``forwarded_for`` as the client."""
    with urllib.request.urlopen(
        f"http://127.0.0.1:{port}/formulaires/jeton?formulaire=rappel", timeout=20
    ) as answer:
        token = json.loads(answer.read())
    data = urlencode({**VALID, "id": token["id"], "jeton": token["jeton"]}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/formulaires/rappel",
        data=data,
        headers={"X-Forwarded-For": forwarded_for, "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_x_forwarded_for_is_ignored_from_a_peer_nobody_trusts(tmp_path: Path) -> None:
    with real_server(tmp_path, PORTE_VOIX_RATE_LIMIT="1") as port:
        first = post_from(port, "198.51.100.1")
        second = post_from(port, "198.51.100.2")  # same socket peer: same budget
    assert (first, second) == (200, 429)


def test_x_forwarded_for_is_believed_from_a_trusted_proxy(tmp_path: Path) -> None:
    with real_server(
        tmp_path, PORTE_VOIX_RATE_LIMIT="1", PORTE_VOIX_TRUSTED_PROXIES="127.0.0.1"
    ) as port:
        first = post_from(port, "198.51.100.1")
        second = post_from(port, "198.51.100.2")  # another young person behind the proxy
        again = post_from(port, "198.51.100.1")
        # A client writing its own X-Forwarded-For before the proxy's hop changes nothing.
        forged = post_from(port, "203.0.113.9, 198.51.100.2")
    assert (first, second, again, forged) == (200, 200, 429, 429)


def test_trusted_proxies_must_be_addresses() -> None:
    with pytest.raises(ConfigError, match="PORTE_VOIX_TRUSTED_PROXIES"):
        BackendConfig.from_environment({"PORTE_VOIX_TRUSTED_PROXIES": "nginx.local"})
    parsed = BackendConfig.from_environment({"PORTE_VOIX_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"})
    assert [str(n) for n in parsed.trusted_proxies] == ["127.0.0.1/32", "10.0.0.0/8"]
    assert BackendConfig.from_environment({}).trusted_proxies == ()

"""Memory of the form server while photos are sent: four testimonials at once, each with a photo
of many pixels but few bytes (the attack an outside tester found: 120 KB on disk, 38 Mpx
decoded), through the real ``porte-voix forms serve`` on loopback.

Writes its figures into BENCHMARKS.md (section « Envoi de photos »). Not a test: it measures.
"""

from __future__ import annotations

import io
import os
import platform
import re
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path

from backend_load import ROOT, publish, server, wait_until_up
from PIL import Image

CONCURRENT = 4
TARGET_MB = 300
# The same run on the code before the pixel limit and the one-at-a-time decoding (measured once).
BEFORE = (
    "Avant (commit cda4b58, même passage le 2026-12-01) : 986 Mo, 1 065 Mo, 481 Mo au-dessus du "
    "repos pour les trois premières lignes, et 1 667 Mo pour la PNG de 38 Mpx, alors acceptée."
)
FIELDS = {
    "prenom": "Inès",
    "age": "19",
    "commune": "Frouard",
    "citation": "Ici, on m'a écoutée.",
    "recit": "J'ai arrêté le lycée. Une conseillère est venue au centre social.",
    "accord_publication": "oui",
    "accord_photo": "oui",
}


def png(width: int, height: int) -> bytes:
    """A single-colour PNG: a few hundred kilobytes on disk, ``width`` × ``height`` decoded."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def jpeg(width: int, height: int) -> bytes:
    """A smooth JPEG of a phone camera's size (a gradient: a few megabytes)."""
    gradient = Image.linear_gradient("L").resize((width, height))
    picture = Image.merge(
        "RGB", (gradient, gradient.transpose(Image.Transpose.ROTATE_180), gradient)
    )
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def noisy_jpeg(width: int, height: int) -> bytes:
    """A JPEG of pure noise: as heavy as a photo under the 10 MB limit gets."""
    picture = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=97)
    return buffer.getvalue()


def multipart(fields: dict[str, str], photo: bytes, name: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post(port: int, photo: bytes, name: str, answers: list[int]) -> None:
    body, content_type = multipart({**FIELDS, "id": str(uuid.uuid4())}, photo, name)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/formulaires/temoignage",
        data=body,
        headers={"Content-Type": content_type, "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as answer:
            answers.append(answer.status)
    except urllib.error.HTTPError as error:
        answers.append(error.code)


def memory_kb(pid: int, field: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status)[1])


def measure(workdir: Path, photo: bytes, name: str) -> dict:
    """A fresh server; its resting memory after one small photo; then the peak while
    ``CONCURRENT`` photos arrive at once (VmHWM: the kernel's own high-water mark)."""
    env = {
        "PORTE_VOIX_DB": str(workdir / "formulaires.sqlite3"),
        "PORTE_VOIX_SITE_DIR": str(workdir / "site"),
        "PORTE_VOIX_MIN_FILL_SECONDS": "0",
        "PORTE_VOIX_RATE_LIMIT": "1000",
        "PORTE_VOIX_WORKER_INTERVAL": "3600",
    }
    command = [sys.executable, "-m", "generator", "forms", "serve"]
    with server(command, env) as (process, port):
        wait_until_up(f"http://127.0.0.1:{port}/formulaires/jeton?formulaire=temoignage")
        warm: list[int] = []
        post(port, jpeg(1200, 900), "petite.jpg", warm)  # Pillow and the parser loaded
        time.sleep(0.5)
        resting = memory_kb(process.pid, "VmRSS")
        # VmHWM counts from the start: clear it, so the peak is the one of this burst.
        Path(f"/proc/{process.pid}/clear_refs").write_text("5")
        answers: list[int] = []
        threads = [
            threading.Thread(target=post, args=(port, photo, name, answers))
            for _ in range(CONCURRENT)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        peak = memory_kb(process.pid, "VmHWM")
    with sqlite3.connect(workdir / "formulaires.sqlite3") as db:
        stored = db.execute("SELECT COUNT(*) FROM contributions").fetchone()[0] - 1
    return {
        "resting": resting / 1024,
        "above": (peak - resting) / 1024,
        "seconds": seconds,
        "answers": sorted(answers),
        "stored": stored,
    }


def main() -> None:
    cases = [
        ("PNG 5500 × 4180 (23 Mpx, sous la limite)", png(5500, 4180), "grande.png"),
        ("JPEG 6000 × 4000 (24 Mpx, comme un téléphone)", jpeg(6000, 4000), "telephone.jpg"),
        ("JPEG 3000 × 2400 de bruit (9,6 Mo, sous la limite)", noisy_jpeg(3000, 2400), "bruit.jpg"),
        ("PNG 7000 × 5500 (38 Mpx, refusée)", png(7000, 5500), "bombe.png"),
    ]
    rows = []
    for label, photo, name in cases:
        with tempfile.TemporaryDirectory() as folder:
            result = measure(Path(folder), photo, name)
        verdict = "" if result["above"] <= TARGET_MB else " — cible manquée"
        answers = ", ".join(str(code) for code in result["answers"])
        rows.append(
            f"| {label} | {len(photo) / 1024:.0f} Ko | {result['resting']:.0f} Mo | "
            f"{result['above']:.0f} Mo{verdict} | {answers} | {result['stored']} | "
            f"{result['seconds']:.1f} s |"
        )
    when = datetime.now().strftime("%Y-%m-%d %H:%M")
    publish(
        [
            "## Envoi de photos",
            "",
            f"Mesuré le {when} sur {platform.machine()}, {os.cpu_count()} cœurs, Python "
            f"{platform.python_version()}. Commande : `make bench` (`python bench/upload_memory.py`) : "
            f"`porte-voix forms serve` sur 127.0.0.1, {CONCURRENT} témoignages envoyés en même temps, "
            "chacun avec la même photo ; au repos : après une première petite photo ; pic : VmHWM "
            "du serveur pendant les envois.",
            "",
            f"| photo | poids | serveur au repos | pic au-dessus du repos | réponses | gardées | durée des {CONCURRENT} envois |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
            f"Cible : quatre envois simultanés ≤ {TARGET_MB} Mo au-dessus du repos.",
            BEFORE,
            "",
        ]
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

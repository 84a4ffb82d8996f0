"""The young person's messages around an event, on the real app: a real SQLite file, a real SMTP
server (aiosmtpd), a real HTTP server answering like Brevo, and the worker driven by a clock the
test moves (never by sleeping)."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from bs4 import BeautifulSoup
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from forms_backend.app import Backend, create_app
from forms_backend.intake.events import POSTPONED
from forms_backend.intake.place_links import make_token
from forms_backend.outbox.event_watch import what_changed

from .backend import VALID, fresh, make_config, manifest_event, write_organisation

PARIS = ZoneInfo("Europe/Paris")
SEND = "/v3/transactionalSMS/send"
KEY = "xkeysib-test"
EVENT = "2030-03-16-atelier-cv"
SATURDAY_2PM = datetime(2030, 3, 16, 14, 0, tzinfo=PARIS)


class Clock:
    """The worker's time, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now.astimezone(UTC)


def event_at(start: datetime, event_id: str = EVENT, **changes: Any) -> dict[str, Any]:
    item = manifest_event(event_id, places=changes.pop("places", 20))
    item.update(
        debut=start.isoformat(),
        fin=(start + timedelta(hours=2)).isoformat(),
        jusqu_au=start.isoformat(),
        lieu="MJC Pompey, 2 rue des Jardins, 54340 Pompey",
        url=f"http://127.0.0.1:8000/evenements/{event_id}/",
    )
    item.update(changes)
    return item


def publish(
    site: Path, *events: dict[str, Any], rappels: dict | None = None, ecartes: list[str] = ()
) -> None:
    """Write the manifest as a new build does (a new modification time each call);
    ``ecartes``: event files the build left out for an error."""
    path = site / "porte-voix" / "evenements.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {"version": 1, "evenements": list(events), "ecartes": list(ecartes)}
    if rappels is not None:
        data["rappels"] = rappels
    aside = path.with_suffix(".tmp")
    aside.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    aside.replace(path)
    stamp = path.stat().st_mtime_ns + 1_000_000  # two builds within a tick still differ
    import os

    os.utime(path, ns=(stamp, stamp))


@dataclass
class Kit:
    """A running app (no worker thread: the test runs its passes) and what it talks to."""

    client: Any
    backend: Backend
    clock: Clock
    config: Any

    def post_sign_up(self, **fields: str) -> tuple[str, dict[str, Any]]:
        """A sign-up as the page sends it: its id, and the backend's answer."""
        token = fresh(self.client, "inscription")
        answer = self.client.post(
            "/formulaires/inscription",
            data={**token, **VALID, "evenement": EVENT, **fields},
            headers={"Accept": "application/json"},
        )
        return token["id"], answer.json()

    def sign_up(self, **fields: str) -> str:
        submission_id, answer = self.post_sign_up(**fields)
        assert answer["ok"], answer
        return submission_id

    def run_worker(self) -> None:
        """One pass of the worker at the clock's time."""
        self.backend.watch.check(self.clock())
        self.backend.forwarder.deliver_due()

    def at(self, moment: datetime) -> None:
        self.clock.now = moment
        self.run_worker()

    def link_token(self, submission_id: str) -> str:
        return make_token(self.backend.forwarder.link_secret(), submission_id)

    def rows(self) -> list[dict[str, Any]]:
        connection = sqlite3.connect(self.config.database)
        connection.row_factory = sqlite3.Row
        with connection:
            rows = connection.execute("SELECT * FROM outbox ORDER BY id").fetchall()
        connection.close()
        return [dict(row) for row in rows]

    def status(self, submission_id: str) -> str:
        return self.backend.store.submission(submission_id)["status"]


@pytest.fixture
def brevo(httpserver: HTTPServer) -> list[dict[str, Any]]:
    """A real HTTP server answering like Brevo; the list of SMS it accepted."""
    received: list[dict[str, Any]] = []

    def handler(request: Request) -> Response:
        received.append(json.loads(request.get_data()))
        return Response(json.dumps({"messageId": len(received)}), status=201)

    httpserver.expect_request(SEND, method="POST").respond_with_handler(handler)
    return received


def kit_config(tmp_path: Path, smtp, httpserver: HTTPServer, **overrides: Any):  # type: ignore[no-untyped-def]
    """A backend's settings sending to the local SMTP and SMS servers, the event published."""
    config = make_config(
        tmp_path,
        smtp_url=smtp.url,
        sms_url=httpserver.url_for("/"),
        sms_key=KEY,
        sms_sender="MissionLoc",
        **{"places_per_connection": 6, **overrides},
    )
    publish(config.site_dir, event_at(SATURDAY_2PM))
    write_organisation(config.site_dir)
    return config


@contextmanager
def running(config, clock: Clock) -> Iterator[Kit]:  # type: ignore[no-untyped-def]
    """The app on ``config`` at ``clock``'s time, its worker driven by the test."""
    from starlette.testclient import TestClient

    app = create_app(config, run_worker=False, clock=clock)
    with TestClient(app, follow_redirects=False) as client:
        yield Kit(client, app.state.backend, clock, config)


@pytest.fixture
def kit(tmp_path: Path, smtp, httpserver: HTTPServer, brevo) -> Kit:  # type: ignore[no-untyped-def]
    config = kit_config(tmp_path, smtp, httpserver)
    with running(config, Clock(datetime(2030, 3, 1, 10, 0, tzinfo=PARIS))) as started:
        yield started


def texts_to(brevo: list[dict[str, Any]], number: str = "33612345678") -> list[str]:
    return [sms["content"] for sms in brevo if sms["recipient"] == number]


def young_mails(smtp) -> list:  # type: ignore[no-untyped-def]
    return [m for m in smtp.messages if m["To"] != "conseillere@mission-locale.test"]


def counsellor_mails(smtp) -> list:  # type: ignore[no-untyped-def]
    return [m for m in smtp.messages if m["To"] == "conseillere@mission-locale.test"]


def text_of(message) -> str:  # type: ignore[no-untyped-def]
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


# 1. Confirmation by her channel -------------------------------------------------------------


def test_confirmation_by_sms_says_what_when_where_with_her_link(kit: Kit, brevo) -> None:  # type: ignore[no-untyped-def]
    submission_id = kit.sign_up()
    kit.run_worker()
    [text] = texts_to(brevo)
    link = f"http://127.0.0.1:8000/formulaires/ma-place?jeton={kit.link_token(submission_id)}"
    assert text == (
        'Bonjour Inès, ton inscription à "Événement 2030-03-16-atelier-cv" le samedi 16 mars '
        "à 14 h est bien notée. Lieu : MJC Pompey, 2 rue des Jardins, 54340 Pompey. "
        f"Infos, ou libérer ta place : {link}"
    )


def test_confirmation_by_email_attaches_the_events_calendar(kit: Kit, smtp) -> None:  # type: ignore[no-untyped-def]
    calendar = kit.config.site_dir / "evenements" / f"{EVENT}.ics"
    calendar.parent.mkdir(parents=True)
    calendar.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//\r\nBEGIN:VEVENT\r\n"
        b"UID:atelier@exemple.fr\r\nDTSTAMP:20300301T000000Z\r\n"
        b"DTSTART:20300316T130000Z\r\nSUMMARY:Atelier CV\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    kit.sign_up(canal="email", email="ines@exemple.fr", telephone="")
    kit.run_worker()
    [message] = young_mails(smtp)
    assert message["To"] == "ines@exemple.fr"
    assert message["Subject"] == "Ton inscription\u00a0: Événement 2030-03-16-atelier-cv"
    body = text_of(message)
    assert "Bonjour Inès," in body and "Ton inscription est bien notée." in body
    assert "Quand\u00a0: le samedi 16\u00a0mars à 14\u00a0h" in body
    assert "Où\u00a0: MJC Pompey, 2 rue des Jardins, 54340 Pompey" in body
    assert f"http://127.0.0.1:8000/evenements/{EVENT}/" in body
    assert "/formulaires/ma-place?jeton=" in body
    assert "Mission Locale du Val de Lorraine" in body
    [attached] = [p for p in message.walk() if p.get_filename()]
    assert attached.get_filename() == "evenement.ics"
    assert attached.get_content_type() == "text/calendar"
    parsed = icalendar.Calendar.from_ical(attached.get_payload(decode=True))
    assert [str(e["SUMMARY"]) for e in parsed.walk("VEVENT")] == ["Atelier CV"]
    assert kit.backend.store.sms_summary() == {}  # she chose e-mail: no SMS at all


@pytest.mark.parametrize(
    ("start", "said"),
    [
        (datetime(2031, 2, 4, 14, 0, tzinfo=PARIS), "le mardi 4 février 2031 à 14 h"),
        (datetime(2030, 12, 3, 14, 0, tzinfo=PARIS), "le mardi 3 décembre 2030 à 14 h"),
    ],
)
def test_the_email_gives_the_year_of_a_far_event(kit: Kit, smtp, start, said) -> None:  # type: ignore[no-untyped-def]
    """Signed up on 1 March 2030 for an event next year, or nine months away: « mardi
    4 février » alone could be any year; the e-mail says which (the near one, tested above,
    stays without)."""
    publish(kit.config.site_dir, event_at(start))
    kit.sign_up(canal="email", email="ines@exemple.fr", telephone="")
    kit.run_worker()
    [message] = young_mails(smtp)
    body = text_of(message).replace("\u00a0", " ")
    assert f"Quand : {said}" in body


@pytest.mark.parametrize(
    ("start", "said"),
    [
        (datetime(2031, 2, 4, 14, 0, tzinfo=PARIS), "le mardi 4 février 2031 à 14 h"),
        (datetime(2030, 12, 3, 14, 0, tzinfo=PARIS), "le mardi 3 décembre 2030 à 14 h"),
    ],
)
def test_the_sms_gives_the_year_of_a_far_event(kit: Kit, brevo, start, said) -> None:  # type: ignore[no-untyped-def]
    """The SMS is the only message a young person signed up by phone gets: for an event next
    year, or nine months away, it says the year as the e-mail does — and so does the SMS of a
    place that comes free from the waiting list."""
    publish(kit.config.site_dir, event_at(start, places=1))
    first = kit.sign_up(telephone="06 00 00 00 01")
    kit.sign_up(telephone="06 00 00 00 02")  # waiting
    kit.run_worker()
    [confirmation] = texts_to(brevo, "33600000001")
    assert said in confirmation
    answer = kit.client.post("/formulaires/ma-place", data={"jeton": kit.link_token(first)})
    assert answer.status_code == 200
    kit.run_worker()
    [waiting, promoted] = texts_to(brevo, "33600000002")
    assert said in waiting and said in promoted


def test_the_waiting_list_confirmation_gives_her_rank(kit: Kit, brevo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, places=1))
    kit.sign_up(telephone="06 00 00 00 01")
    kit.sign_up(telephone="06 00 00 00 02")
    kit.sign_up(telephone="06 00 00 00 03", prenom="Léo")
    kit.run_worker()
    [text] = texts_to(brevo, "33600000003")
    assert text.startswith(
        "Bonjour Léo, tu es sur la liste d'attente (rang 2) pour "
        '"Événement 2030-03-16-atelier-cv" le samedi 16 mars à 14 h.'
    )
    assert "Infos, ou te retirer : http://127.0.0.1:8000/formulaires/ma-place?jeton=" in text


# 2. Freeing a place in one tap ---------------------------------------------------------------


def test_the_link_shows_the_event_and_frees_the_place_once(kit: Kit, smtp, brevo) -> None:  # type: ignore[no-untyped-def]
    submission_id = kit.sign_up()
    token = kit.link_token(submission_id)
    page = kit.client.get("/formulaires/ma-place", params={"jeton": token})
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    box = BeautifulSoup(page.text, "html.parser").find(id="pv-ma-place")
    said = re.sub(r"[ \n]+", " ", box.get_text(" "))
    assert "Événement 2030-03-16-atelier-cv" in said and "samedi 16\u00a0mars à 14\u00a0h" in said
    [button] = box.find_all("button")
    assert button.get_text() == "Libérer ma place"
    # Opened in another year than the event's, the page says which year, as the SMS does.
    kit.clock.now = datetime(2029, 12, 20, 10, 0, tzinfo=PARIS)
    page = kit.client.get("/formulaires/ma-place", params={"jeton": token})
    assert "samedi 16\u00a0mars\u00a02030 à 14\u00a0h" in page.text
    kit.clock.now = datetime(2030, 3, 1, 10, 0, tzinfo=PARIS)
    freed = kit.client.post("/formulaires/ma-place", data={"jeton": token})
    assert freed.status_code == 200 and "ta place est libérée" in freed.text
    assert kit.status(submission_id) == "desinscrit"
    again = kit.client.post("/formulaires/ma-place", data={"jeton": token})
    assert again.status_code == 410 and "déjà libérée" in again.text
    assert kit.client.get("/formulaires/ma-place", params={"jeton": token}).status_code == 410
    # No reminder is left for a freed place; the counsellor is told.
    assert not [r for r in kit.rows() if "rappel" in r["target"] and r["state"] == "pending"]
    kit.run_worker()
    notices = [m for m in counsellor_mails(smtp) if "Place libérée" in m["Subject"]]
    assert len(notices) == 1 and "Inès a libéré sa place" in text_of(notices[0])


def test_a_tampered_link_frees_nothing(kit: Kit) -> None:
    submission_id = kit.sign_up()
    token = kit.link_token(submission_id)
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (flipped, "A" + token[1:] if token[0] != "A" else "B" + token[1:], "", "x" * 300):
        assert kit.client.get("/formulaires/ma-place", params={"jeton": bad}).status_code == 404
        answer = kit.client.post("/formulaires/ma-place", data={"jeton": bad})
        assert answer.status_code == 404 and "pas valable" in answer.text
    other_secret = make_token("un autre secret", submission_id)
    assert kit.client.post("/formulaires/ma-place", data={"jeton": other_secret}).status_code == 404
    assert kit.status(submission_id) == "inscrit"


def test_the_link_expires_when_the_event_starts(kit: Kit) -> None:
    submission_id = kit.sign_up()
    token = kit.link_token(submission_id)
    kit.clock.now = SATURDAY_2PM
    page = kit.client.get("/formulaires/ma-place", params={"jeton": token})
    assert page.status_code == 410 and "L'événement a commencé" in page.text
    answer = kit.client.post("/formulaires/ma-place", data={"jeton": token})
    assert answer.status_code == 410 and kit.status(submission_id) == "inscrit"


# 3. The waiting list moves up ----------------------------------------------------------------


def test_two_places_freed_at_once_go_to_two_people_each_told_once(kit: Kit, brevo, smtp) -> None:  # type: ignore[no-untyped-def]
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, places=2))
    first = kit.sign_up(telephone="06 00 00 00 01")
    second = kit.sign_up(telephone="06 00 00 00 02")
    waiting = [kit.sign_up(telephone=f"06 00 00 00 1{n}") for n in range(3)]
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def free(submission_id: str) -> None:
        barrier.wait()
        answer = kit.client.post(
            "/formulaires/ma-place", data={"jeton": kit.link_token(submission_id)}
        )
        answers.append(answer.status_code)

    threads = [threading.Thread(target=free, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200, 200]
    assert [kit.status(s) for s in waiting] == ["inscrit", "inscrit", "liste_attente"]
    kit.run_worker()
    kit.run_worker()
    for number in ("33600000010", "33600000011"):
        promoted = [t for t in texts_to(brevo, number) if "une place s'est libérée" in t]
        assert len(promoted) == 1 and "Libère-la : http://127.0.0.1:8000/formulaires" in promoted[0]
    assert not [t for t in texts_to(brevo, "33600000012") if "libérée" in t]
    moved = [m for m in counsellor_mails(smtp) if "Place donnée" in m["Subject"]]
    assert len(moved) == 2


def test_more_places_in_a_new_build_move_the_waiting_list_up(kit: Kit, brevo) -> None:  # type: ignore[no-untyped-def]
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, places=1))
    kit.sign_up(telephone="06 00 00 00 01")
    waiting = kit.sign_up(telephone="06 00 00 00 02")
    kit.run_worker()
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, places=2))
    kit.run_worker()
    kit.run_worker()
    assert kit.status(waiting) == "inscrit"
    assert len([t for t in texts_to(brevo, "33600000002") if "place s'est libérée" in t]) == 1


# 4. Reminders --------------------------------------------------------------------------------


def test_reminders_two_days_before_and_on_the_morning(kit: Kit, brevo) -> None:  # type: ignore[no-untyped-def]
    kit.sign_up()
    kit.run_worker()  # the confirmation
    kit.at(datetime(2030, 3, 14, 13, 59, tzinfo=PARIS))
    assert len(texts_to(brevo)) == 1
    kit.at(datetime(2030, 3, 14, 14, 0, tzinfo=PARIS))  # Thursday, two days before
    assert texts_to(brevo)[-1].startswith(
        'Rappel : "Événement 2030-03-16-atelier-cv" le samedi 16 mars à 14 h. Lieu : MJC'
    )
    kit.at(datetime(2030, 3, 15, 14, 0, tzinfo=PARIS))
    assert len(texts_to(brevo)) == 2
    kit.at(datetime(2030, 3, 16, 8, 0, tzinfo=PARIS))  # the morning
    assert texts_to(brevo)[-1].startswith(
        'Rappel : "Événement 2030-03-16-atelier-cv" aujourd\'hui à 14 h.'
    )
    kit.at(datetime(2030, 3, 16, 13, 0, tzinfo=PARIS))
    assert len(texts_to(brevo)) == 3  # each once


def test_the_setting_rappels_changes_the_day_before(kit: Kit, brevo) -> None:  # type: ignore[no-untyped-def]
    publish(kit.config.site_dir, event_at(SATURDAY_2PM), rappels={"jours_avant": 3, "matin": False})
    kit.sign_up()
    kit.at(datetime(2030, 3, 13, 14, 0, tzinfo=PARIS))  # Wednesday: three days before
    assert len(texts_to(brevo)) == 2
    kit.at(datetime(2030, 3, 16, 12, 0, tzinfo=PARIS))
    assert len(texts_to(brevo)) == 2  # no morning reminder


@pytest.mark.parametrize(
    ("start", "moved_to"),
    [
        # Tuesday 10:00: two days before is a Sunday → Monday 08:00.
        (datetime(2030, 3, 19, 10, 0, tzinfo=PARIS), datetime(2030, 3, 18, 8, 0, tzinfo=PARIS)),
        # Friday 21:00: two days before is Wednesday 21:00 → Thursday 08:00.
        (datetime(2030, 3, 22, 21, 0, tzinfo=PARIS), datetime(2030, 3, 21, 8, 0, tzinfo=PARIS)),
    ],
)
def test_a_reminder_in_quiet_hours_moves_to_the_next_allowed_time(
    kit: Kit,
    brevo,  # type: ignore[no-untyped-def]
    start: datetime,
    moved_to: datetime,
) -> None:
    publish(kit.config.site_dir, event_at(start), rappels={"jours_avant": 2, "matin": False})
    kit.sign_up()
    kit.run_worker()
    kit.at(start - timedelta(days=2))
    assert len(texts_to(brevo)) == 1
    kit.at(moved_to - timedelta(minutes=1))
    assert len(texts_to(brevo)) == 1
    kit.at(moved_to)
    assert len(texts_to(brevo)) == 2 and texts_to(brevo)[-1].startswith("Rappel")


def test_a_late_worker_holds_a_reminder_past_the_night_or_drops_it(kit: Kit, brevo) -> None:  # type: ignore[no-untyped-def]
    kit.sign_up()
    kit.run_worker()
    kit.at(datetime(2030, 3, 14, 22, 30, tzinfo=PARIS))  # the server was down all afternoon
    assert len(texts_to(brevo)) == 1  # not at night
    kit.at(datetime(2030, 3, 15, 8, 0, tzinfo=PARIS))
    assert len(texts_to(brevo)) == 2
    kit.at(datetime(2030, 3, 16, 14, 5, tzinfo=PARIS))  # down again until after the start
    assert len(texts_to(brevo)) == 2
    assert [r["state"] for r in kit.rows() if "rappel-matin" in r["target"]] == ["dropped"]


def test_no_reminder_for_a_freed_place_nor_a_cancelled_event(kit: Kit, brevo) -> None:  # type: ignore[no-untyped-def]
    freed = kit.sign_up(telephone="06 00 00 00 01")
    kit.sign_up(telephone="06 00 00 00 02")
    kit.client.post("/formulaires/ma-place", data={"jeton": kit.link_token(freed)})
    kit.run_worker()
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, statut="annule", raison="Salle fermée"))
    kit.run_worker()
    for day, hour in ((14, 14), (16, 8), (16, 13)):
        kit.at(datetime(2030, 3, day, hour, 0, tzinfo=PARIS))
    assert not [t for t in brevo if t["content"].startswith("Rappel")]


# 5. The event changes in a new build ---------------------------------------------------------


def test_a_cancelled_event_is_told_once_across_two_builds(kit: Kit, brevo, smtp) -> None:  # type: ignore[no-untyped-def]
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, places=1))
    kit.sign_up(telephone="06 00 00 00 01")
    kit.sign_up(canal="email", email="leo@exemple.fr", telephone="", prenom="Léo")  # waiting
    kit.run_worker()
    cancelled = event_at(SATURDAY_2PM, places=1, statut="annule", raison="La salle est fermée")
    publish(kit.config.site_dir, cancelled)
    kit.run_worker()
    publish(kit.config.site_dir, cancelled)  # a second build: nothing new
    kit.run_worker()
    kit.backend.watch._seen_stamp = None  # even after a restart of the server
    kit.run_worker()
    [text] = [t for t in texts_to(brevo, "33600000001") if "annulé" in t]
    assert text == (
        'Annulation : "Événement 2030-03-16-atelier-cv", le samedi 16 mars à 14 h, est annulé. '
        "La salle est fermée. Tu n'as rien à faire. Désolé !"
    )
    [mail] = [m for m in young_mails(smtp) if "Changement" in m["Subject"]]
    assert mail["To"] == "leo@exemple.fr"
    assert "l'événement est annulé\u00a0: La salle est fermée" in text_of(mail)


def test_a_changed_time_is_told_once_and_moves_the_reminders(kit: Kit, brevo) -> None:  # type: ignore[no-untyped-def]
    kit.sign_up()
    kit.run_worker()
    later = SATURDAY_2PM + timedelta(hours=2)
    for _ in range(2):  # two builds with the same new time
        publish(kit.config.site_dir, event_at(later))
        kit.run_worker()
    [text] = [t for t in texts_to(brevo) if t.startswith("Changement")]
    assert text.startswith(
        'Changement pour "Événement 2030-03-16-atelier-cv" : nouvelle heure : le samedi 16 mars '
        "à 16 h (au lieu de 14 h). Infos, ou libérer ta place : "
    )
    kit.at(datetime(2030, 3, 14, 14, 0, tzinfo=PARIS))
    assert len(texts_to(brevo)) == 2  # the old reminder time is gone
    kit.at(datetime(2030, 3, 14, 16, 0, tzinfo=PARIS))
    assert texts_to(brevo)[-1].startswith(
        'Rappel : "Événement 2030-03-16-atelier-cv" le samedi 16 mars à 16 h.'
    )


def test_a_cancelled_event_takes_no_more_sign_ups(kit: Kit) -> None:
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, statut="annule", raison="Salle fermée"))
    token = fresh(kit.client, "inscription")
    answer = kit.client.post(
        "/formulaires/inscription",
        data={**token, **VALID, "evenement": EVENT},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 409 and "annulé" in answer.json()["message"]


# 8. Privacy ----------------------------------------------------------------------------------


def test_messages_and_links_go_with_the_sign_up_at_purge(kit: Kit) -> None:
    from forms_backend.store.purge import purge_expired

    submission_id = kit.sign_up()
    token = kit.link_token(submission_id)
    assert len(kit.rows()) >= 3  # counsellor, confirmation, reminders
    purge_expired(
        kit.backend.store,
        kit.config.uploads,
        datetime.now(UTC),
        submissions_before=datetime.now(UTC) + timedelta(days=1),
    )
    assert kit.rows() == []
    assert kit.client.get("/formulaires/ma-place", params={"jeton": token}).status_code == 404


def test_no_number_nor_address_in_the_logs(kit: Kit, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    submission_id = kit.sign_up()
    kit.sign_up(canal="email", email="ines@exemple.fr", telephone="")
    kit.run_worker()
    kit.client.post("/formulaires/ma-place", data={"jeton": kit.link_token(submission_id)})
    kit.at(datetime(2030, 3, 14, 14, 0, tzinfo=PARIS))
    # What our server logs (the fake provider's and the test client's own logs aside).
    logged = "\n".join(
        r.getMessage() for r in caplog.records if r.name.startswith(("porte_voix", "uvicorn"))
    )
    assert "SMS envoyé par Brevo" in logged
    assert "612345678" not in logged and "12 34 56 78" not in logged
    assert "ines@exemple.fr" not in logged and kit.link_token(submission_id) not in logged


def test_a_time_changed_and_changed_back_never_repeats_a_reminder(kit: Kit, brevo) -> None:  # type: ignore[no-untyped-def]
    kit.sign_up()
    kit.at(datetime(2030, 3, 14, 14, 0, tzinfo=PARIS))  # the confirmation and the J-2 reminder
    assert len(texts_to(brevo)) == 2
    publish(kit.config.site_dir, event_at(SATURDAY_2PM + timedelta(hours=2)))
    kit.at(datetime(2030, 3, 14, 15, 0, tzinfo=PARIS))
    publish(kit.config.site_dir, event_at(SATURDAY_2PM))  # back to 14 h
    kit.at(datetime(2030, 3, 14, 16, 0, tzinfo=PARIS))
    assert [t.split(" ")[0] for t in texts_to(brevo)] == [
        "Bonjour",
        "Rappel",
        "Changement",
        "Changement",
    ]
    kit.at(datetime(2030, 3, 16, 8, 0, tzinfo=PARIS))
    assert [t.split(" ")[0] for t in texts_to(brevo)][4:] == ["Rappel"]  # the morning, once
    assert "aujourd'hui à 14 h" in texts_to(brevo)[-1]


def test_a_place_changed_back_and_forth_is_told_each_time(kit: Kit, brevo) -> None:  # type: ignore[no-untyped-def]
    kit.sign_up()
    kit.run_worker()
    for place in ("Salle des fêtes, Frouard", "MJC Pompey", "Salle des fêtes, Frouard"):
        publish(kit.config.site_dir, event_at(SATURDAY_2PM, lieu=place))
        kit.run_worker()
        publish(kit.config.site_dir, event_at(SATURDAY_2PM, lieu=place))  # rebuilt: no news
        kit.run_worker()
    told = [t.split("nouveau lieu : ")[1].split(".")[0] for t in texts_to(brevo) if "lieu" in t]
    assert told == ["Salle des fêtes, Frouard", "MJC Pompey", "Salle des fêtes, Frouard"]


# The setting ``rappels``, from mkdocs.yml to the backend -------------------------------------


def test_the_setting_rappels_reaches_the_backend_through_the_manifest(tmp_path: Path) -> None:
    from forms_backend.intake.events import EventCatalogue
    from forms_backend.outbox.seats import reminder_settings
    from generator.manifest import events_manifest
    from generator.settings import Settings, SettingsError

    options = {"rappels": {"jours_avant": 1, "matin": "non"}}
    settings = Settings.from_mapping("Site", "https://www.exemple.fr/", options)
    manifest = tmp_path / "porte-voix" / "evenements.json"
    manifest.parent.mkdir()
    manifest.write_bytes(events_manifest([], {}, settings.reminders))
    published = reminder_settings(EventCatalogue(tmp_path))
    assert (published.days_before, published.morning) == (1, False)
    default = Settings.from_mapping("Site", "https://www.exemple.fr/", {})
    manifest.write_bytes(events_manifest([], {}, default.reminders))
    published = reminder_settings(EventCatalogue(tmp_path))
    assert (published.days_before, published.morning) == (2, True)
    for wrong in ({"jours_avant": "deux"}, {"jours_avant": 30}, {"matin": "peut-être"}):
        with pytest.raises(SettingsError, match="rappels"):
            Settings.from_mapping("Site", "https://www.exemple.fr/", {"rappels": wrong})


def test_the_sign_up_form_says_confirmation_and_reminders_are_sent() -> None:
    from forms_backend.intake.forms import CALLBACK, SIGNUP
    from forms_backend.intake.render import form_html

    def notice(spec) -> str:  # type: ignore[no-untyped-def]
        html = form_html(spec, action="/formulaires/x", values={}, errors={}, token="t")
        return BeautifulSoup(html, "html.parser").find(class_="pv-privacy").get_text()

    assert "Tu reçois une confirmation et des rappels" in notice(SIGNUP)
    assert "ne vont qu'à notre service d'envoi de SMS ou de courriel" in notice(SIGNUP)
    assert "rappels" not in notice(CALLBACK)


def test_spamassassin_scores_every_event_email_under_one(kit: Kit, smtp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from .test_mail import spam_scores

    calendar = kit.config.site_dir / "evenements" / f"{EVENT}.ics"
    calendar.parent.mkdir(parents=True)
    calendar.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//\r\nBEGIN:VEVENT\r\n"
        b"UID:atelier@exemple.fr\r\nDTSTAMP:20300301T000000Z\r\n"
        b"DTSTART:20300316T130000Z\r\nSUMMARY:Atelier CV\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    # A plain title: the sample's « Événement … » puts so many É in the counsellor's existing
    # sign-up e-mail that SpamAssassin's MIXED_ES rule sometimes takes it to exactly 1.0.
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, places=1, titre="Atelier CV"))
    by_mail = {"canal": "email", "telephone": ""}
    first = kit.sign_up(email="ines@exemple.fr", **by_mail)
    kit.sign_up(email="leo@exemple.fr", prenom="Léo", **by_mail)
    kit.run_worker()
    kit.client.post("/formulaires/ma-place", data={"jeton": kit.link_token(first)})
    kit.run_worker()
    moved = event_at(SATURDAY_2PM, places=1, titre="Atelier CV", lieu="Salle des fêtes, Frouard")
    publish(kit.config.site_dir, moved)
    kit.at(datetime(2030, 3, 14, 14, 0, tzinfo=PARIS))
    subjects = [m["Subject"] for m in young_mails(smtp)]
    assert sorted(s.split("\u00a0")[0] for s in subjects) == [
        "Changement",
        "Liste d'attente",
        "Rappel",
        "Ton inscription",
        "Une place pour toi",
    ]
    assert len(counsellor_mails(smtp)) == 4  # two sign-ups, a place freed, a place given
    attached = {
        m["Subject"].split("\u00a0")[0]: [p.get_filename() for p in m.walk() if p.get_filename()]
        for m in young_mails(smtp)
    }
    assert attached["Ton inscription"] == attached["Une place pour toi"] == ["evenement.ics"]
    assert attached["Liste d'attente"] == attached["Rappel"] == []
    scores = spam_scores([envelope.content for envelope in smtp.envelopes], tmp_path)
    assert len(scores) == len(smtp.messages), scores
    for message in smtp.messages:
        score, rules = scores[message["Message-ID"]]
        assert score < 1.0, f"{message['Subject']}: {score} ({rules})"


def test_a_postponed_event_is_told_with_its_new_date_and_reminds_of_it(kit: Kit, brevo) -> None:  # type: ignore[no-untyped-def]
    kit.sign_up()
    kit.run_worker()
    new_start = SATURDAY_2PM + timedelta(days=7)
    postponed = event_at(
        SATURDAY_2PM,
        statut="reporte",
        raison="Le formateur est malade",
        nouveau_debut=new_start.isoformat(),
    )
    publish(kit.config.site_dir, postponed)
    kit.run_worker()
    [told] = [t for t in texts_to(brevo) if t.startswith("Changement")]
    assert "l'événement est reporté au samedi 23 mars à 14 h : Le formateur est malade" in told
    kit.at(datetime(2030, 3, 16, 8, 0, tzinfo=PARIS))  # the old date: nothing
    assert len(texts_to(brevo)) == 2
    kit.at(datetime(2030, 3, 21, 14, 0, tzinfo=PARIS))  # two days before the new date
    assert texts_to(brevo)[-1].startswith(
        'Rappel : "Événement 2030-03-16-atelier-cv" le samedi 23 mars à 14 h.'
    )


def test_a_strangers_number_typed_in_many_sign_ups_gets_three_sms_a_day(kit: Kit, brevo) -> None:  # type: ignore[no-untyped-def]
    """SMS flooding: the same number in many sign-ups (however it is typed) gets at most three
    confirmations a day and no reminder beyond them; the sign-ups are still recorded (past the
    first, on the waiting list: one place per number and event)."""
    typed = ["06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "06.12.34.56.78", "0612345678"]
    ids = [kit.sign_up(telephone=number, prenom=f"Nom{i}") for i, number in enumerate(typed)]
    kit.run_worker()
    assert len(texts_to(brevo)) == 3
    assert [kit.status(i) for i in ids] == ["inscrit"] + ["liste_attente"] * 4
    kit.clock.now = datetime(2030, 3, 2, 11, 0, tzinfo=PARIS)  # a day later: told again
    kit.sign_up(telephone="06 12 34 56 78")
    kit.run_worker()
    assert len(texts_to(brevo)) == 4
    kit.at(SATURDAY_2PM - timedelta(days=2, hours=-1))
    assert len(texts_to(brevo)) == 4 + 1  # the two-day reminder of the one place taken


def test_the_counsellor_is_told_when_the_cap_stopped_the_confirmation(kit: Kit, smtp) -> None:  # type: ignore[no-untyped-def]
    """The fourth sign-up of the day with one number sends the young person nothing: the
    counsellor's e-mail for it says so (she must confirm herself), the first three's do not, and
    the warning itself repeats no number."""
    ids = [kit.sign_up(prenom=f"Nom{i}") for i in range(4)]
    kit.run_worker()
    forwarded = {
        re.search(r"Référence\s*:\s*(\S+)", text_of(m))[1]: m
        for m in counsellor_mails(smtp)
        if m["Subject"].startswith("[Aller vers] Inscription")
    }
    warned = [i for i in ids if "aucune confirmation n'a été envoyée" in text_of(forwarded[i])]
    assert warned == [ids[3]]
    assert "non confirmée au ou à la jeune" in forwarded[ids[3]]["Subject"]
    warning = text_of(forwarded[ids[3]]).split("Prénom")[0]
    assert "ATTENTION" in warning and "Contactez-le ou la" in warning
    # (the number, however written; the reference beside it may hold eight digits in a row)
    assert not re.search(r"(?:\+33|\b0)[ .]?6(?:[ .]?\d{2}){4}", warning)
    assert "12 34 56 78" not in warning and "612345678" not in warning


def test_a_first_name_holding_a_link_is_not_greeted_in_her_email(kit: Kit, smtp) -> None:  # type: ignore[no-untyped-def]
    """Phishing: anyone may type someone else's address; a « first name » holding a link or a
    sentence must not ride on the Mission Locale's e-mail (as the SMS already refuses)."""
    bait = "Rembourse CAF ici https://caf-aide.example/x"
    kit.sign_up(canal="email", email="victime@exemple.fr", telephone="", prenom=bait)
    kit.sign_up(canal="email", email="ines@exemple.fr", telephone="", prenom="Marie-Ève")
    kit.run_worker()
    bodies = {m["To"]: text_of(m) for m in young_mails(smtp)}
    assert "caf-aide" not in bodies["victime@exemple.fr"]
    assert bodies["victime@exemple.fr"].splitlines()[0] == "Bonjour,"
    assert bodies["ines@exemple.fr"].splitlines()[0] == "Bonjour Marie-Ève,"


def test_an_event_left_out_of_one_build_keeps_its_reminders(kit: Kit, brevo) -> None:  # type: ignore[no-untyped-def]
    """`porte-voix serve` publishes a build without an event whose file has an error (a
    cancellation without « raison: »): the reminder due meanwhile waits for the next build
    instead of being lost for good."""
    kit.sign_up()
    kit.run_worker()  # the confirmation
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, "2030-04-01-autre"), ecartes=[EVENT])
    kit.at(datetime(2030, 3, 14, 14, 0, tzinfo=PARIS))  # the two-day reminder is due
    assert len(texts_to(brevo)) == 1
    publish(kit.config.site_dir, event_at(SATURDAY_2PM))  # the error mended
    kit.at(datetime(2030, 3, 14, 16, 0, tzinfo=PARIS))
    assert len(texts_to(brevo)) == 2
    assert texts_to(brevo)[-1].startswith('Rappel : "Événement 2030-03-16-atelier-cv"')
    kit.at(datetime(2030, 3, 16, 8, 0, tzinfo=PARIS))
    assert len(texts_to(brevo)) == 3  # the morning's, once


def test_the_cancellation_email_carries_the_cancelled_calendar(kit: Kit, smtp) -> None:  # type: ignore[no-untyped-def]
    """She added the event to her agenda from the confirmation's .ics: the e-mail telling her
    of the cancellation brings the site's new .ics (same UID, higher SEQUENCE, CANCELLED), so
    her agenda can follow; someone only waiting never had it and gets none."""
    calendar = kit.config.site_dir / "evenements" / f"{EVENT}.ics"
    calendar.parent.mkdir(parents=True)
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//\r\nBEGIN:VEVENT\r\n"
        "UID:atelier@exemple.fr\r\nDTSTAMP:20300301T000000Z\r\nSEQUENCE:{n}\r\nSTATUS:{s}\r\n"
        "DTSTART:20300316T130000Z\r\nSUMMARY:Atelier CV\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    calendar.write_text(ics.format(n=0, s="CONFIRMED"))
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, places=1))
    kit.sign_up(canal="email", email="ines@exemple.fr", telephone="")
    kit.sign_up(canal="email", email="leo@exemple.fr", telephone="", prenom="Léo")  # waiting
    kit.run_worker()
    calendar.write_text(ics.format(n=2, s="CANCELLED"))  # the new build's calendar
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, places=1, statut="annule", raison="Non"))
    kit.run_worker()
    told = {m["To"]: m for m in young_mails(smtp) if "Changement" in m["Subject"]}
    [attached] = [p for p in told["ines@exemple.fr"].walk() if p.get_filename()]
    parsed = icalendar.Calendar.from_ical(attached.get_payload(decode=True))
    [event] = parsed.walk("VEVENT")
    assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCELLED", 2)
    assert not [p for p in told["leo@exemple.fr"].walk() if p.get_filename()]
    assert "met ton agenda à jour" in text_of(told["ines@exemple.fr"])
    assert "agenda" not in text_of(told["leo@exemple.fr"])


# An event's file deleted, or renamed ---------------------------------------------------------


def another() -> dict[str, Any]:
    """Another event, two weeks later: the build still publishes something."""
    return event_at(SATURDAY_2PM + timedelta(days=14), "2030-03-30-autre")


def test_a_deleted_event_is_told_once_across_builds_and_workers(kit: Kit, brevo, smtp) -> None:  # type: ignore[no-untyped-def]
    """Deleting the file instead of writing « statut: annule »: everyone signed up or waiting is
    told it is cancelled, once — a second build, and a second worker on the same database
    (another server process), find the same keys and send nothing more (counted on the SMS
    server and the SMTP server); no reminder follows."""
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, places=1))
    kit.sign_up()
    kit.sign_up(telephone="06 98 76 54 32", prenom="Léo")  # waiting
    kit.sign_up(canal="email", email="ines@exemple.fr", telephone="", prenom="Anaïs")  # waiting
    kit.run_worker()
    publish(kit.config.site_dir, another())  # the file is gone
    kit.run_worker()
    publish(kit.config.site_dir, another())  # rebuilt: no news
    kit.run_worker()
    second = create_app(kit.config, run_worker=False, clock=kit.clock).state.backend
    second.watch.check(kit.clock())
    second.forwarder.deliver_due()
    kit.at(datetime(2030, 3, 14, 14, 0, tzinfo=PARIS))  # the J-2 reminder's time: none
    for number in ("33612345678", "33698765432"):
        [told] = [t for t in texts_to(brevo, number) if t.startswith("Annulation")]
        assert told.startswith('Annulation : "Événement 2030-03-16-atelier-cv", le samedi 16 mars')
    assert len(brevo) == 2 + 2
    [mail] = [m for m in young_mails(smtp) if m["Subject"].startswith("Changement")]
    assert "l'événement est annulé" in text_of(mail) and "/evenements/" not in text_of(mail)
    assert not [p for p in mail.walk() if p.get_filename()]
    [notice] = [m for m in counsellor_mails(smtp) if "retiré du site" in m["Subject"]]
    assert "Personnes concernées (3)" in " ".join(text_of(notice).split())
    assert "612345678" not in text_of(notice) and "12 34 56 78" not in text_of(notice)


def test_an_event_left_out_for_an_error_is_not_told_cancelled(kit: Kit, brevo, smtp) -> None:  # type: ignore[no-untyped-def]
    kit.sign_up()
    kit.run_worker()
    publish(kit.config.site_dir, another(), ecartes=[EVENT])
    kit.run_worker()
    assert len(brevo) == 1
    assert not [m for m in counsellor_mails(smtp) if "retiré" in m["Subject"]]


def test_a_renamed_event_is_told_to_the_counsellor_not_to_the_young(kit: Kit, brevo, smtp) -> None:  # type: ignore[no-untyped-def]
    """A new title gives a new file name and id, same time and place: telling people « cancelled »
    would keep them home from an event that takes place. The counsellor is told (once), with
    who is concerned, and moves them."""
    kit.sign_up()
    kit.run_worker()
    renamed = event_at(SATURDAY_2PM, "2030-03-16-atelier-cv-et-lettre", titre="CV et lettre")
    publish(kit.config.site_dir, renamed)
    kit.run_worker()
    publish(kit.config.site_dir, renamed)
    kit.run_worker()
    assert len(brevo) == 1
    [notice] = [m for m in counsellor_mails(smtp) if "renommé" in m["Subject"]]
    body = " ".join(text_of(notice).split())  # any space, any line break: one space
    assert "« CV et lettre »" in body and "n'ont PAS été prévenues" in body
    assert "Inès (inscrit·e)" in body


def test_the_build_lists_event_files_left_out_for_an_error(tmp_path: Path) -> None:
    """The real build: an event file with an error is named in ``ecartes`` (so the backend does
    not take it for deleted), a valid one is published."""
    from .conftest import add_event, new_project

    project = new_project(tmp_path / "site")
    start = datetime(2030, 3, 16, 14, 0, tzinfo=PARIS)
    add_event(project, start, "valide", title="Valide")
    broken = add_event(project, start, "casse", title="Cassé", extra="statut: annule\n")
    project.build(strict=False)
    manifest = json.loads((project.site / "porte-voix" / "evenements.json").read_text())
    assert [e["id"] for e in manifest["evenements"]] == ["2030-03-16-valide"]
    assert manifest["ecartes"] == [broken]


# Places filled by made-up numbers ------------------------------------------------------------


def forms_cli(kit: Kit, *args: str):  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from forms_backend.cli import forms

    env = {
        "PORTE_VOIX_DB": str(kit.config.database),
        "PORTE_VOIX_SITE_DIR": str(kit.config.site_dir),
    }
    return CliRunner().invoke(forms, list(args), env=env)


def test_one_connection_takes_six_places_then_waits_for_the_counsellor(
    kit: Kit, brevo, smtp
) -> None:  # type: ignore[no-untyped-def]
    """A script typing made-up numbers from one connection takes 6 places, not all 20: the rest
    is kept on the waiting list, held (it never moves up alone), each held one's e-mail to the
    counsellor says what to type; `forms liberer` frees the false ones (nothing more goes to
    their numbers) and `forms confirmer` gives the true ones a place."""
    ids = [kit.sign_up(telephone=f"06 00 00 02 {n:02d}", prenom=f"Faux{n}") for n in range(9)]
    assert [kit.status(i) for i in ids] == ["inscrit"] * 6 + ["liste_attente"] * 3
    kit.run_worker()
    held = {
        re.search(r"Référence\s*:\s*(\S+)", text_of(m))[1]
        for m in counsellor_mails(smtp)
        if "EN ATTENTE DE VOTRE ACCORD" in text_of(m)
    }
    assert held == set(ids[6:])
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, places=20))  # a new build: no move up
    kit.run_worker()
    assert [kit.status(i) for i in ids[6:]] == ["liste_attente"] * 3
    freed = forms_cli(kit, "liberer", EVENT, ids[0][:8], ids[1][:8])
    assert freed.exit_code == 0, freed.output
    assert "Inscriptions libérées : 2" in freed.output
    confirmed = forms_cli(kit, "confirmer", EVENT, ids[6][:8])
    assert confirmed.exit_code == 0, confirmed.output
    assert kit.status(ids[6]) == "inscrit" and kit.status(ids[7]) == "liste_attente"
    kit.at(datetime(2030, 3, 14, 14, 0, tzinfo=PARIS))  # the J-2 reminders
    reminded = {sms["recipient"] for sms in brevo if sms["content"].startswith("Rappel")}
    assert "33600000200" not in reminded and "33600000201" not in reminded
    assert "33600000202" in reminded and "33600000206" in reminded


def test_the_same_number_takes_one_place_per_event(kit: Kit, smtp) -> None:  # type: ignore[no-untyped-def]
    first = kit.sign_up()
    again = kit.sign_up(telephone="+33 6 12 34 56 78", prenom="Autre")
    by_mail = kit.sign_up(canal="email", email="ines@exemple.fr", telephone="")
    by_mail_again = kit.sign_up(canal="email", email="INES@exemple.fr", telephone="", prenom="Lou")
    statuses = [kit.status(i) for i in (first, again, by_mail, by_mail_again)]
    assert statuses == ["inscrit", "liste_attente", "inscrit", "liste_attente"]
    kit.run_worker()
    [held] = [m for m in counsellor_mails(smtp) if again in text_of(m)]
    assert "même numéro ou e-mail" in text_of(held) and "à vérifier" in held["Subject"]


def test_signing_up_again_keeps_her_place_and_sends_nothing_new(kit: Kit, brevo) -> None:  # type: ignore[no-untyped-def]
    """She was not sure it went through, and signs up again (a new page, the same number and
    first name, typed otherwise): her place stands, she is not put on the waiting list beside
    it, and no second confirmation tells her she waits."""
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, places=1))
    first = kit.sign_up()
    kit.run_worker()
    again, answer = kit.post_sign_up(prenom=" INES ", telephone="+33612345678")
    # The page answers as it would anyone now (full: the waiting list), never from what this
    # number holds: else a stranger typing her number would learn she is signed up. Her own
    # SMS, received on her phone only, says she has her place.
    _, stranger = kit.post_sign_up(prenom="Zoé", telephone="07 00 00 00 01")
    assert answer["statut"] == stranger["statut"] == "liste_attente"
    assert kit.backend.store.submission(again) is None  # nothing new stored
    assert kit.status(first) == "inscrit"
    kit.run_worker()
    assert len(texts_to(brevo)) == 1  # the first confirmation only


def test_a_strangers_number_tells_nothing_of_her_sign_up(kit: Kit) -> None:
    """Typing someone's number (with her first name, or any other) gets the answer a new
    number gets: whether she is signed up is not for a stranger to learn."""
    kit.sign_up()  # Inès, 06 12 34 56 78, places left
    tries = (("Inès", "06 12 34 56 78"), ("Autre", "06 12 34 56 78"), ("Zoé", "07 11 22 33 44"))
    answers = [
        kit.post_sign_up(prenom=name, telephone=number)[1]["statut"] for name, number in tries
    ]
    assert answers == ["inscrit"] * 3


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ("Marie-Ève", "Marie Ève"),
        ("Marie Ève", "marie-eve"),
        ("Jean  Marie", "Jean Marie"),
        ("N’Dèye", "n'deye"),
        ("Chloë", "CHLOE"),
        ("Lætitia", "Laetitia"),
    ],
)
def test_her_first_name_typed_otherwise_is_still_her(
    kit: Kit, brevo, first: str, again: str
) -> None:  # type: ignore[no-untyped-def]
    """« Marie Ève » and « Marie-Ève » are one young person: her second try keeps her place,
    stores nothing and sends nothing, instead of a held place on the waiting list beside her own
    and a second SMS telling her she waits."""
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, places=1))
    kit.sign_up(prenom=first)
    kit.run_worker()
    second, answer = kit.post_sign_up(prenom=again)
    assert answer["statut"] == "liste_attente"  # as anyone now: the one place is hers
    assert kit.backend.store.submission(second) is None
    kit.run_worker()
    assert len(texts_to(brevo)) == 1


def test_references_that_name_no_sign_up_change_nothing(kit: Kit) -> None:
    first = kit.sign_up()
    answer = forms_cli(kit, "liberer", EVENT, first[:8], "zzzzzzzz")
    assert answer.exit_code == 1
    assert "aucune inscription ne commence par « zzzzzzzz »" in answer.output
    assert kit.status(first) == "inscrit"


def test_a_change_told_to_someone_waiting_does_not_say_she_has_a_place(
    kit: Kit, brevo, smtp
) -> None:  # type: ignore[no-untyped-def]
    """Someone on the waiting list told of a new time must not read that she is signed up, nor
    that her link frees « her place » for someone who waits: she has no place, and would come."""
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, places=1))
    kit.sign_up(telephone="06 00 00 00 01")  # the one place
    kit.sign_up(telephone="06 00 00 00 02", prenom="Léo")  # waiting, by SMS
    kit.sign_up(canal="email", email="zoe@exemple.fr", telephone="", prenom="Zoé")  # waiting
    kit.run_worker()
    publish(kit.config.site_dir, event_at(SATURDAY_2PM + timedelta(hours=1), places=1))
    kit.run_worker()
    [sms] = [t for t in texts_to(brevo, "33600000002") if t.startswith("Changement")]
    assert "Infos, ou te retirer : http://127.0.0.1:8000/formulaires/ma-place?jeton=" in sms
    assert "ta place" not in sms
    [mail] = [m for m in young_mails(smtp) if "Changement" in m["Subject"]]
    said = text_of(mail)
    assert "l'événement où tu es sur la liste d'attente" in said
    assert "Retire-toi de la liste en un clic" in said
    assert "inscrit" not in said and "ta place" not in said


def test_the_counsellor_is_told_when_a_message_could_not_reach_the_young_person(
    tmp_path: Path, smtp, httpserver: HTTPServer
) -> None:  # type: ignore[no-untyped-def]
    """Brevo refuses a number (HTTP 400): the young person will never read that the event is
    cancelled, and would come. The counsellor is told, once, to call her; a message that left
    tells her nothing."""
    refused = "33600000009"

    def handler(request: Request) -> Response:
        if json.loads(request.get_data())["recipient"] == refused:
            body = {"code": "invalid_parameter", "message": "invalid mobile number"}
            return Response(json.dumps(body), status=400)
        return Response(json.dumps({"messageId": 1}), status=201)

    httpserver.expect_request(SEND, method="POST").respond_with_handler(handler)
    config = make_config(tmp_path, smtp_url=smtp.url, sms_url=httpserver.url_for("/"), sms_key=KEY)
    publish(config.site_dir, event_at(SATURDAY_2PM))
    write_organisation(config.site_dir)
    clock = Clock(datetime(2030, 3, 1, 10, 0, tzinfo=PARIS))
    app = create_app(config, run_worker=False, clock=clock)
    from starlette.testclient import TestClient

    with TestClient(app, follow_redirects=False) as client:
        kit = Kit(client, app.state.backend, clock, config)
        kit.sign_up(telephone="06 00 00 00 01", prenom="Inès")
        kit.sign_up(telephone="06 00 00 00 09", prenom="Léo")
        kit.run_worker()
        publish(config.site_dir, event_at(SATURDAY_2PM, statut="annule", raison="Salle fermée"))
        kit.run_worker()
        kit.run_worker()
    told = [m for m in counsellor_mails(smtp) if "pas reçu" in m["Subject"]]
    assert [m["Subject"].count("Léo") + text_of(m).count("Léo") > 0 for m in told] == [True, True]
    assert all("Inès" not in text_of(m) for m in told)
    assert "Prévenez-le ou la vous-même" in text_of(told[0])
    assert told[0]["Message-ID"] != told[1]["Message-ID"]  # a mail client would keep one


def test_an_event_cancelled_by_mistake_then_restored_gets_its_reminders_back(
    kit: Kit, brevo
) -> None:  # type: ignore[no-untyped-def]
    """The counsellor writes « statut: annule », then takes it back (same day, time and
    place): everyone is told it takes place after all, and a place taken is reminded of it as
    before — the cancellation had dropped the reminders, and nothing brought them back."""
    kit.sign_up()
    kit.run_worker()
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, statut="annule", raison="Salle fermée"))
    kit.run_worker()
    publish(kit.config.site_dir, event_at(SATURDAY_2PM))
    kit.run_worker()
    assert "a lieu comme prévu" in texts_to(brevo)[-1]
    kit.at(datetime(2030, 3, 14, 14, 0, tzinfo=PARIS))
    kit.at(datetime(2030, 3, 16, 8, 0, tzinfo=PARIS))
    reminders = [t for t in texts_to(brevo) if t.startswith("Rappel")]
    assert len(reminders) == 2


def test_a_sign_up_past_the_daily_cap_gets_no_message_when_it_moves_up(
    kit: Kit, brevo, smtp
) -> None:  # type: ignore[no-untyped-def]
    """A stranger's number typed in sign-ups for four events in a day: the fourth gets no
    confirmation (the cap), and — as the README promises — nothing later either: neither the
    SMS of a place come free from the waiting list nor its reminders. The counsellor, told of
    the place, reads that the young person was not told."""
    later = [
        event_at(SATURDAY_2PM + timedelta(days=30 + i), f"2030-04-1{i}-atelier") for i in range(3)
    ]
    publish(kit.config.site_dir, event_at(SATURDAY_2PM, places=1), *later)
    other = kit.sign_up(telephone="06 00 00 00 01")  # takes the one place
    for item in later:
        kit.sign_up(evenement=item["id"])
    capped = kit.sign_up()  # the fourth of the day: waiting, and no confirmation
    kit.run_worker()
    assert len(texts_to(brevo)) == 3
    kit.client.post("/formulaires/ma-place", data={"jeton": kit.link_token(other)})
    kit.run_worker()
    assert kit.status(capped) == "inscrit"
    for day, hour in ((14, 14), (16, 8)):
        kit.at(datetime(2030, 3, day, hour, 0, tzinfo=PARIS))
    assert len(texts_to(brevo)) == 3
    [notice] = [m for m in counsellor_mails(smtp) if "Place donnée" in m["Subject"]]
    assert "n'en est PAS prévenu" in text_of(notice)
    # A new time, which only the counsellor can cause, is told — with no reminder after it.
    publish(kit.config.site_dir, event_at(SATURDAY_2PM + timedelta(days=7), places=1), *later)
    kit.run_worker()
    assert texts_to(brevo)[-1].startswith('Changement pour "Événement 2030-03-16-atelier-cv"')
    for day, hour in ((21, 14), (23, 8)):
        kit.at(datetime(2030, 3, day, hour, 0, tzinfo=PARIS))
    assert len(texts_to(brevo)) == 4


@pytest.mark.parametrize("kind", ["non-recu", "place-non-prevenue", "changement-sans-canal"])
def test_spamassassin_scores_the_counsellors_new_notices_under_one(
    kind: str, tmp_path: Path
) -> None:
    """The notices telling the counsellor a young person was not told, scored like every other
    e-mail of the kit."""
    from forms_backend.outbox.messages import counsellor_notice

    from .test_mail import spam_scores

    submission = {
        "id": "87393daf-37b4-43a2-86c3-409c5fede088",
        "first_name": "Léo",
        "event_id": EVENT,
        "status": "inscrit",
    }
    notice = counsellor_notice(
        submission,
        "Atelier CV",
        kind,
        sender="porte-voix@mission-locale.test",
        recipient="conseillere@mission-locale.test",
        detail="12",
    )
    [(score, rules)] = spam_scores([notice.as_bytes()], tmp_path).values()
    assert score < 1.0, f"{notice['Subject']}: {score} ({rules})"


def test_a_sign_up_erased_while_its_message_waits_in_a_batch_tells_nobody(
    tmp_path: Path, smtp, httpserver: HTTPServer
) -> None:  # type: ignore[no-untyped-def]
    """A sign-up erased (purge, or a person's erasure request) after the worker claimed its
    message: the message fails for good, and there is nobody left to tell the counsellor about
    — the worker goes on with the rest of the batch instead of failing on the erased row."""
    config = make_config(tmp_path, smtp_url=smtp.url, sms_url=httpserver.url_for("/"), sms_key=KEY)
    erased: list[str] = []

    def handler(request: Request) -> Response:
        if erased and len(erased) == 1:  # during the first SMS, the second sign-up is erased
            connection = sqlite3.connect(config.database)
            with connection:
                connection.execute("PRAGMA foreign_keys=ON")
                connection.execute("DELETE FROM submissions WHERE id = ?", (erased[0],))
            connection.close()
            erased.append("done")
        return Response(json.dumps({"messageId": 1}), status=201)

    httpserver.expect_request(SEND, method="POST").respond_with_handler(handler)
    publish(config.site_dir, event_at(SATURDAY_2PM))
    write_organisation(config.site_dir)
    clock = Clock(datetime(2030, 3, 1, 10, 0, tzinfo=PARIS))
    app = create_app(config, run_worker=False, clock=clock)
    from starlette.testclient import TestClient

    with TestClient(app, follow_redirects=False) as client:
        kit = Kit(client, app.state.backend, clock, config)
        kit.sign_up(telephone="06 00 00 00 01")
        erased.append(kit.sign_up(telephone="06 00 00 00 02"))
        kit.sign_up(telephone="06 00 00 00 03")
        kit.run_worker()
        sent_to = [r for r in kit.rows() if r["target"] == "sms:confirmation"]
    assert [r["state"] for r in sent_to] == ["sent", "sent"]
    assert not [m for m in counsellor_mails(smtp) if "pas reçu" in m["Subject"]]


def test_a_strangers_address_with_plus_tags_gets_three_emails_a_day(kit: Kit, smtp) -> None:  # type: ignore[no-untyped-def]
    """« ines+1@… », « Ines+2@… » reach the one inbox of « ines@… » (sub-addressing, RFC 5233):
    the daily cap counts them as one address, as it counts « 06 12… » and « +33 6 12… » as one
    number; and they take one place, not one each."""
    typed = ["ines@exemple.fr", "ines+1@exemple.fr", "Ines+2@Exemple.fr", "ines+a+b@exemple.fr"]
    ids = [
        kit.sign_up(canal="email", telephone="", email=address, prenom=f"Nom{i}")
        for i, address in enumerate(typed)
    ]
    kit.run_worker()
    assert len(young_mails(smtp)) == 3
    assert [kit.status(i) for i in ids] == ["inscrit"] + ["liste_attente"] * 3
    held = [kit.backend.store.submission(i)["held"] for i in ids]
    assert held[0] is None and all(held[1:])


def test_the_counsellor_is_told_of_each_person_a_change_cannot_reach(kit: Kit, smtp, brevo) -> None:  # type: ignore[no-untyped-def]
    """Someone who gave a landline to be called, and no e-mail, gets no SMS nor e-mail: when the
    event is cancelled or moved, the counsellor is told to call her (once, across builds) —
    else she comes to a closed door."""
    kit.sign_up(canal="appel", telephone="03 83 12 34 56", prenom="Léo")
    kit.sign_up(prenom="Inès")  # a mobile: told by SMS
    kit.run_worker()
    for _ in range(2):
        publish(kit.config.site_dir, event_at(SATURDAY_2PM, statut="annule", raison="Salle fermée"))
        kit.run_worker()
    told = [m for m in counsellor_mails(smtp) if "à prévenir" in m["Subject"]]
    assert len(told) == 1
    said = text_of(told[0])
    assert "Léo" in said and "Inès" not in said and "annulé" in said
    assert "@" not in told[0]["Message-ID"].split("@")[0]


def test_a_postponement_into_another_year_says_which_year() -> None:
    """« reporté au samedi 11 janvier » read in November could be either January: the year is
    given when the new date is in another year than the first, or far from it."""
    before = {"debut": "2030-11-16T14:00:00+01:00", "lieu": "MJC", "statut": "prevu"}
    postponed = {**before, "statut": POSTPONED, "nouveau_debut": "2031-01-11T14:00:00+01:00"}
    assert what_changed(before, postponed) == [
        "l'événement est reporté au samedi 11 janvier 2031 à 14 h"
    ]
    moved = {**before, "debut": "2031-01-11T14:00:00+01:00"}
    assert what_changed(before, moved) == [
        "nouvelle date : le samedi 11 janvier 2031 à 14 h (au lieu du samedi 16 novembre 2030 à 14 h)"
    ]
    soon = {**before, "debut": "2030-11-23T14:00:00+01:00"}
    assert what_changed(before, soon) == [
        "nouvelle date : le samedi 23 novembre à 14 h (au lieu du samedi 16 novembre à 14 h)"
    ]


def test_past_the_days_sms_budget_sms_wait_and_the_counsellor_is_told_once(
    tmp_path: Path, smtp, httpserver: HTTPServer, brevo
) -> None:  # type: ignore[no-untyped-def]
    """Many connections and many numbers could spend every SMS credit in a night: past
    ``PORTE_VOIX_SMS_PER_DAY`` in 24 hours, SMS wait (none lost) and the counsellor is told."""
    config = kit_config(tmp_path, smtp, httpserver, sms_per_day=2)
    with running(config, Clock(datetime(2030, 3, 1, 10, 0, tzinfo=PARIS))) as kit:
        for n in range(4):
            kit.sign_up(telephone=f"06 00 00 01 0{n}", prenom=f"Nom{n}")
        kit.run_worker()
        assert len(brevo) == 2
        told = [m for m in counsellor_mails(smtp) if "plafond du jour" in m["Subject"]]
        assert len(told) == 1 and "PORTE_VOIX_SMS_PER_DAY" in text_of(told[0])
        kit.at(datetime(2030, 3, 1, 18, 0, tzinfo=PARIS))  # still within the 24 hours
        assert len(brevo) == 2
        assert len([m for m in counsellor_mails(smtp) if "plafond du jour" in m["Subject"]]) == 1
        kit.at(datetime(2030, 3, 2, 10, 1, tzinfo=PARIS))  # the window frees: the two others
        assert sorted(sms["recipient"] for sms in brevo) == [f"3360000010{n}" for n in range(4)]


def test_a_restart_neither_opens_a_fresh_sms_budget_nor_tells_the_counsellor_again(
    tmp_path: Path, smtp, httpserver: HTTPServer, brevo
) -> None:  # type: ignore[no-untyped-def]
    """A deploy, a crash or a reboot restarts the backend: the SMS of the last 24 hours still
    count (else each restart would let another ``PORTE_VOIX_SMS_PER_DAY`` go), and the
    counsellor, already told that SMS wait, is not told again. The worker's clock is the real
    time here, as in production: the outbox stamps a sent row with it."""
    config = kit_config(tmp_path, smtp, httpserver, sms_per_day=2)

    def told() -> int:
        return len([m for m in counsellor_mails(smtp) if "plafond du jour" in m["Subject"]])

    for n, numbers in enumerate((("01", "02"), ("03",), ("04",))):
        with running(config, Clock(datetime.now(UTC))) as kit:
            for number in numbers:
                kit.sign_up(telephone=f"06 00 00 01 {number}", prenom=f"Nom{number}")
            kit.run_worker()
            assert len(brevo) == 2, f"after start {n + 1}"
            assert told() == (0 if n == 0 else 1), f"after start {n + 1}"

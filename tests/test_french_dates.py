"""Dates written out in French."""

from __future__ import annotations

from datetime import datetime

from generator.content.fields import PARIS
from generator.content.french_dates import event_span, long_date


def test_same_day_span() -> None:
    start = datetime(2026, 12, 5, 14, 0, tzinfo=PARIS)
    end = datetime(2026, 12, 5, 17, 0, tzinfo=PARIS)
    assert event_span(start, end) == "samedi 5 décembre 2026, de 14 h à 17 h"


def test_minutes_and_first_of_the_month() -> None:
    start = datetime(2027, 8, 1, 9, 30, tzinfo=PARIS)
    end = datetime(2027, 8, 1, 12, 15, tzinfo=PARIS)
    assert event_span(start, end) == "dimanche 1er août 2027, de 9 h 30 à 12 h 15"


def test_several_days() -> None:
    start = datetime(2027, 2, 27, 10, 0, tzinfo=PARIS)
    end = datetime(2027, 3, 1, 16, 0, tzinfo=PARIS)
    assert (
        event_span(start, end) == "du samedi 27 février 2027 à 10 h au lundi 1er mars 2027 à 16 h"
    )


def test_long_date_uses_paris_time() -> None:
    late_utc = datetime.fromisoformat("2027-06-30T23:30:00+00:00")
    assert long_date(late_utc) == "jeudi 1er juillet 2027"

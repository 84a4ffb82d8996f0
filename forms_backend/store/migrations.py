"""Named schema migrations, applied in order, each in its own transaction.

Portable SQL (SQLite and PostgreSQL) so that a shared deployment can move to PostgreSQL
without touching handlers or forwarders.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "0001_submissions_outbox_spam",
        (
            """CREATE TABLE submissions (
                id TEXT PRIMARY KEY,
                form TEXT NOT NULL,
                event_id TEXT,
                status TEXT NOT NULL,
                first_name TEXT NOT NULL,
                phone TEXT,
                email TEXT,
                commune TEXT NOT NULL,
                age INTEGER NOT NULL,
                channel TEXT NOT NULL,
                source TEXT,
                referrer_name TEXT,
                referrer_structure TEXT,
                referrer_contact TEXT,
                consent_at TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_contact_at TEXT NOT NULL
            )""",
            "CREATE INDEX submissions_event ON submissions (event_id, status)",
            "CREATE INDEX submissions_last_contact ON submissions (last_contact_at)",
            """CREATE TABLE outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                submission_id TEXT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
                target TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending',
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                leased_until TEXT,
                last_error TEXT,
                created_at TEXT NOT NULL,
                sent_at TEXT,
                UNIQUE (submission_id, target)
            )""",
            "CREATE INDEX outbox_due ON outbox (state, next_attempt_at)",
            """CREATE TABLE spam (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                form TEXT NOT NULL,
                reason TEXT NOT NULL,
                fields TEXT NOT NULL,
                received_at TEXT NOT NULL
            )""",
            """CREATE TABLE secrets (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )""",
        ),
    ),
    (
        "0002_contributions_letters",
        (
            """CREATE TABLE contributions (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                status TEXT NOT NULL,
                fields TEXT NOT NULL,
                photo TEXT,
                photo_consent INTEGER NOT NULL DEFAULT 0,
                consent_at TEXT NOT NULL,
                contributor_email TEXT,
                guardian_email TEXT,
                guardian_token_hash TEXT,
                guardian_expires_at TEXT,
                guardian_confirmed_at TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            "CREATE INDEX contributions_status ON contributions (status, updated_at)",
            "CREATE UNIQUE INDEX contributions_token ON contributions (guardian_token_hash)",
            """CREATE TABLE letters (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending',
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                leased_until TEXT,
                last_error TEXT,
                created_at TEXT NOT NULL,
                sent_at TEXT
            )""",
            "CREATE INDEX letters_due ON letters (state, next_attempt_at)",
        ),
    ),
    (
        "0003_called_back",
        (
            # When the counsellor noted the young person as called back (``forms done``).
            "ALTER TABLE submissions ADD COLUMN called_back_at TEXT",
            "CREATE INDEX submissions_waiting ON submissions (called_back_at, created_at)",
        ),
    ),
    (
        "0004_contribution_submission_id",
        (
            # The form's own id: a contribution posted twice (a double tap) is kept once.
            "ALTER TABLE contributions ADD COLUMN submission_id TEXT",
            "CREATE UNIQUE INDEX contributions_submission ON contributions (submission_id)",
        ),
    ),
    (
        "0005_purge_runs",
        (
            # When the server's own purge last ran (counts only): ``forms status`` tells the next.
            """CREATE TABLE purges (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                ran_at TEXT NOT NULL,
                removed TEXT NOT NULL
            )""",
            "CREATE INDEX purges_ran_at ON purges (ran_at)",
            "CREATE INDEX contributions_created ON contributions (created_at)",
            "CREATE INDEX letters_created ON letters (created_at)",
        ),
    ),
    (
        "0006_parent_letters_made_when_sent",
        (
            # A parent's letter is written when it is sent, with a new link each time: the table
            # keeps which letter (kind) for which contribution, never a body holding a link.
            "ALTER TABLE letters ADD COLUMN kind TEXT NOT NULL DEFAULT 'avis'",
            "ALTER TABLE letters ADD COLUMN contribution_id TEXT",
            """UPDATE letters SET kind = 'accord-parent', body = '',
            contribution_id = (SELECT contributions.id FROM contributions
                WHERE contributions.guardian_email = letters.recipient
                AND contributions.status = 'attente_parent'
                ORDER BY contributions.created_at DESC LIMIT 1)
            WHERE subject = 'Votre accord pour un témoignage'""",
            # What the parent declared with their answer (see contribution_store.DECLARATIONS).
            "ALTER TABLE contributions ADD COLUMN guardian_declaration TEXT",
        ),
    ),
    (
        "0007_event_messages",
        (
            # When a young person freed her place with her personal link (status ``desinscrit``).
            "ALTER TABLE submissions ADD COLUMN freed_at TEXT",
            # What the backend last saw of each published event (public facts, as JSON): a new
            # build that cancels, postpones or moves an event is told once, by comparing.
            """CREATE TABLE event_facts (
                event_id TEXT PRIMARY KEY,
                facts TEXT NOT NULL,
                seen_at TEXT NOT NULL
            )""",
            # One change of an event (public facts before and after): each message about it is
            # an outbox row whose target names this key, so a second build adds nothing.
            """CREATE TABLE event_changes (
                key TEXT PRIMARY KEY,
                event_id TEXT NOT NULL,
                before TEXT NOT NULL,
                after TEXT NOT NULL,
                seen_at TEXT NOT NULL
            )""",
        ),
    ),
    (
        "0008_attendance",
        (
            # Who came to an event (``forms presence``): one row per sign-up, gone with it.
            """CREATE TABLE attendance (
                submission_id TEXT PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
                event_id TEXT NOT NULL,
                recorded_at TEXT NOT NULL
            )""",
            "CREATE INDEX attendance_event ON attendance (event_id)",
            # How many came without signing up: a number per event, nobody's name.
            """CREATE TABLE walk_ins (
                event_id TEXT PRIMARY KEY,
                people INTEGER NOT NULL,
                recorded_at TEXT NOT NULL
            )""",
        ),
    ),
    (
        "0009_held_sign_ups",
        (
            # Why a sign-up waits for the counsellor (the same number twice, too many from one
            # connection: see intake/place_guard.py), or NULL: a held one never moves up alone.
            "ALTER TABLE submissions ADD COLUMN held TEXT",
        ),
    ),
)

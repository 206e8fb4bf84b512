"""SQLite (``make run``) copes with the server's background thread writing while requests read and write.

Checked in a fresh process on a real SQLite file, with the settings exactly as ``make run`` has them.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as c:
    print("journal", c.execute("PRAGMA journal_mode").fetchone()[0])
    c.execute("CREATE TABLE essai (n integer)")

lu = threading.Event()
ecrit = threading.Event()

def fond():  # the background job: writes while the request below is inside its transaction
    lu.wait(5)
    with transaction.atomic():
        connection.cursor().execute("INSERT INTO essai VALUES (1)")
    ecrit.set()
    connection.close()

fil = threading.Thread(target=fond)
fil.start()
with transaction.atomic():  # a request: reads, then writes
    connection.cursor().execute("SELECT count(*) FROM essai").fetchone()
    lu.set()
    ecrit.wait(0.5)  # the background write must wait for this transaction, not slip in between
    connection.cursor().execute("INSERT INTO essai VALUES (2)")
fil.join(10)
with connection.cursor() as c:
    # a reader is never blocked by a writer (WAL)
    print("rows", c.execute("SELECT n FROM essai ORDER BY rowid").fetchall())
"""


def test_sqlite_uses_wal_and_a_background_write_never_fails_a_request(tmp_path):
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "ipt.settings",
        "DEBUG": "true",
        "REDIS_URL": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'essai.sqlite3'}",
    }
    resultat = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert resultat.returncode == 0, resultat.stderr  # no "database is locked"
    assert "journal wal" in resultat.stdout
    assert "rows [(2,), (1,)]" in resultat.stdout  # the request's write first, the background one after

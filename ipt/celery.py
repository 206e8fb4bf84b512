"""The Celery application. Configured from Django's settings (``CELERY_*``)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipt.settings")

app = Celery("ipt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule lives in code, one commented entry per periodic job; later issues add theirs.
app.conf.beat_schedule = {
    # The monthly charge run: on the 1st at 03:30 (Europe/Paris, CELERY_TIMEZONE), the charges of the
    # month before for every connected dwelling, then one numbered statement per landlord.
    "charges-mensuelles": {
        "task": "charges.mensuel",
        "schedule": crontab(minute=30, hour=3, day_of_month=1),
    },
    # Background jobs that would wait for ever: every 5 minutes, a job waiting past
    # TRAVAUX_ATTENTE_MAX_SECONDES is queued once more (its message was lost, e.g. Redis restarted without
    # persistence), then failed with a French message; a job running past the task's hard time limit
    # (its worker died) is failed. The job's own page checks the same when it is read.
    "travaux-surveiller": {
        "task": "ipt.travaux_surveiller",
        "schedule": crontab(minute="*/5"),
    },
    # Votes close on time: every 5 minutes, the open votes whose closing time has passed are closed by
    # the system (counted, fingerprinted, minutes made), as staff would; ballots are refused from the
    # closing time on anyway, this only makes the result and the minutes follow without waiting.
    "votes-cloture": {
        "task": "votes.clore_echus",
        "schedule": crontab(minute="*/5"),
    },
    # PCs set aside for a household come back by themselves: every night at 00:10, the reservations past
    # their date are expired and their PCs are back in stock (the desk's pages treat a reservation past
    # its date as none anyway; this keeps the stock's statuses right).
    "reservations-pc-expirer": {
        "task": "equipements.reservations_pc_expirer",
        "schedule": crontab(minute=10, hour=0),
    },
    # Workshop reminders: every 15 minutes, the people signed up to a session starting within
    # IPT_RAPPEL_HEURES hours (48 by default) and not started yet are reminded, each once
    # (ateliers/messagerie.py).
    "ateliers-rappels": {
        "task": "ateliers.rappels",
        "schedule": crontab(minute="*/15"),
    },
    # Personal data kept no longer than needed: every night at 02:30, the retention purge anonymises
    # households gone and people inactive past their durations, erases old messages' texts and door
    # notes, deletes old job files and the read log's old rows (donnees/conservation.py, the
    # CONSERVATION_* settings), by chunks, with its counts in the audit trail. Idempotent.
    "donnees-purger": {
        "task": "donnees.purger",
        "schedule": crontab(minute=30, hour=2),
    },
}

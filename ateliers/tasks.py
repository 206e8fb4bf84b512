"""The workshops' background jobs, each kind in its own module (discovered through this one)."""

from ateliers import tasks_besoins  # noqa: F401 — the outreach list's invitation letters
from ateliers.taches_messages import *  # noqa: F403 — the messages' tasks and the letters' producer

"""The workshops' background jobs, each kind in its own module (discovered through this one)."""

from ateliers import tasks_besoins  # noqa: F401 — the outreach list's invitation letters

from ateliers.taches_messages import *  # noqa: F403 — the messages' tasks and the letters' producer

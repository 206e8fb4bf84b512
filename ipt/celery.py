"""The Celery application. Configured from Django's settings (``CELERY_*``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipt.settings")

app = Celery("ipt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule lives in code, one commented entry per periodic job; later issues add theirs.
app.conf.beat_schedule = {}

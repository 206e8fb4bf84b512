"""Settings for `make bench`: production-like (DEBUG off), on the PostgreSQL database of DATABASE_URL."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 60)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ipt_bench")
# The bench runs the monthly run in-process, as a worker does: the worker's statement timeout.
os.environ.setdefault("DB_STATEMENT_TIMEOUT", "600000")
os.environ.setdefault("IPT_ENV_FILE", "")

from ipt.settings import *  # noqa: E402,F403
from ipt.settings import BASE_DIR, env  # noqa: E402

# In-process by default; a bench that starts a real Celery worker (PC sales) sets it false for the
# server and the worker it starts.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = BASE_DIR / ".bench-media"

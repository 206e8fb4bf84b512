"""Settings for the test suite: the real settings, with a test key and fast password hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 60)

from ipt.settings import *  # noqa: E402,F403
from ipt.settings import BASE_DIR, env  # noqa: E402

# Tests call tasks in-process. The one test with a real worker (tests/test_worker.py) starts its own
# with CELERY_TASK_ALWAYS_EAGER=false and the test's MEDIA_ROOT in the worker's environment.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
TACHES_LOCALES = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".test-media")

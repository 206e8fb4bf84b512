"""Settings for the test suite: the real settings, with a test key and fast password hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 60)

from ipt.settings import *  # noqa: E402,F403
from ipt.settings import BASE_DIR  # noqa: E402

# Tests call tasks in-process; the one test with a real worker starts its own.
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
MEDIA_ROOT = BASE_DIR / ".test-media"

"""Settings for the test suite: the real settings, with a test key and fast password hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-" + "x" * 60)
# The suite (and the processes it starts) runs on the settings it sets, never on a developer's .env.
os.environ.setdefault("IPT_ENV_FILE", "")

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
# The access matrix and the odd-input walk open the public Visa verification page many times from
# 127.0.0.1, in a cache that outlives the run: no limit there. tests/ateliers/test_visa_verification.py
# sets a small one, with an address of its own.
VISA_VERIFICATIONS_PAR_CLIENT = 1_000_000

"""Settings of the Internet Pour Tous project, read from the environment.

With nothing set the app runs on a SQLite file with background jobs run in-process, so a newcomer
needs no server. ``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL and to Celery through Redis.
With ``DEBUG`` off (the default) the settings are the production ones: they refuse to start without a
real ``SECRET_KEY`` and pass ``manage.py check --deploy``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# A development checkout keeps DEBUG=true and a generated key in `.env` (written by `make run`, ignored by
# git and Docker), so `manage.py` works without typing DEBUG=true. The environment wins over the file;
# IPT_ENV_FILE="" reads no file (the test suite does so, to run on exactly the settings it sets).
ENV_FILE = env.str("IPT_ENV_FILE", default=str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)

# Keys generated for development start with this prefix, and production refuses them.
DEV_SECRET_KEY_PREFIX = "dev-only-"  # noqa: S105 — a prefix refused in production
_DEV_SECRET_KEY = DEV_SECRET_KEY_PREFIX + "insecure-key-never-used-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG off) needs a long random SECRET_KEY; "
            "set DEBUG=true for a local demo."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (SECRET_KEY.startswith(DEV_SECRET_KEY_PREFIX) or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 random characters, not a development key."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "csp",
    "ipt",
    "quartiers",
    "logements",
    "votes",
    "equipements",
    "ateliers",
    "pilotage",
    "charges",
    "comptes",
    "donnees",  # the register of personal data, exports, erasure, retention, the read log
    "demo",  # the demo city and seed_demo, on top of every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "ipt.securite.RefuserCaracteresNulsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "ipt.securite.PagesPriveesSansCacheMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must come last: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ipt.urls"
WSGI_APPLICATION = "ipt.wsgi.application"
ASGI_APPLICATION = "ipt.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ipt.context_processors.navigation",
                "comptes.context_processors.courriel",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Time limits, so that a database that hangs cannot hold every web worker: a connection attempt gives up
# after DB_CONNECT_TIMEOUT seconds, a statement after DB_STATEMENT_TIMEOUT milliseconds (0: no limit).
# The Celery workers run the long statements (the monthly run, big imports): compose gives them their own
# DB_STATEMENT_TIMEOUT. TCP keepalives detect a server that vanished under an open connection.
DB_CONNECT_TIMEOUT = env.int("DB_CONNECT_TIMEOUT", default=5)
DB_STATEMENT_TIMEOUT = env.int("DB_STATEMENT_TIMEOUT", default=30_000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DB_CONNECT_TIMEOUT,
            "options": f"-c statement_timeout={DB_STATEMENT_TIMEOUT}",
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache and Celery --------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Every call to Redis gives up after these many seconds (connecting, then each command).
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=2)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=5)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
# Without Redis, jobs run in-process, at once, in the request that starts them.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "Europe/Paris"
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000)  # KiB
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
# A web request that queues a job while Redis hangs gives up after one retry, not after minutes.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
# The monthly run and its statements have a queue of their own ("releves", served by a worker of its own
# in docker-compose.yml), so that users' jobs on the default queue never starve them; beat's task too.
CELERY_TASK_ROUTES = {
    "charges.mensuel": {"queue": "releves"},
    "charges.executer": {"queue": "releves"},
    "charges.releve_partie": {"queue": "releves"},
}

# --- Authentication -----------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accueil_role"
LOGOUT_REDIRECT_URL = "login"

# A one-time link to set a password (invitation, forgotten password) lasts this long (seconds).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 60 * 60)

# "Forgotten password" sends at most this many emails per hour to one address, and per client address
# (comptes/limites.py); beyond, the same answer and no email.
MOT_DE_PASSE_OUBLIE_PAR_ADRESSE = env.int("MOT_DE_PASSE_OUBLIE_PAR_ADRESSE", default=3)
MOT_DE_PASSE_OUBLIE_PAR_CLIENT = env.int("MOT_DE_PASSE_OUBLIE_PAR_CLIENT", default=10)

# Published statistics (yearly report, its spreadsheets, the share link) show any count of people or
# households under this threshold as "secret" (ipt/secret_statistique.py); staff's working lists do not.
SECRET_STATISTIQUE_SEUIL = env.int("SECRET_STATISTIQUE_SEUIL", default=11)

# --- Personal data: how long it is kept (days), read by donnees/registre.py and the nightly purge ----
# Contact details and names of households gone (moved out, or no contact) this long are anonymised.
CONSERVATION_FOYERS_PARTIS_JOURS = env.int("CONSERVATION_FOYERS_PARTIS_JOURS", default=2 * 365)
# People with no workshop sign-up, attendance or help session this long are anonymised.
CONSERVATION_INSCRIPTIONS_JOURS = env.int("CONSERVATION_INSCRIPTIONS_JOURS", default=3 * 365)
# Messages sent to people (their text and where they went) are erased after this.
CONSERVATION_MESSAGES_JOURS = env.int("CONSERVATION_MESSAGES_JOURS", default=183)
# The log of who read what is kept one year.
CONSERVATION_LECTURES_JOURS = env.int("CONSERVATION_LECTURES_JOURS", default=365)
# Files produced by background jobs (letters with names and addresses, exports) are deleted after this.
CONSERVATION_FICHIERS_TRAVAUX_JOURS = env.int("CONSERVATION_FICHIERS_TRAVAUX_JOURS", default=90)
# Notes taken at the door during campaigns are erased after this.
CONSERVATION_NOTES_VISITES_JOURS = env.int("CONSERVATION_NOTES_VISITES_JOURS", default=2 * 365)
# Accounting records (payments, receipts, sales) are kept this many years (Code de commerce, L123-22).
CONSERVATION_COMPTABLE_ANS = env.int("CONSERVATION_COMPTABLE_ANS", default=10)
# The nightly purge (donnees/conservation.py) works by chunks of this many rows, each in its own transaction.
CONSERVATION_LOT = env.int("CONSERVATION_LOT", default=1000)

# --- Email ----------------------------------------------------------------------------------------
# With EMAIL_HOST set, invitations and "forgotten password" links go by SMTP. Without it, in development
# (DEBUG) emails are printed on the console; in production nothing is sent: links to set a password are
# printed for hand delivery and "forgotten password" is hidden (comptes/services.py says which).
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = (
    env.str("DEFAULT_FROM_EMAIL", default="") or "Internet Pour Tous <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

# --- Messages to people: workshop reminders and notices (ateliers/canaux.py) -------------------
# Each channel's backend is a class path: ateliers.canaux.Console (the default: each message written to
# IPT_MESSAGES_FICHIER, else to the log), ateliers.canaux.CourrielDjango (Django's mail with the EMAIL_*
# settings above: SMTP; the email default once EMAIL_HOST is set), ateliers.canaux.SmsHttp (an SMS
# provider over HTTP: IPT_SMS_URL, IPT_SMS_TOKEN as a Bearer token, IPT_SMS_EXPEDITEUR as sender name).
IPT_SMS_BACKEND = env.str("IPT_SMS_BACKEND", default="ateliers.canaux.Console")
IPT_EMAIL_BACKEND = env.str(
    "IPT_EMAIL_BACKEND", default="ateliers.canaux.CourrielDjango" if EMAIL_HOST else "ateliers.canaux.Console"
)
IPT_MESSAGES_FICHIER = env.str("IPT_MESSAGES_FICHIER", default="")
IPT_SMS_URL = env.str("IPT_SMS_URL", default="")
IPT_SMS_TOKEN = env.str("IPT_SMS_TOKEN", default="")
IPT_SMS_EXPEDITEUR = env.str("IPT_SMS_EXPEDITEUR", default="IPT Brest")
IPT_SMS_TIMEOUT = env.float("IPT_SMS_TIMEOUT", default=10)
# Reminders go this many hours before a session starts (beat task ateliers.rappels, every 15 minutes).
IPT_RAPPEL_HEURES = env.int("IPT_RAPPEL_HEURES", default=48)

# Login attempts are limited per username AND address: a centre social shares one public address,
# so locking the address alone would lock out every volunteer of the centre.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/verrouille.html"
# Behind a reverse proxy, the client's address is the last one the proxy appended to X-Forwarded-For:
# set the number of proxies in front (compose: 1), else every client has the proxy's address.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "ipt.securite.adresse_client"

# A session lasts a working day, and ends with the browser.
SESSION_COOKIE_AGE = 10 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static files and generated documents -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Generated PDFs and CSVs; never served directly, always through a view that checks rights.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Landlords' dwelling lists: refused above this size, before parsing (XLSX: also their uncompressed size).
IMPORT_TAILLE_MAX = env.int("IMPORT_TAILLE_MAX", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- The issuer of every document (letters, statements, notices, minutes) -----------------------
# The city's service as it signs its documents; the defaults are the demo city's.
EMETTEUR = {
    "nom": env.str("EMETTEUR_NOM", default="Ville de Brest (démonstration)"),
    "service": env.str("EMETTEUR_SERVICE", default="Service Internet et expression multimédia"),
    "adresse": env.str("EMETTEUR_ADRESSE", default="2 rue Frézier"),
    "code_postal_ville": env.str("EMETTEUR_CODE_POSTAL_VILLE", default="29200 Brest"),
    "telephone": env.str("EMETTEUR_TELEPHONE", default="02 98 00 80 80"),
    "courriel": env.str("EMETTEUR_COURRIEL", default="internet-pour-tous@ville.example"),
    # "Fait à …" on minutes and letters.
    "lieu": env.str("EMETTEUR_LIEU", default="Brest"),
}

# --- Visa Internet certificates ---------------------------------------------------------------------
# The site's public address: the QR code printed on a certificate links to its verification page there.
# Unset: https:// and the first of ALLOWED_HOSTS in production, the local server in development.
SITE_URL = env.str("SITE_URL", default="") or (
    f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS and not DEBUG else "http://127.0.0.1:8000"
)
# The public verification page answers so many lookups per client address per window (seconds).
VISA_VERIFICATIONS_PAR_CLIENT = env.int("VISA_VERIFICATIONS_PAR_CLIENT", default=30)
VISA_VERIFICATIONS_FENETRE = env.int("VISA_VERIFICATIONS_FENETRE", default=10 * 60)

# --- The internet provider, addressee of the escalation letters about overdue incidents -----------
FOURNISSEUR = {
    "nom": env.str("FOURNISSEUR_NOM", default="Opérateur Fibre Ouest (démonstration)"),
    "service": env.str("FOURNISSEUR_SERVICE", default="Service clients collectivités"),
    # Street, then postcode and town, separated by "|".
    "adresse": env.str("FOURNISSEUR_ADRESSE", default="12 quai de la Douane|29200 Brest").split("|"),
}

# --- Background work without Redis ----------------------------------------------------------------
# Without a broker (``make run``), tasks run in a small queue in the server process, so the page that
# started them shows their progress; tests set this off and run tasks in the request (eager).
TACHES_LOCALES = env.bool("TACHES_LOCALES", default=not REDIS_URL)
# A charge run whose documents phase shows no sign of life this long (seconds) is dead: staff may resume it.
CHARGES_BATTEMENT_MAX = env.int("CHARGES_BATTEMENT_MAX", default=30)

# --- Background jobs (ipt.travaux) ------------------------------------------------------------------
# At most this many documents waiting or running per user; asking again for one of them returns it.
TRAVAUX_MAX_PAR_UTILISATEUR = env.int("TRAVAUX_MAX_PAR_UTILISATEUR", default=3)
# A document done this recently (and after the last change of what it is made from) is handed out again.
TRAVAUX_FRAIS_SECONDES = env.int("TRAVAUX_FRAIS_SECONDES", default=10 * 60)
# A job still waiting after this long lost its queue message: queued once more, then failed.
TRAVAUX_ATTENTE_MAX_SECONDES = env.int("TRAVAUX_ATTENTE_MAX_SECONDES", default=20 * 60)
# SQLite (make run): the server's background thread writes while requests read. WAL lets readers go on
# during a write; IMMEDIATE transactions take the write lock at BEGIN (no "database is locked" on a lock
# upgrade); the timeout makes a writer wait its turn rather than fail.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )

# --- Votes ----------------------------------------------------------------------------------------
# How long (seconds) whoever entered a ballot may undo it on the entry page (a mis-tap); after that,
# only city staff cancel a ballot, with a reason.
VOTES_DELAI_ANNULATION_SAISIE = env.int("VOTES_DELAI_ANNULATION_SAISIE", default=120)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security (production) ----------------------------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The container healthcheck calls /healthz over plain HTTP from inside.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# Every script, stylesheet, font and image is served from our own static files (vendored): nothing
# inline, nothing from elsewhere. Bootstrap's CSS draws its icons with data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features: the camera only for this site (the caretakers scan ballots' QR codes), none other.
PERMISSIONS_POLICY = {
    "camera": ["self"],
    "geolocation": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "midi": [],
    "display-capture": [],
    "fullscreen": ["self"],
    "browsing-topics": [],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}

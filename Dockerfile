FROM python:3.11-slim-bookworm

# WeasyPrint needs Pango and HarfBuzz; gettext compiles the French catalogue; poppler-utils (pdftotext)
# lets an erasure on request read the jobs' files for the names it erases (donnees/effacement.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext curl poppler-utils \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=ipt.settings
WORKDIR /app
COPY pyproject.toml ./
COPY . .
# Static files are collected with the production settings (DEBUG off), so the hashed names' manifest is
# written: the app serves them through whitenoise's CompressedManifestStaticFilesStorage. The build-time
# SECRET_KEY is a throwaway that exists only in this layer's build step; the container gets the real one.
RUN pip install --no-cache-dir . \
    && DEBUG=true python manage.py compilemessages -v0 \
    && DEBUG=false SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
       STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput -v0 \
    && test -s /app/staticfiles/staticfiles.json \
    && useradd --system --home /app ipt && mkdir -p /data/documents && chown ipt /data/documents

USER ipt
EXPOSE 8000
CMD ["gunicorn", "ipt.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]

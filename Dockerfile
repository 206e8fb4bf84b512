FROM python:3.11-slim-bookworm

# WeasyPrint needs Pango and HarfBuzz; gettext compiles the French catalogue.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext curl \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=ipt.settings
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . \
    && DEBUG=true python manage.py compilemessages -v0 \
    && DEBUG=true STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput -v0 \
    && useradd --system --home /app ipt && mkdir -p /data/documents && chown ipt /data/documents

USER ipt
EXPOSE 8000
CMD ["gunicorn", "ipt.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]

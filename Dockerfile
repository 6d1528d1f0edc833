# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    MESSAGECENTER_VAR_DIR=/data

RUN apt-get update && apt-get install -y --no-install-recommends libmagic1 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 app \
    && mkdir -p /data /app && chown app:app /data

WORKDIR /app
COPY pyproject.toml ./
COPY messagecenter ./messagecenter
COPY orders ./orders
COPY compliance ./compliance
RUN pip install --upgrade pip && pip install .
COPY manage.py ./
COPY templates ./templates
COPY static ./static

# collectstatic needs settings to load; a throwaway key is enough at build time.
RUN MESSAGECENTER_ENV=production SECRET_KEY=build-only-collectstatic \
    python manage.py collectstatic --noinput

USER app
EXPOSE 8000
CMD ["gunicorn", "messagecenter.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

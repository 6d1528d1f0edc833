# One image for web, worker, beat and the mail receiver (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MESSAGECENTER_ENV=production \
    MESSAGECENTER_VAR_DIR=/data

# python-magic needs libmagic to recognise attachments by their content; gettext compiles
# the translations (msgfmt) during the build.
RUN apt-get update && apt-get install -y --no-install-recommends libmagic1 gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 app \
    && mkdir -p /data /app && chown app:app /data

WORKDIR /app

# The runtime dependencies first, from pyproject.toml alone, so that this layer is rebuilt
# only when pyproject.toml changes, not on every code change. The dev extras (linters,
# type checker, test tools) never enter the image.
COPY pyproject.toml ./
RUN python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the code, and the project itself without resolving its dependencies again. Editable,
# so that /app is the only copy of the code (settings find templates/ and static/ next to it).
COPY manage.py ./
COPY messagecenter ./messagecenter
COPY orders ./orders
COPY compliance ./compliance
COPY templates ./templates
COPY static ./static
COPY locale ./locale
RUN pip install --no-deps -e .

# collectstatic needs settings to load: a throwaway key is enough at build time (the
# entrypoint refuses it at run time), and a throwaway var dir keeps the folders that loading
# creates (the on-disk Celery broker) out of /data, which belongs to the app user.
RUN SECRET_KEY=build-only-collectstatic MESSAGECENTER_VAR_DIR=/tmp/build-var \
        python manage.py collectstatic --noinput \
    && SECRET_KEY=build-only-collectstatic MESSAGECENTER_VAR_DIR=/tmp/build-var \
        python manage.py compilemessages -v 0 \
    && rm -rf /tmp/build-var

COPY scripts/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh

# The code stays owned by root: the app user can read it and write only to /data.
USER app
EXPOSE 8000
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["uvicorn", "messagecenter.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--workers", "3", "--proxy-headers"]

# Commons — production image (web, Celery worker and Celery beat all use it).
#
#   docker build -t commons .
#   docker run --env-file .env -p 8000:8000 commons
#
# See docs/deploy.md for the full docker compose setup.

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    MEDIA_ROOT=/data/media

WORKDIR /app

# Unprivileged runtime user. The source tree and collected static files stay
# owned by root, so the application can read them but cannot modify them.
# Uploaded files (per-organisation subdirectories) go to MEDIA_ROOT, the only
# writable application directory; mount a volume there.
RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /home/app --create-home \
       --shell /usr/sbin/nologin app \
    && mkdir -p /data/media \
    && chown app:app /data/media

# Dependencies first. This layer is only rebuilt when pyproject.toml changes.
# Runtime dependencies are read from [project].dependencies; the "dev" extra
# (tests, lint) is deliberately not installed.
COPY pyproject.toml ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; print(*deps, sep=chr(10))" > /tmp/requirements.txt \
    && pip install --upgrade pip \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Application source (see .dockerignore for what is excluded).
COPY . .

# Collect static files into the image (served by whitenoise). Production
# settings do not connect to the database or broker at import time, so dummy
# values are enough here; none of them end up in the image environment.
RUN SECRET_KEY=build-only \
    DATABASE_URL=postgres://build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 \
    ALLOWED_HOSTS=localhost \
    BASE_DOMAIN=localhost \
    python manage.py collectstatic --noinput \
 && python scripts/compilemessages.py

USER app

EXPOSE 8000

# Shell form so that WEB_CONCURRENCY is expanded at run time; exec makes
# gunicorn PID 1 so it receives SIGTERM directly and shuts down gracefully.
CMD ["sh", "-c", "exec gunicorn config.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]

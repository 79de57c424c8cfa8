# Maillage production image: gunicorn serving cpts.wsgi; the same image runs the Celery worker
# and beat (see docker-compose.yml). Static files are collected at build time.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_ENV=production \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/app/media

# WeasyPrint's runtime libraries (Pango, HarfBuzz), a font for the PDFs, gettext for the catalogues.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system maillage \
    && useradd --system --gid maillage --create-home --home-dir /home/maillage \
        --shell /usr/sbin/nologin maillage

WORKDIR /app

# Dependencies first, in their own layer, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN python -c "import subprocess, sys, tomllib; \
deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; \
subprocess.check_call([sys.executable, '-m', 'pip', 'install', *deps])"

# The project itself, installed in place: settings find templates/, static/, locale/ and the
# reference data beside the packages (BASE_DIR is /app).
COPY . .
RUN pip install --no-deps -e . \
    && DJANGO_SECRET_KEY=build-time-only-key-never-used-at-run-time-0123456789 \
        python manage.py collectstatic --no-input \
    && DJANGO_SECRET_KEY=build-time-only-key-never-used-at-run-time-0123456789 \
        python manage.py compilemessages --ignore=.venv \
    && mkdir -p /app/media \
    && chown maillage:maillage /app/media

USER maillage
EXPOSE 8000

CMD ["gunicorn", "cpts.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", \
     "--access-logfile", "-"]

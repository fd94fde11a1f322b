# One image for every role: web (gunicorn), worker, beat and the one-shot migrate.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATA_DIR=/data \
    MEDIA_ROOT=/data/uploads \
    STATIC_ROOT=/app/staticfiles

RUN groupadd --system triangle \
    && useradd --system --gid triangle --home-dir /app --shell /usr/sbin/nologin triangle

WORKDIR /app

# Dependencies first (cached until pyproject.toml changes); the code runs from /app.
COPY pyproject.toml ./
RUN pip install --no-compile .

COPY . .

# Static files are collected at build time (hashed names, compressed; served by whitenoise).
# The secret key here only lets settings load; the running containers get theirs from .env.
RUN SECRET_KEY=collectstatic-at-build-time-only DATA_DIR=/tmp/build-data \
        python manage.py collectstatic --no-input --verbosity 0 \
    && rm -rf /tmp/build-data \
    && mkdir -p /data/uploads \
    && chown -R triangle:triangle /data

USER triangle
EXPOSE 8000

# Workers: WEB_CONCURRENCY (gunicorn reads it; default 2 × CPUs + 1 is a good start).
CMD ["gunicorn", "triangle.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", "--timeout", "60", "--forwarded-allow-ips", "*"]

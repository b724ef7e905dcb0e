# Eve: one image for the brain and the Dagster processes (docker-compose.yml picks the command).
# Dependencies are exactly requirements.lock's pins; the project runs from /app as source (no
# editable or wheel install: sql/ is read next to the packages). Runs as the unprivileged user eve.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DATA_DIR=/data \
    DAGSTER_HOME=/app/deploy \
    DAGSTER_STORAGE_DIR=/var/lib/dagster

WORKDIR /app

# Dependencies first (cached layer): the runtime requirements of pyproject.toml, every package of
# their closure pinned by requirements.lock (tests/deploy check the lock covers the closure).
COPY pyproject.toml requirements.lock deploy/runtime_requirements.py ./
RUN python runtime_requirements.py pyproject.toml > /tmp/runtime.txt \
 && pip install --no-cache-dir -c requirements.lock -r /tmp/runtime.txt \
 && pip check \
 && rm -f /tmp/runtime.txt runtime_requirements.py

# The project itself, owned by root and read-only to the service user.
COPY . .
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/eve --shell /usr/sbin/nologin eve \
 && mkdir -p /data /var/lib/dagster \
 && chown eve:eve /data /var/lib/dagster

USER eve

EXPOSE 8080 3000 4000

# Default: the brain. Compose overrides the command for the Dagster code server, webserver and daemon.
CMD ["python", "-m", "brain_service"]

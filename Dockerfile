# Eve: one image for the brain and the Dagster processes (docker-compose.yml picks the command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATA_DIR=/data \
    DAGSTER_HOME=/dagster_home

WORKDIR /app

# Dependencies first (cached layer), pinned by requirements.lock.
COPY pyproject.toml requirements.lock README.md ./
RUN mkdir -p brain_service pipelines assets vocabulary \
 && touch brain_service/__init__.py pipelines/__init__.py assets/__init__.py vocabulary/__init__.py \
 && pip install --no-cache-dir -c requirements.lock -e . \
 && rm -rf brain_service pipelines assets vocabulary

# The project itself (editable install: sql/ is read from the source tree).
COPY . .
RUN pip install --no-cache-dir --no-deps -e . \
 && mkdir -p /data /dagster_home \
 && cp dagster.yaml /dagster_home/dagster.yaml

EXPOSE 8080 3000

# Default: the brain. Compose overrides the command for the Dagster webserver and daemon.
CMD ["python", "-m", "brain_service"]

#!/usr/bin/env bash
# Start the machine's PostgreSQL cluster if it is installed and not accepting connections.
# The Supabase export tests (tests/pipelines/exports) need it: each creates and drops its own
# database there. They skip only when no PostgreSQL is installed at all; an installed server that
# does not come up makes them fail.
set -u
if command -v pg_isready >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q; then
  exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for v in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$v" main start >/dev/null 2>&1 || true
  done
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q && exit 0
    sleep 0.5
  done
  echo "warning: PostgreSQL did not come up on 127.0.0.1:5432" >&2
fi
exit 0

#!/usr/bin/env bash
# Development: the background worker beside the web server on http://127.0.0.1:5000.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/portal worker --workers 1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
echo "委託先監督ポータル: http://127.0.0.1:5000"
.venv/bin/portal run --host 127.0.0.1 --port 5000

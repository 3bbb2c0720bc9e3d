#!/usr/bin/env bash
# Set up, then run the whole chain on the bundled example corpus and say where to look.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DB=${DB:-triangulate.db}
rm -f "$DB" "$DB-wal" "$DB-shm"
.venv/bin/triangulate run examples/corpus --manifest examples/corpus_manifest.jsonl --db "$DB"
mkdir -p out
.venv/bin/triangulate export --what incidents --format jsonl --db "$DB" -o out/incidents.jsonl
.venv/bin/triangulate export --what documents --format csv --db "$DB" -o out/documents.csv
echo
.venv/bin/triangulate incidents --db "$DB" --limit 15
echo
echo "Store: $DB   Exports: out/incidents.jsonl, out/documents.csv"
echo "Next: .venv/bin/triangulate brief 2 --db $DB     (a cited account of incident 2)"
echo "      .venv/bin/triangulate export --what events --db $DB -o out/events.jsonl"

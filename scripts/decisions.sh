#!/usr/bin/env bash
# Run the example corpus, the seeds and GVC (by publication date) through `triangulate run` and export every
# decision (events, incidents) to OUTDIR, so two revisions can be compared: bash scripts/decisions.sh /tmp/a; ...;
# diff -r /tmp/a /tmp/b. Paths are written as TMP/ and SHARED/; exports hold no timestamps.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: scripts/decisions.sh OUTDIR}
SHARED=$(cd "${SHARED:-../shared}" 2>/dev/null && pwd || echo /nonexistent)
mkdir -p "$OUT"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
tri=.venv/bin/triangulate
export_all() {  # DB NAME
  for what in events incidents; do
    $tri export --what "$what" --format jsonl --db "$1" -o "$OUT/$2-$what.jsonl" >/dev/null
    sed -i "s#$T/#TMP/#g; s#$SHARED/#SHARED/#g" "$OUT/$2-$what.jsonl"  # paths that differ between checkouts
  done
}
$tri run examples/corpus --manifest examples/corpus_manifest.jsonl --db "$T/examples.db" >/dev/null 2>&1
export_all "$T/examples.db" examples
if [ -d "$SHARED/seeds" ]; then
  $tri run "$SHARED/seeds" --db "$T/seeds.db" >/dev/null 2>&1
  export_all "$T/seeds.db" seeds
fi
if [ -f "$SHARED/data/gvc/gvc_docs_fulltext.jsonl" ]; then
  .venv/bin/python "$SHARED/checks/reorder.py" "$SHARED/data/gvc/gvc_docs_fulltext.jsonl" "$T/gvc.jsonl" date dct \
    >/dev/null
  $tri run "$T/gvc.jsonl" --format jsonl --map text=text,published=dct,title=title,url=url,id=doc_id \
    --db "$T/gvc.db" >/dev/null 2>&1
  export_all "$T/gvc.db" gvc
fi
ls -l "$OUT"

"""A new report on an existing incident updates its fields and counts, with history (no freezing at first sight)."""

from __future__ import annotations

import json

from triangulate.export.incidents import incident_rows_native
from triangulate.pipeline.run import run

FIRST = """Blast kills 9 at Kestrel market

KESTREL CITY, March 14, 2024 (Harbor Wire) -- A bomb exploded at the Kestrel central market on Tuesday, killing 9 people
and wounding 20, police said. No group has claimed responsibility for the bombing in Kestrel.
"""
SECOND = """Kestrel market bombing toll rises to 14

March 16, 2024 -- The death toll from Tuesday's bombing at the Kestrel central market has risen to 14, hospital officials
said on Thursday. A bomb exploded at the market in Kestrel on Tuesday, killing 14 people, officials said.
"""


def test_new_report_updates_incident_and_history(store, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "first.txt").write_text(FIRST)
    run(store, [tmp_path / "a"])
    [first] = [r for r in incident_rows_native(store) if r["main_documents"]]
    assert first["fields"]["killed"]["chosen"] == "9"
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "second.txt").write_text(SECOND)
    run(store, [tmp_path / "b"])
    mains = [r for r in incident_rows_native(store) if r["main_documents"]]
    assert len(mains) == 1, [m["title"] for m in mains]
    killed = {c["value"] for c in mains[0]["fields"]["killed"]["candidates"]}
    assert killed == {"9", "14"} and mains[0]["fields"]["killed"]["contradiction"]
    assert mains[0]["version"] > first["version"]
    history = store.query(
        "SELECT cause, change FROM incident_history WHERE incident_id = ? AND cause LIKE 'document%'",
        (mains[0]["id"],),
    )
    assert history, "the change must be recorded with the document that caused it"
    changed = json.loads(history[-1]["change"])["changed"]
    assert changed["n_documents"] == [1, 2]

"""Dating undated reports from the incident they were linked to.

A report without its own date takes, as an *inferred* anchor, the earliest stated publication
date among the other reports of its main incident (when the link between them is confident); its
relative dates are then resolved again.
"""

from __future__ import annotations

from collections.abc import Iterable

from triangulate.store.db import Store
from triangulate.tuning import tuned

# Only a confident link may lend a date: a wrong one would re-date every relative expression.
STRONG_LINK = tuned("link.date_lending_score")


def propagate_dates(store: Store, incident_ids: Iterable[int] | None = None) -> list[int]:
    """Give undated documents an inferred date from their main incident; return the documents changed.

    With ``incident_ids`` (the incidents a linking run touched) only their documents are looked at:
    a document of an untouched incident was already dated, or not, when that incident last changed,
    so the answer is the same as for the whole store at a cost that does not grow with it.
    """
    scope, params = "", {"strong": STRONG_LINK}
    if incident_ids is not None:
        ids = sorted(set(incident_ids))
        if not ids:
            return []
        scope = f"WHERE ie.incident_id IN ({','.join(f':i{n}' for n in range(len(ids)))})"
        params.update({f"i{n}": i for n, i in enumerate(ids)})
    rows = store.query(
        f"""SELECT ie.doc_id AS doc_id, min(d2.published) AS anchor
           FROM incident_events ie
           JOIN events e ON e.id = ie.event_id AND e.role = 'main'
           JOIN documents d ON d.id = ie.doc_id AND d.published = ''
           JOIN incident_events ie2 ON ie2.incident_id = ie.incident_id AND ie2.doc_id != ie.doc_id
                AND (ie.score >= :strong OR ie2.score >= :strong)
           JOIN documents d2 ON d2.id = ie2.doc_id AND d2.published != '' AND d2.published_source IN ('metadata', 'byline')
                                AND d2.published_precision = 'day'
           {scope}
           GROUP BY ie.doc_id""",
        params,
    )
    changed = []
    with store.transaction() as conn:
        for row in rows:
            conn.execute(
                "UPDATE documents SET published = ?, published_precision = 'day', published_source = 'inferred' "
                "WHERE id = ? AND published = ''",
                (row["anchor"], row["doc_id"]),
            )
            changed.append(row["doc_id"])
    return changed


def unlink_documents(store: Store, doc_ids: list[int]) -> set[int]:
    """Remove the documents' events from their incidents before re-extraction; return touched incidents."""
    if not doc_ids:
        return set()
    marks = ",".join("?" * len(doc_ids))
    touched = {
        r[0]
        for r in store.query(
            f"SELECT DISTINCT incident_id FROM incident_events WHERE doc_id IN ({marks})", tuple(doc_ids)
        )
    }
    with store.transaction() as conn:
        conn.execute(f"DELETE FROM incident_events WHERE doc_id IN ({marks}) AND locked = 0", tuple(doc_ids))
    return touched

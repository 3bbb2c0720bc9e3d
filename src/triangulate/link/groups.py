"""Linking in groups, for engines that link elsewhere than next to the store (Ray).

An event meets only the incidents that share one of its blocking keys. So pending events are grouped
by the keys they share, with each other and with stored incidents (union-find): two groups can never
meet, whatever the order. Each group travels as the rows it reads (a :class:`LinkJob`), is linked
by the ordinary :class:`~triangulate.link.cluster.Linker` in an in-memory store, and comes back as
decisions (:class:`LinkStep`) that :func:`replay` writes to the store in the original order, with
the same writes as the linker: the incidents, their ids included, are those of one sequential run.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from triangulate.link.cluster import Linker, LinkReport, blocking_keys
from triangulate.link.text import term_counts
from triangulate.link.writes import EventRef, merge_incidents, record_decision
from triangulate.settings import Settings
from triangulate.store.db import Store

CHUNK = 500  # ids per IN list, well under SQLite's bound-parameter limit


@dataclass(slots=True)
class Rows:
    """Some rows of one table, with their column names."""

    columns: list[str]
    values: list[tuple[object, ...]]


@dataclass(slots=True)
class LinkJob:
    """One group: its pending events in link order, and every row linking them reads."""

    events: list[int]
    tables: dict[str, Rows]
    documents: int  # documents counted in the store's term statistics


@dataclass(slots=True)
class LinkStep:
    """One event's decision, as :meth:`Linker.link` made it in the group's store."""

    event: EventRef
    keys: list[str]
    incident_id: int  # a stored incident's id, or the group store's id of one it created
    created: bool
    score: float
    decision: str
    merges: list[tuple[int, int, float]] = field(default_factory=list)  # (kept, merged, score), in order


class _Groups:
    """Union-find over pending events (positive ids) and stored incidents (negative ids)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        root = self.parent.setdefault(x, x)
        while root != self.parent[root]:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _in(ids: Sequence[object], sql: str, store: Store) -> list[sqlite3.Row]:
    """``sql`` (with ``{marks}`` for the IN list) run over ``ids`` in chunks."""
    out: list[sqlite3.Row] = []
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        out += store.conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk).fetchall()
    return out


def _rows(store: Store, table: str, column: str, ids: Iterable[object], where: str = "") -> Rows:
    """The rows of ``table`` whose ``column`` is one of ``ids`` (and that match ``where``)."""
    values = _in(sorted(set(ids)), f"SELECT * FROM {table} WHERE {column} IN ({{marks}}){where}", store)  # type: ignore[type-var]
    columns = [d[0] for d in store.conn.execute(f"SELECT * FROM {table} LIMIT 0").description]
    return Rows(columns, [tuple(r) for r in values])


@dataclass(slots=True)
class Group:
    """Pending events (in link order) that may meet each other and these stored incidents, through these keys."""

    events: list[int]
    incidents: list[int]
    keys: set[str]


def group_events(linker: Linker, event_ids: list[int]) -> list[Group]:
    """Group ``event_ids`` by the blocking keys they share, with each other and with stored incidents,
    in the order of each group's first event (the events' terms are counted first). ``linker`` keeps
    the features it read, so linking the batch with it afterwards reads none of them again."""
    store = linker.store
    linker.index_terms(event_ids)
    keys: dict[int, set[str]] = {}
    for e in event_ids:
        keys[e] = linker.keys(e)
    groups, holder = _Groups(), {}
    for e in event_ids:
        groups.find(e)
        for k in keys[e]:
            groups.union(e, holder.setdefault(k, e))
    for key, incident_id in _in(
        list(holder), "SELECT key, incident_id FROM incident_keys WHERE key IN ({marks})", store
    ):
        groups.union(holder[key], -incident_id)
    members: dict[int, list[int]] = {}
    for node in list(groups.parent):
        members.setdefault(groups.find(node), []).append(node)
    order = {e: i for i, e in enumerate(event_ids)}
    found = [
        Group(
            sorted((n for n in nodes if n > 0), key=order.__getitem__),
            sorted(-n for n in nodes if n < 0),
            {k for n in nodes if n > 0 for k in keys[n]},
        )
        for nodes in members.values()
    ]
    return sorted(found, key=lambda g: order[g.events[0]])


def link_jobs(store: Store, settings: Settings, event_ids: list[int]) -> list[LinkJob]:
    """:func:`group_events`, each group with its rows gathered (:func:`gather`)."""
    return [gather(store, group) for group in group_events(Linker(store, settings), event_ids)]


def gather(store: Store, group: Group) -> LinkJob:
    """Every row that linking the group's events reads, from the store."""
    pending, incidents, keys = group.events, group.incidents, group.keys
    member_rows = _in(incidents, "SELECT event_id FROM incident_events WHERE incident_id IN ({marks})", store)
    events = pending + [r[0] for r in member_rows]
    tables = {"events": _rows(store, "events", "id", events)}
    doc_column = tables["events"].columns.index("doc_id")
    docs = sorted({row[doc_column] for row in tables["events"].values})
    tables = {"documents": _rows(store, "documents", "id", docs), **tables}
    tables["mentions"] = _rows(store, "mentions", "doc_id", docs, " AND kind = 'place'")
    tables["incidents"] = _rows(store, "incidents", "id", incidents)
    tables["incident_events"] = _rows(store, "incident_events", "incident_id", incidents)
    tables["incident_keys"] = _rows(store, "incident_keys", "key", list(keys))
    text_column = tables["documents"].columns.index("text")
    record_column, role_column = (
        tables["events"].columns.index("record"),
        tables["events"].columns.index("role"),
    )
    terms: set[str] = set()
    for row in tables["documents"].values:
        terms.update(term_counts(str(row[text_column])))
    for row in tables["events"].values:
        if row[role_column] != "main":
            terms.update(term_counts(json.loads(str(row[record_column])).get("summary") or ""))
    tables["term_df"] = _rows(store, "term_df", "term", sorted(terms))
    tables["term_docs"] = _rows(store, "term_docs", "doc_id", docs)
    documents = store.conn.execute("SELECT documents FROM term_stats WHERE id = 1").fetchone()[0]
    return LinkJob(events=pending, tables=tables, documents=int(documents))


def link_job(job: LinkJob, settings: Settings) -> list[LinkStep]:
    """Link one group in a private in-memory store built from its rows (runs on a worker)."""
    with Store.open(":memory:") as sub:
        sub.conn.execute("PRAGMA foreign_keys = OFF")  # the group's rows, not the rows they point to
        with sub.transaction() as conn:
            for table, rows in job.tables.items():
                if rows.values:
                    conn.executemany(
                        f"INSERT OR REPLACE INTO {table} ({', '.join(rows.columns)}) VALUES "
                        f"({', '.join('?' * len(rows.columns))})",
                        rows.values,
                    )
            conn.execute("UPDATE term_stats SET documents = ? WHERE id = 1", (job.documents,))
        linker = Linker(sub, settings)
        report = linker.link(job.events)
        merges: dict[int, list[tuple[int, int, float]]] = {}
        for event_id, keep, gone, value in report.merges:
            merges.setdefault(event_id, []).append((keep, gone, value))
        steps = []
        for event_id, incident_id, best, decision in report.decisions:
            f = linker.features(event_id)
            steps.append(
                LinkStep(
                    EventRef(event_id, f.doc_id, f.role, f.event_type, f.mode),
                    sorted(blocking_keys(f)),
                    incident_id,
                    decision == "new",
                    best,
                    decision,
                    merges.get(event_id, []),
                )
            )
        return steps


def replay(store: Store, event_ids: list[int], outcomes: list[list[LinkStep]]) -> LinkReport:
    """Write the groups' decisions to the store in the order of ``event_ids``, one transaction per event."""
    order = {e: i for i, e in enumerate(event_ids)}
    steps = sorted((s for steps in outcomes for s in steps), key=lambda s: order[s.event.event_id])
    report = LinkReport()
    created: dict[tuple[int, int], int] = {}  # (group, the group store's id) -> id in this store
    group_of = {s.event.event_id: g for g, steps_ in enumerate(outcomes) for s in steps_}
    for step in steps:
        group = group_of[step.event.event_id]
        with store.transaction() as conn:
            for keep, gone, value in step.merges:
                kept, merged = created.get((group, keep), keep), created.get((group, gone), gone)
                merge_incidents(conn, kept, merged, step.event.doc_id, value)
                report.merges.append((step.event.event_id, kept, merged, value))
            target = None if step.created else created.get((group, step.incident_id), step.incident_id)
            incident_id = record_decision(conn, step.event, step.keys, target, step.score, step.decision)
        if step.created:
            created[(group, step.incident_id)] = incident_id
        report.events += 1
        report.joined += not step.created
        report.created += step.created
        report.decisions.append((step.event.event_id, incident_id, step.score, step.decision))
    return report

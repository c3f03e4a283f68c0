"""Queries behind the document list: filtered count, keyset pages, distinct sources and speakers.

Built for 100,000 documents: rows are paged by `seq` (keyset, never OFFSET), filters are pushed
into SQL as `IN (subquery)` on indexed columns, and the per-row attribution count is computed
only for the rows of the page being fetched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from annotator.model import WorkStatus
from annotator.storage.engine import Database

PAGE_SIZE = 200
COUNT_CAP = 10_000


@dataclass(frozen=True, slots=True)
class DocFilter:
    """What the analyst narrowed the list to. Empty fields do not filter."""

    status: WorkStatus | None = None
    source: str | None = None
    speaker_id: str | None = None
    search: str = ""

    @property
    def active(self) -> bool:
        return bool(
            self.status or self.source is not None or self.speaker_id or self.search.strip()
        )


# Sortable list columns: SQL expression, each backed by an index (project_id, deleted_at, expr)
# so a sorted page is an index walk that stops after one page (migration 0004).
SORT_EXPRESSIONS = {
    "title": "d.title COLLATE NOCASE",
    "source": "d.source COLLATE NOCASE",
    "published": "d.published",
}


@dataclass(frozen=True, slots=True)
class DocSort:
    """The list's order: a column of SORT_EXPRESSIONS, or None for import order; ties in import
    order (descending too, so paging is a plain keyset on (value, seq))."""

    column: str | None = None
    descending: bool = False

    def __post_init__(self) -> None:
        if self.column is not None and self.column not in SORT_EXPRESSIONS:
            raise ValueError(f"cannot sort the document list by {self.column!r}")

    def value(self, row: DocRow) -> str:
        """The sort value of `row`, the keyset cursor for the page after it."""
        return getattr(row, self.column) if self.column else ""


@dataclass(frozen=True, slots=True)
class DocRow:
    """One line of the document list."""

    seq: int
    id: str
    title: str
    source: str
    published: str
    language: str
    status: WorkStatus
    attributions: int


@dataclass(frozen=True, slots=True)
class Speaker:
    id: str
    name: str
    documents: int


def fts_terms(query: str) -> str:
    """Each word as a quoted FTS5 phrase (ANDed), so user input can never be an FTS syntax error."""
    return " ".join('"' + t.replace('"', '""') + '"' for t in query.split())


# Planning thresholds (tests lower or raise them to run every plan on small data).
# A set of documents larger than SET_MAX is never materialized: its filter tests rows instead.
SET_MAX = 50_000
# Sorted by a column, a search matching at least this share of the documents is tested row by
# row through the FTS index (~50 us a row: only where a page is found in a few hundred rows);
# a sparser one is materialized (~0.2 us a match).
SEARCH_PROBE_SHARE = 0.4

_LIVE = "d.project_id = :p AND d.deleted_at IS NULL"
# Each part of a filter as a set of the project's live documents (seqs)...
_SETS = {
    "source": "SELECT d.seq FROM documents d WHERE " + _LIVE + " AND d.source = :src",
    "speaker": (
        "SELECT dd.seq FROM attributions a JOIN documents dd ON dd.id = a.document_id"
        " WHERE a.speaker_id = :spk AND a.deleted_at IS NULL"
        " AND dd.project_id = :p AND dd.deleted_at IS NULL"
    ),
    "status": (
        "SELECT dd.seq FROM document_work w JOIN documents dd ON dd.id = w.document_id"
        " WHERE w.annotator_id = :ann AND w.status = :st"
        " AND dd.project_id = :p AND dd.deleted_at IS NULL"
    ),
    # every project's documents, live or not: the plan adds the live test
    "search": "SELECT rowid FROM documents_fts WHERE documents_fts MATCH :q",
}
# ...and tested on one document row `d` (an index probe, no set built).
_PROBES = {
    "source": "d.source = :src",
    "speaker": (
        "EXISTS (SELECT 1 FROM attributions a INDEXED BY ix_attributions_speaker_live"
        " WHERE a.speaker_id = :spk AND a.document_id = d.id AND a.deleted_at IS NULL)"
    ),
    # (annotator, status, document): the index answers without reading the work row
    "status": (
        "EXISTS (SELECT 1 FROM document_work w INDEXED BY ix_work_annotator_status"
        " WHERE w.annotator_id = :ann AND w.status = :st AND w.document_id = d.id)"
    ),
    "new": (
        "NOT EXISTS (SELECT 1 FROM document_work w INDEXED BY ix_work_annotator_status"
        " WHERE w.annotator_id = :ann"
        " AND w.status IN ("
        + ", ".join(f"'{s}'" for s in WorkStatus if s != WorkStatus.NEW)
        + ") AND w.document_id = d.id)"
    ),
    "search": (
        "EXISTS (SELECT 1 FROM documents_fts f WHERE documents_fts MATCH :q AND f.rowid = d.seq)"
    ),
}


class _Plan:
    """How to find the documents of one filter, chosen from the sizes of its parts.

    Each part of the filter (source, speaker, status, search) is a set of documents whose size
    is cheap to learn (counters, index counts, an FTS count stopped early). A search drives
    when present: the FTS index lists its matches in `seq` order, so an import-order page and a
    capped count stop early. Otherwise the smallest small set drives. The other parts are
    tested on each candidate: membership in their set when it is small (built once per query),
    else an index probe. "New" (no work row) can only be probed. Counts never depend on order.
    """

    def __init__(self, s: Session, project_id: str, annotator_id: str | None, flt: DocFilter):
        self.params: dict[str, Any] = {"p": project_id, "ann": annotator_id}
        self.sizes: dict[str, int] = {}
        self.new = flt.status == WorkStatus.NEW
        self.filtered = flt.active
        self.total = _live_documents(s, project_id)
        if flt.source is not None:
            self.params["src"] = flt.source
            self.sizes["source"] = _source_count(s, project_id, flt.source)
        if flt.speaker_id:
            self.params["spk"] = flt.speaker_id
            self.sizes["speaker"] = _scalar(
                s,
                "SELECT count(DISTINCT document_id) FROM attributions"
                " WHERE speaker_id = :spk AND deleted_at IS NULL",
                self.params,
            )
        if flt.status is not None and not self.new:
            self.params["st"] = str(flt.status)
            self.sizes["status"] = _scalar(
                s,
                "SELECT count(*) FROM document_work WHERE annotator_id = :ann AND status = :st",
                self.params,
            )
        self._session = s
        self._dense: bool | None = None
        if terms := fts_terms(flt.search):
            self.params["q"] = terms
            # only whether it is small matters here: the count stops just past SET_MAX
            self.sizes["search"] = _scalar(
                s, f"SELECT count(*) FROM ({_SETS['search']} LIMIT {SET_MAX + 1})", self.params
            )
        small = {k: n for k, n in self.sizes.items() if n <= SET_MAX}
        self.driver: str | None = (
            "search" if "search" in self.sizes else min(small, key=small.__getitem__, default=None)
        )

    def dense_search(self) -> bool:
        """Whether the search matches SEARCH_PROBE_SHARE of the documents or more (asked only
        for a sorted walk, where it decides between probing rows and building the set)."""
        if self._dense is None:
            need = max(SET_MAX + 1, int(self.total * SEARCH_PROBE_SHARE))
            sql = f"SELECT count(*) FROM ({_SETS['search']} LIMIT {need})"
            self._dense = _scalar(self._session, sql, self.params) >= need
        return self._dense

    def _tests(self, key: str, *, skip: str | None, sorted_walk: bool) -> list[str]:
        """Every part but `skip`, tested on the candidates. Building a set costs about a fifth
        of a probe per member: built when small and not much larger than the candidates."""
        candidates = self.sizes.get(skip, self.total) if skip else self.total
        out = []
        for part, n in self.sizes.items():
            if part == skip:
                continue
            if part == "search":
                probe = sorted_walk and self.dense_search()
                out.append(_PROBES["search"] if probe else f"+{key} IN ({_SETS['search']})")
            elif n <= SET_MAX and not sorted_walk and n <= 5 * candidates:
                out.append(f"+{key} IN ({_SETS[part]})")
            else:
                out.append(_PROBES[part])
        if self.new:
            out.append(_PROBES["new"])
        return out

    def source_sql(
        self, *, sorted_walk: bool = False, any_order: bool = False
    ) -> tuple[str, str, str]:
        """(FROM, WHERE, key column) of the filtered documents: driven by a set (or the search
        matches in seq order), or with `sorted_walk` (or nothing to drive) walking the
        documents in an index order with every part tested per row. `any_order` (counting):
        a walk may read the live documents' (id, project) index instead of their rows."""
        if self.driver is None or sorted_walk:
            tests = self._tests("d.seq", skip=None, sorted_walk=sorted_walk)
            table = "documents d"
            if any_order and not sorted_walk and "source" not in self.sizes:
                table = "documents d INDEXED BY ix_documents_id_live"
            return table, " AND ".join([_LIVE, *tests]), "d.seq"
        if self.driver == "search":
            tests = self._tests("f.rowid", skip="search", sorted_walk=False)
            # Membership in another part's set implies a live document of the project.
            implied = any(t.startswith("+f.rowid IN (") for t in tests)
            where = " AND ".join(["documents_fts MATCH :q", *([] if implied else [_LIVE]), *tests])
            return "documents_fts f JOIN documents d ON d.seq = f.rowid", where, "f.rowid"
        tests = self._tests("d.seq", skip=self.driver, sorted_walk=False)
        if any_order and all(t.startswith("+d.seq IN (") for t in tests):
            # counting: the sets hold live documents of the project, no row needs reading
            where = " AND ".join(t.replace("+d.seq", "+s.seq") for t in tests) or "1"
            return f"(SELECT DISTINCT seq FROM ({_SETS[self.driver]})) s", where, "s.seq"
        # unary + on the project test: the set of seqs must drive, not the project's index
        live = "+d.project_id = :p AND +d.deleted_at IS NULL"
        where = " AND ".join([f"d.seq IN ({_SETS[self.driver]})", live, *tests])
        return "documents d", where, "d.seq"


def _scalar(s: Session, sql: str, params: dict[str, Any]) -> int:
    return int(s.execute(text(sql), params).scalar_one())


def _live_documents(s: Session, project_id: str) -> int:
    return int(
        s.execute(
            text("SELECT coalesce(sum(live), 0) FROM document_source_counts WHERE project_id = :p"),
            {"p": project_id},
        ).scalar_one()
    )


def _source_count(s: Session, project_id: str, source: str) -> int:
    row = s.execute(
        text("SELECT live FROM document_source_counts WHERE project_id = :p AND source = :src"),
        {"p": project_id, "src": source},
    ).first()
    return int(row[0]) if row else 0


def _count(s: Session, plan: _Plan, cap: int | None) -> int:
    if not plan.sizes and not plan.new:
        return plan.total  # kept by triggers: no count over the documents
    if set(plan.sizes) == {"source"} and not plan.new:
        n = plan.sizes["source"]
        return min(n, cap + 1) if cap is not None else n
    source, where, _key = plan.source_sql()
    limit = f" LIMIT {int(cap) + 1}" if cap is not None else ""
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {where}{limit})"
    return int(s.execute(text(sql), plan.params).scalar_one())


def _matches(s: Session, plan: _Plan, cap: int) -> tuple[int, list[int] | None]:
    """How many documents match, stopping past `cap`; and when it did not stop, their seqs
    (so a page of a small result is cut from them, not found a second time)."""
    if (not plan.sizes or set(plan.sizes) == {"source"}) and not plan.new:
        return min(_count(s, plan, None), cap + 1), None  # counters: no walk
    source, where, key = plan.source_sql(any_order=True)
    sql = f"SELECT {key} FROM {source} WHERE {where} LIMIT {int(cap) + 1}"
    keys = [int(r[0]) for r in s.execute(text(sql), plan.params)]
    return len(keys), keys if len(keys) <= cap else None


def _page(
    s: Session, plan: _Plan, order: DocSort, keys: list[int] | None, params: dict[str, Any]
) -> list[DocRow]:
    """One page in `order` after the cursor in `params` (:after, :after_value; 0 and "" for
    the first page), :n rows.

    A small result whose seqs are known (`keys`) is cut from them. Otherwise, in import order
    the plan's own source serves (a driving set, a search in rowid order, or the documents in
    seq order); sorted, the sort index is walked, each row tested, until a page is full."""
    way, op = ("DESC", "<") if order.descending else ("ASC", ">")
    first = not params["after"]
    if order.column is None:
        past = "" if first else f" AND {{key}} {op} :after"
        order_by = f"ORDER BY {{key}} {way} LIMIT :n"
    else:
        expr = SORT_EXPRESSIONS[order.column]
        # The redundant bound on the value alone lets SQLite seek the index to the cursor
        # (a COLLATE'd row value alone is tested per entry from the start of the index).
        past = (
            ""
            if first
            else f" AND {expr} {op}= :after_value AND ({expr}, d.seq) {op} (:after_value, :after)"
        )
        order_by = f"ORDER BY {expr} {way}, d.seq {way} LIMIT :n"
    if keys is not None:
        # CROSS JOIN: the known seqs drive (SQLite would rather walk the sort index)
        source = "json_each(:keys) k CROSS JOIN documents d ON d.seq = k.value"
        sql = f"{_ROW_SQL}{source} WHERE 1{past} {order_by}".replace("{key}", "d.seq")
        params = {**params, "keys": json.dumps(keys)}
    else:
        # Many matches (> COUNT_CAP): walking the list's order finds a page soon. In import
        # order a search or a source set is already in that order; other sets are not.
        walk = order.column is not None or plan.driver not in ("search", "source")
        source, where, key = plan.source_sql(sorted_walk=walk)
        sql = f"{_ROW_SQL}{source} WHERE {where}{past} {order_by}".replace("{key}", key)
    return [_row(r) for r in s.execute(text(sql), {**plan.params, **params})]


_ROW_SQL = (
    "SELECT d.seq, d.id, d.title, d.source, d.published, d.language,"
    " (SELECT w.status FROM document_work w"
    "   WHERE w.document_id = d.id AND w.annotator_id = :ann),"
    " (SELECT count(*) FROM attributions a"
    "   WHERE a.document_id = d.id AND a.annotator_id IS :ann AND a.deleted_at IS NULL)"
    " FROM "
)


def _row(r: Any) -> DocRow:
    return DocRow(
        seq=int(r[0]),
        id=r[1],
        title=r[2] or "",
        source=r[3] or "",
        published=r[4] or "",
        language=r[5] or "",
        status=WorkStatus(r[6]) if r[6] else WorkStatus.NEW,
        attributions=int(r[7]),
    )


def count_documents(
    db: Database,
    project_id: str,
    annotator_id: str | None,
    flt: DocFilter = DocFilter(),
    *,
    cap: int | None = None,
) -> int:
    """How many documents match; with `cap`, counting stops at cap + 1 (meaning "more than cap")."""
    with db.reader() as s:
        return _count(s, _Plan(s, project_id, annotator_id, flt), cap)


def fetch_documents(
    db: Database,
    project_id: str,
    annotator_id: str | None,
    flt: DocFilter = DocFilter(),
    *,
    after_seq: int = 0,
    after_value: str = "",
    order: DocSort = DocSort(),
    limit: int = PAGE_SIZE,
) -> list[DocRow]:
    """The next `limit` rows in `order` after the row (`after_value`, `after_seq`) (keyset paging,
    never OFFSET). `after_seq` 0 starts at the top."""
    params = {"after": after_seq, "after_value": after_value, "n": limit}
    with db.reader() as s:
        plan = _Plan(s, project_id, annotator_id, flt)
        keys = _matches(s, plan, COUNT_CAP)[1] if plan.filtered and order.column else None
        return _page(s, plan, order, keys, params)


@dataclass(frozen=True, slots=True)
class Page:
    """What a filter change needs: the total (capped when filtered) and the first rows."""

    total: int
    capped: bool
    rows: list[DocRow]


def first_page(
    db: Database,
    project_id: str,
    annotator_id: str | None,
    flt: DocFilter = DocFilter(),
    *,
    order: DocSort = DocSort(),
    limit: int = PAGE_SIZE,
    cap: int = COUNT_CAP,
) -> Page:
    """Count + first page in one read transaction. Filtered counts stop at `cap` to stay fast at
    scale (an exact count of 90,000 search hits costs more than the whole first page)."""
    with db.reader() as s:
        plan = _Plan(s, project_id, annotator_id, flt)
        use_cap = cap if plan.filtered else None
        if use_cap is None:
            total, keys = _count(s, plan, None), None
        else:
            total, keys = _matches(s, plan, max(use_cap, COUNT_CAP))
            total = min(total, use_cap + 1)
        rows = _page(s, plan, order, keys, {"after": 0, "after_value": "", "n": limit})
    capped = use_cap is not None and total > use_cap
    return Page(
        total=min(total, use_cap) if capped and use_cap else total, capped=capped, rows=rows
    )


def document_row(db: Database, document_id: str, annotator_id: str | None) -> DocRow | None:
    """One document's list row (to refresh it after its status or attributions change)."""
    with db.reader() as s:
        r = s.execute(
            text(_ROW_SQL + "documents d WHERE d.id = :id AND d.deleted_at IS NULL"),
            {"id": document_id, "ann": annotator_id},
        ).first()
        return _row(r) if r is not None else None


def list_sources(db: Database, project_id: str) -> list[tuple[str, int]]:
    """Distinct sources of the project's documents with their document counts, by name."""
    sql = (
        "SELECT source, live FROM document_source_counts WHERE project_id = :p AND live > 0"
        " ORDER BY source"
    )
    with db.reader() as s:
        return [(r[0] or "", int(r[1])) for r in s.execute(text(sql), {"p": project_id})]


def list_speakers(db: Database, project_id: str) -> list[Speaker]:
    """Actors quoted in the project (live attributions), with how many documents quote them."""
    # Per actor, a count over the partial index (speaker_id, document_id) of live attributions:
    # no attribution row is read (a GROUP BY over all of them took 0.2 s at 500,000 documents).
    sql = (
        "WITH c AS MATERIALIZED (SELECT ac.id, ac.name, (SELECT count(DISTINCT a.document_id)"
        "   FROM attributions a INDEXED BY ix_attributions_speaker_live"
        "   WHERE a.speaker_id = ac.id AND a.deleted_at IS NULL) AS n"
        " FROM actors ac WHERE ac.project_id = :p)"
        " SELECT id, name, n FROM c WHERE n > 0 ORDER BY name"
    )
    with db.reader() as s:
        return [Speaker(r[0], r[1], int(r[2])) for r in s.execute(text(sql), {"p": project_id})]

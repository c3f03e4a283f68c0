"""Queries behind the document list: filtered count, keyset pages, distinct sources and speakers.

Built for 100,000 documents: rows are paged by `seq` (keyset, never OFFSET), filters are pushed
into SQL as `IN (subquery)` on indexed columns, and the per-row attribution count is computed
only for the rows of the page being fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

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


class _Query:
    """FROM + WHERE of a filtered list. A search drives the query from the FTS index, whose rowid
    order equals `seq` order, so the first page and a capped count stop early."""

    def __init__(
        self, project_id: str, annotator_id: str | None, flt: DocFilter, order: DocSort = DocSort()
    ) -> None:
        self.order = order
        self.params: dict[str, Any] = {"p": project_id, "ann": annotator_id}
        live = "d.project_id = :p AND d.deleted_at IS NULL"
        all_terms = fts_terms(flt.search)
        # In import order a search drives from the FTS index (its rowid order is `seq` order, so a
        # page or a capped count stops early). Sorted, the sort index drives and the matches are a
        # set tested per row: ordering every match first would compute each one's status and count.
        terms = "" if order.column else all_terms
        self.key = "f.rowid" if terms else "d.seq"
        # Set tests get a unary plus so the index that gives the order keeps driving: on `f.rowid`
        # SQLite would otherwise hand the IN list to FTS5 as one rowid lookup per element.
        plus = "+" if terms or order.column else ""
        self.source = (
            "documents_fts f JOIN documents d ON d.seq = f.rowid" if terms else "documents d"
        )
        self.count_source = self.source
        ctes: list[str] = []
        if all_terms and not terms:
            ctes.append(
                "matched(seq) AS MATERIALIZED"
                " (SELECT rowid FROM documents_fts WHERE documents_fts MATCH :q)"
            )
            self.params["q"] = all_terms
        if terms:
            clauses = ["documents_fts MATCH :q"]
            self.params["q"] = terms
            if flt.source is not None:
                # Read from the covering index (project_id, deleted_at, source): no row reads.
                clauses.append(
                    f"+f.rowid IN (SELECT d.seq FROM documents d WHERE {live} AND d.source = :src)"
                )
                self.count_source = "documents_fts f"
            else:
                clauses.append(live)
        else:
            clauses = [live]
            if flt.source is not None:
                clauses.append("d.source = :src")
            if all_terms:
                clauses.append(f"{plus}d.seq IN matched")
        if flt.source is not None:
            self.params["src"] = flt.source
        # Sets of documents are CTEs materialized once per statement (count and page share one).
        if flt.speaker_id:
            ctes.append(
                "quoting(seq) AS MATERIALIZED (SELECT dd.seq FROM attributions a"
                " JOIN documents dd ON dd.id = a.document_id"
                " WHERE a.speaker_id = :spk AND a.deleted_at IS NULL)"
            )
            clauses.append(f"{plus}{self.key} IN quoting")
            self.params["spk"] = flt.speaker_id
        if flt.status is not None:
            # Absence of a work row means "new". Subqueries yield `seq` (the rowid every index
            # carries) so no document row is read per candidate.
            new = flt.status == WorkStatus.NEW
            ctes.append(
                "worked(seq) AS MATERIALIZED (SELECT dd.seq FROM document_work w"
                " JOIN documents dd ON dd.id = w.document_id"
                f" WHERE w.annotator_id = :ann AND w.status {'!=' if new else '='} :st)"
            )
            clauses.append(f"{plus}{self.key} {'NOT IN' if new else 'IN'} worked")
            self.params["st"] = str(flt.status)
        self.with_ = f"WITH {', '.join(ctes)} " if ctes else ""
        self.where = " AND ".join(clauses)
        self.filtered = flt.active

    def _count_core(self, cap: int | None) -> str:
        inner = f"SELECT 1 FROM {self.count_source} WHERE {self.where}"
        limit = f" LIMIT {int(cap) + 1}" if cap is not None else ""
        return f"SELECT count(*) FROM ({inner}{limit})"

    def _page_core(self, first: bool) -> str:
        """One page in the list's order; after the first, rows past the cursor (:after_value,
        :after) only, compared as a row value so an index serves both the test and the order."""
        way, op = ("DESC", "<") if self.order.descending else ("ASC", ">")
        if self.order.column is None:
            keys, cursor = self.key, ":after"
            order_by = f"{self.key} {way}"
        else:
            expr = SORT_EXPRESSIONS[self.order.column]
            # The redundant bound on the value alone lets SQLite seek the index to the cursor
            # (a COLLATE'd row value alone is tested per entry from the start of the index).
            keys = f"{expr} {op}= :after_value AND ({expr}, {self.key})"
            cursor = "(:after_value, :after)"
            order_by = f"{expr} {way}, {self.key} {way}"
        past = "" if first else f" AND {keys} {op} {cursor}"
        return _ROW_SQL + f"{self.source} WHERE {self.where}{past} ORDER BY {order_by} LIMIT :n"

    def count_sql(self, cap: int | None) -> str:
        return self.with_ + self._count_core(cap)

    def page_sql(self, *, first: bool = False) -> str:
        return self.with_ + self._page_core(first)

    def first_page_sql(self, cap: int | None) -> str:
        """Page rows with the (capped) total as a last column: one statement, sets built once.
        No row comes back when nothing matches, which means a total of 0."""
        page = self._page_core(first=True)
        return f"{self.with_}SELECT p.*, ({self._count_core(cap)}) FROM ({page}) p"


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
    q = _Query(project_id, annotator_id, flt)
    with db.reader() as s:
        return int(s.execute(text(q.count_sql(cap)), q.params).scalar_one())


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
    q = _Query(project_id, annotator_id, flt, order)
    sql = q.page_sql(first=not after_seq)
    params = {**q.params, "after": after_seq, "after_value": after_value, "n": limit}
    with db.reader() as s:
        return [_row(r) for r in s.execute(text(sql), params)]


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
    """Count + first page in one session. Filtered counts stop at `cap` to stay fast at scale
    (an exact count of 90,000 search hits costs more than the whole first page)."""
    q = _Query(project_id, annotator_id, flt, order)
    use_cap = cap if q.filtered else None
    with db.reader() as s:
        rows = list(s.execute(text(q.first_page_sql(use_cap)), {**q.params, "n": limit}))
    total = int(rows[0][-1]) if rows else 0
    page = [_row(r) for r in rows]
    capped = use_cap is not None and total > use_cap
    return Page(
        total=min(total, use_cap) if capped and use_cap else total, capped=capped, rows=page
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
        "SELECT d.source, count(*) FROM documents d"
        " WHERE d.project_id = :p AND d.deleted_at IS NULL GROUP BY d.source ORDER BY d.source"
    )
    with db.reader() as s:
        return [(r[0] or "", int(r[1])) for r in s.execute(text(sql), {"p": project_id})]


def list_speakers(db: Database, project_id: str) -> list[Speaker]:
    """Actors quoted in the project (live attributions), with how many documents quote them."""
    sql = (
        "SELECT ac.id, ac.name, count(DISTINCT a.document_id) FROM attributions a"
        " JOIN actors ac ON ac.id = a.speaker_id"
        " WHERE ac.project_id = :p AND a.deleted_at IS NULL"
        " GROUP BY ac.id, ac.name ORDER BY ac.name"
    )
    with db.reader() as s:
        return [Speaker(r[0], r[1], int(r[2])) for r in s.execute(text(sql), {"p": project_id})]

"""SQLAlchemy 2.0 typed ORM: the database schema.

Every record has a UUID `id`, UTC `created_at`/`updated_at`, and (where users delete things) a
`deleted_at` tombstone, so work from disconnected machines merges without resurrecting deletions.
The schema here must match the Alembic head revision (a test compares them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from annotator.model import new_id, utcnow

_LIVE = sql_text("deleted_at IS NULL")


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Stamped:
    """UUID primary key and UTC timestamps shared by every table."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


class Project(Stamped, Base):
    __tablename__ = "projects"
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    guidelines: Mapped[str] = mapped_column(Text, default="")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)


class Annotator(Stamped, Base):
    __tablename__ = "annotators"
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Document(Base):
    """An imported article. `text` is NFC-normalized once at import and never changes."""

    __tablename__ = "documents"
    # Integer rowid alias so the external-content FTS5 index has a stable rowid across VACUUM.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id"), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    length: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[str] = mapped_column(String(40), default="")
    place: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(20), default="")
    # the source's own id of the document (a BRAT file stem, a Citron document id)
    external_id: Mapped[str] = mapped_column(Text, default="", server_default="")
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    # Provenance: the raw bytes as imported (or only the path + hash when too large), and the report.
    raw_bytes: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    raw_path: Mapped[str] = mapped_column(Text, default="")
    raw_sha256: Mapped[str] = mapped_column(String(64), default="")
    import_report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_documents_project_seq", "project_id", "seq"),
        # document list: count / filter by source / distinct sources from the index alone
        Index("ix_documents_project_live_source", "project_id", "deleted_at", "source"),
        # document list sorted by title / source / date: index walks (services/doclist.py)
        Index(
            "ix_documents_sort_title", "project_id", "deleted_at", sql_text("title COLLATE NOCASE")
        ),
        Index(
            "ix_documents_sort_source",
            "project_id",
            "deleted_at",
            sql_text("source COLLATE NOCASE"),
        ),
        Index("ix_documents_sort_published", "project_id", "deleted_at", "published"),
        # a live document's seq and project from its id, from the index alone (migration 0005;
        # deleted_at too, or SQLite reads the row to test the partial index's condition)
        Index("ix_documents_id_live", "id", "project_id", "deleted_at", sqlite_where=_LIVE),
    )


class Actor(Stamped, Base):
    """A canonical speaker (or relaying outlet): person, organization, country, media, group."""

    __tablename__ = "actors"
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(20), default="person")
    role: Mapped[str] = mapped_column(Text, default="")
    affiliation: Mapped[str] = mapped_column(Text, default="")
    wikidata_id: Mapped[str] = mapped_column(String(40), default="")
    merged_into_id: Mapped[str | None] = mapped_column(ForeignKey("actors.id"))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    aliases: Mapped[list[ActorAlias]] = relationship(
        back_populates="actor", cascade="all, delete-orphan", order_by="ActorAlias.created_at"
    )


class ActorAlias(Stamped, Base):
    __tablename__ = "actor_aliases"
    actor_id: Mapped[str] = mapped_column(ForeignKey("actors.id"), index=True)
    alias: Mapped[str] = mapped_column(Text)
    # casefolded, diacritics stripped: what matching compares
    normalized: Mapped[str] = mapped_column(Text, index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    actor: Mapped[Actor] = relationship(back_populates="aliases")


class Target(Stamped, Base):
    """A canonical stance target (topic), e.g. "Change of the region's geopolitics"."""

    __tablename__ = "targets"
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[str | None] = mapped_column(ForeignKey("targets.id"))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    aliases: Mapped[list[TargetAlias]] = relationship(
        back_populates="target", cascade="all, delete-orphan", order_by="TargetAlias.created_at"
    )


class TargetAlias(Stamped, Base):
    __tablename__ = "target_aliases"
    target_id: Mapped[str] = mapped_column(ForeignKey("targets.id"), index=True)
    alias: Mapped[str] = mapped_column(Text)
    normalized: Mapped[str] = mapped_column(Text, index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    target: Mapped[Target] = relationship(back_populates="aliases")


class Attribution(Stamped, Base):
    """One quote record (DESIGN.md section 2). Content is one or more [start, end) segments."""

    __tablename__ = "attributions"
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    annotator_id: Mapped[str | None] = mapped_column(ForeignKey("annotators.id"), index=True)
    # [[start, end], ...] in code points, sorted; at least one segment
    content_spans: Mapped[list[Any]] = mapped_column(JSON)
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    mention_start: Mapped[int | None] = mapped_column(Integer)
    mention_end: Mapped[int | None] = mapped_column(Integer)
    speaker_id: Mapped[str | None] = mapped_column(ForeignKey("actors.id"), index=True)
    via_id: Mapped[str | None] = mapped_column(ForeignKey("actors.id"))
    kind: Mapped[str] = mapped_column(String(10), default="indirect")
    target_id: Mapped[str | None] = mapped_column(ForeignKey("targets.id"), index=True)
    polarity: Mapped[str | None] = mapped_column(String(10))
    proposition: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[str | None] = mapped_column(String(10))
    origin: Mapped[str] = mapped_column(String(12), default="manual")
    review_state: Mapped[str] = mapped_column(String(10), default="draft")
    reviewer_id: Mapped[str | None] = mapped_column(ForeignKey("annotators.id"))
    review_comment: Mapped[str] = mapped_column(Text, default="")
    # ids of the attributions an adjudicated (gold) record was built from
    source_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # the source corpus's own id of the record (a BRAT event `E12`, a Citron quote id)
    external_id: Mapped[str] = mapped_column(Text, default="", server_default="")

    __table_args__ = (
        # Over live rows only (migration 0005): per-document counts, the speaker list and the
        # registries' usage counts read these indexes, not the rows.
        Index("ix_attributions_doc_ann_live", "document_id", "annotator_id", sqlite_where=_LIVE),
        Index("ix_attributions_speaker_live", "speaker_id", "document_id", sqlite_where=_LIVE),
        Index("ix_attributions_via_live", "via_id", sqlite_where=_LIVE),
        Index("ix_attributions_target_live", "target_id", sqlite_where=_LIVE),
        CheckConstraint("kind IN ('direct','indirect','mixed')", name="ck_attr_kind"),
        CheckConstraint(
            "polarity IS NULL OR polarity IN ('support','oppose','neutral','unclear')",
            name="ck_attr_polarity",
        ),
        CheckConstraint(
            "review_state IN ('draft','submitted','accepted','rejected')", name="ck_attr_review"
        ),
        CheckConstraint(
            "(cue_start IS NULL AND cue_end IS NULL) OR (cue_start >= 0 AND cue_end > cue_start)",
            name="ck_attr_cue",
        ),
        CheckConstraint(
            "(mention_start IS NULL AND mention_end IS NULL)"
            " OR (mention_start >= 0 AND mention_end > mention_start)",
            name="ck_attr_mention",
        ),
    )


class ReviewEvent(Stamped, Base):
    """An action on an attribution: submitted, accepted, rejected, edited, adjudicated."""

    __tablename__ = "review_events"
    attribution_id: Mapped[str] = mapped_column(ForeignKey("attributions.id"), index=True)
    reviewer_id: Mapped[str | None] = mapped_column(ForeignKey("annotators.id"))
    action: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")


class DocumentWork(Stamped, Base):
    """One annotator's status on one document (new / in_progress / done)."""

    __tablename__ = "document_work"
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    annotator_id: Mapped[str] = mapped_column(ForeignKey("annotators.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="new")
    __table_args__ = (
        UniqueConstraint("document_id", "annotator_id", name="uq_work_doc_ann"),
        # one annotator's documents with a status, without reading the rows (document list)
        Index("ix_work_annotator_status", "annotator_id", "status", "document_id"),
    )


class DocumentSourceCount(Base):
    """Live documents per project and source, kept by triggers on `documents` (migration 0005):
    the document list's total and its source choices without counting 500,000 documents."""

    __tablename__ = "document_source_counts"
    project_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source: Mapped[str] = mapped_column(Text, primary_key=True)
    live: Mapped[int] = mapped_column(Integer, nullable=False)


class AttributionHistory(Stamped, Base):
    """Earlier versions of an attribution, kept when a newer edit replaces it (merges, edits)."""

    __tablename__ = "attribution_history"
    attribution_id: Mapped[str] = mapped_column(ForeignKey("attributions.id"), index=True)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(40), default="")


class SuggestionCache(Stamped, Base):
    """An engine's suggestions for one document, computed once (annotator/suggest).

    `engine_key` (engine name, version and a digest of its settings) tells whether the cached
    list is still what the engine would say; `payload` is the list of suggestions as JSON."""

    __tablename__ = "suggestion_cache"
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    engine: Mapped[str] = mapped_column(String(40))
    engine_key: Mapped[str] = mapped_column(String(120))
    payload: Mapped[list[Any]] = mapped_column(JSON, default=list)
    count: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (UniqueConstraint("document_id", "engine", name="uq_suggestion_doc_engine"),)


class SuggestionRejection(Stamped, Base):
    """An analyst's "no" to a suggested content span: never proposed to them again.
    Tombstoned (not deleted) when the rejection is undone."""

    __tablename__ = "suggestion_rejections"
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    annotator_id: Mapped[str | None] = mapped_column(ForeignKey("annotators.id"))
    span_key: Mapped[str] = mapped_column(Text)  # "start-end;start-end" of the content
    engine: Mapped[str] = mapped_column(String(40), default="")
    rule: Mapped[str] = mapped_column(String(60), default="")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)


class SuggestionSettings(Stamped, Base):
    """Per-project suggestion settings: on/off, which engines (layers), a confidence floor."""

    __tablename__ = "suggestion_settings"
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id"), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    layers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    floor: Mapped[float] = mapped_column(Float, default=0.6)

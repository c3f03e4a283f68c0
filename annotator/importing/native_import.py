"""Native JSONL lines (annotator/native.py): documents with attributions, registry lines.

Lossless: document, attribution, actor and target ids, names, timestamps, annotators, origins and
review states are kept as written, so exporting what was imported gives the same lines.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from annotator.importing.annotated import SpanMapper, map_parsed, name_index
from annotator.importing.base import InputError, Prepared, ReadResult, where
from annotator.importing.names import NameIndex
from annotator.importing.store import Store
from annotator.matching import fold
from annotator.native import FORMAT, NativeFormatError, ParsedAttribution, parse_attribution
from annotator.services.documents import DocumentDraft
from annotator.services.registries import add_alias_row
from annotator.storage import schema
from annotator.text import sha256_text

DOC_FIELDS = ("title", "source", "url", "published", "place", "author", "language", "external_id")


def is_native_document(obj: Mapping[str, Any]) -> bool:
    return obj.get("format") == FORMAT or isinstance(obj.get("attributions"), list)


def is_registry_line(obj: Mapping[str, Any]) -> bool:
    return obj.get("record") in ("actor", "target")


def valid_uuid(value: Any) -> str | None:
    try:
        return str(uuid.UUID(str(value))) if value else None
    except ValueError:
        return None


def parse_against(obj: Any, raw: str) -> ParsedAttribution:
    """Parse an attribution whose offsets count code points of `raw`. If `raw` starts with a
    BOM and the spans only fit without it, the offsets are taken as counted after the BOM."""
    try:
        return parse_attribution(obj, raw)
    except NativeFormatError:
        if not raw.startswith("\ufeff"):
            raise
        try:
            att = parse_attribution(obj, raw[1:])
        except NativeFormatError:
            pass
        else:
            return _shift(att, 1)
        raise


def _shift(att: ParsedAttribution, by: int) -> ParsedAttribution:
    def sh(s: Any) -> Any:
        return None if s is None else type(s)(s.start + by, s.end + by)

    return dataclasses.replace(
        att, content=tuple(sh(s) for s in att.content), cue=sh(att.cue), mention=sh(att.mention)
    )


def native_document(obj: Mapping[str, Any], provenance: dict[str, Any]) -> Prepared:
    raw_text = obj.get("text")
    if not isinstance(raw_text, str) or not raw_text.strip():
        raise InputError("native document has no text")
    mapper = SpanMapper(raw_text)
    expected = obj.get("text_sha256")
    if expected and mapper.text == raw_text and expected != sha256_text(raw_text):
        raise InputError("text_sha256 does not match the text")
    items = obj.get("attributions") or []
    if not isinstance(items, list):
        raise InputError("attributions must be a list")
    attributions = []
    for i, item in enumerate(items):
        try:
            attributions.append(map_parsed(parse_attribution(item, raw_text), mapper))
        except NativeFormatError as exc:
            raise InputError(f"attribution {i + 1}: {exc}") from exc
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), Mapping) else {}
    draft = DocumentDraft(
        text=mapper.text,
        id=valid_uuid(obj.get("id")),
        metadata=dict(meta),
        import_report={
            "format": "native",
            "normalized": mapper.text != raw_text,
            # the file the exported document first came from (exports show it as source_file)
            **({"source_file": obj["source_file"]} if _text(obj.get("source_file")) else {}),
        },
        **{k: str(obj.get(k) or "") for k in DOC_FIELDS},
        **provenance,
    )
    return Prepared(draft, attributions, annotated=True, match_mentions=False)


def store_registries(store: Store, result: ReadResult, path: str) -> list[str]:
    """Actors and targets from registry lines, ids kept; each entry in its own transaction."""
    errors: list[str] = []
    for kind, entries in (("actor", result.actors), ("target", result.targets)):
        if not entries:
            continue
        with store.db.session() as s:
            index = name_index(s, store, kind)
        for obj in entries:
            line = obj.get("_line")
            try:
                with store.db.session() as s:
                    _store_entry(s, store, kind, obj, index)
            except Exception as exc:  # noqa: BLE001 - one bad entry, the rest goes on
                index.rollback()
                errors.append(f"{where(path, line)}: bad {kind} record: {exc}")
            else:
                index.commit()
    return errors


def _store_entry(
    s: Session, store: Store, kind: str, obj: Mapping[str, Any], index: NameIndex
) -> None:
    name = str(obj.get("name") or "").strip()
    if not name:
        raise InputError("name is missing")
    entry_id = valid_uuid(obj.get("id"))
    cls = schema.Actor if kind == "actor" else schema.Target
    remap = store.actor_ids if kind == "actor" else store.target_ids
    row = s.get(cls, entry_id) if entry_id else None
    if row is None:
        found = index.find(name)
        row = s.get(cls, found) if found else None
        if row is not None and entry_id:
            remap[entry_id] = row.id  # same name already registered: merge into it
    if row is None:
        row = cls(project_id=store.project_id, name=name)
        if entry_id:
            row.id = entry_id
        s.add(row)
        s.flush()
        index.stage(row.id, name)
    # Fill fields still blank (an entry created earlier from an attribution's name has none).
    keys = ("type", "role", "affiliation", "wikidata_id") if kind == "actor" else ("description",)
    for key in keys:
        current = getattr(row, key, None)
        if obj.get(key) and (not current or (key == "type" and current == "person")):
            setattr(row, key, str(obj[key]))
    s.flush()
    aliases = obj.get("aliases") or []
    for alias in aliases if isinstance(aliases, list) else []:
        if isinstance(alias, str) and fold(alias) and add_alias_row(s, row, alias):
            index.stage(row.id, alias)


def _text(value: Any) -> bool:
    return isinstance(value, str)

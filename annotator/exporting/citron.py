"""`citron`: BBC Citron's JSON, one file per document: {"text", "quotes": [{"cue", "sources",
"contents", ...}]}, spans as {"start", "end", "text"} (see github.com/bbc/citron data_format.md).
Speaker, via, target, stance, the note and the document's metadata ride along in extra keys that
Citron ignores (our Citron importer reads them back)."""

from __future__ import annotations

import json

from annotator.exporting.base import ExportDoc, Writer
from annotator.native import span_dict

# Document fields besides the title that Citron has no place for (read back by the importer).
DOC_FIELDS = ("source", "url", "published", "place", "author", "language")


class CitronWriter(Writer):
    format = "citron"
    fields_doc = """
One JSON file per document, `DOCUMENT_ID.json` (under `train/`, `dev/`, `test/` when split), in
BBC Citron's training format: `text`, and `quotes`, each with `cue` (span, or null when the
record has none), `sources` (the speaker mention span, if any), `contents` (one or more spans),
`id`; spans are `{start, end, text}`. Extra keys per quote: `speaker`, `via`, `kind`, `target`,
`polarity`, `proposition`, `note`, `external_id` (the source corpus's id of the record, e.g. a
BRAT event `E12`). Extra top-level keys: `document_id`, `external_id` (the source's id of the
document), `source_file`, `title`, `source`, `url`, `published`, `place`, `author`, `language`,
`metadata` (an object).
"""

    def write(self, doc: ExportDoc) -> None:
        text = doc.text
        names = self.ctx.names
        quotes = []
        for r in doc.attributions:
            quotes.append(
                {
                    "id": r.id,
                    "cue": span_dict(r.cue, text),
                    "sources": [span_dict(r.mention, text)] if r.mention else [],
                    "contents": [span_dict(s, text) for s in sorted(r.content)],
                    "speaker": names.actors.get(r.speaker_id or ""),
                    "via": names.actors.get(r.via_id or ""),
                    "kind": str(r.kind),
                    "target": names.targets.get(r.target_id or ""),
                    "polarity": str(r.polarity) if r.polarity else None,
                    "proposition": r.proposition,
                    "note": r.note,
                    "external_id": r.external_id,
                }
            )
        info = doc.info
        obj = {
            "document_id": info.id,
            "external_id": info.external_id,
            "source_file": info.source_file,
            "title": info.title,
            **{k: getattr(info, k) for k in DOC_FIELDS},
            "metadata": dict(info.metadata),
            "text": text,
            "quotes": quotes,
        }
        prefix = f"{doc.split}/" if self.ctx.splitting else ""
        self.ctx.files.write_text(
            f"{prefix}{doc.info.id}.json", json.dumps(obj, ensure_ascii=False, indent=1) + "\n"
        )

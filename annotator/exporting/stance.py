"""`stance`: (context, speaker, target, label) rows for target-based stance classification.

Only attributions with both a target and a polarity make a row. Labels follow stance-detection
datasets: FAVOR (support), AGAINST (oppose), NONE (neutral or unclear); `polarity` keeps the
four-way value.
"""

from __future__ import annotations

import json

from annotator.exporting.base import ExportDoc, Writer
from annotator.model import POLARITY_TO_STANCE_LABEL


class StanceWriter(Writer):
    format = "stance"
    fields_doc = """
`stance.jsonl` (or one file per split), one row per attribution with a target and a polarity:
`id` (attribution), `document_id`, `context` (the quote's sentence, paragraph or document, per
`--context`), `content` (the quoted words), `speaker` (canonical name, or null), `target`
(canonical stance target), `label` (FAVOR / AGAINST / NONE), `polarity` (support / oppose /
neutral / unclear), `external_id` (the source corpus's id of the record, e.g. a BRAT event
`E12`), `document_external_id` (the source's id of the document).
"""

    def start(self, splits: list[str]) -> None:
        for split in splits:
            self.text_handle(f"{self.ctx.stem(split, 'stance')}.jsonl")

    def write(self, doc: ExportDoc) -> None:
        names = self.ctx.names
        finder = self.ctx.context_finder(doc.text)
        fh = self.text_handle(f"{self.ctx.stem(doc.split, 'stance')}.jsonl")
        for r in doc.attributions:
            if r.target_id is None or r.polarity is None:
                continue
            row = {
                "id": r.id,
                "document_id": doc.info.id,
                "context": finder.of(r).text,
                "content": r.content_text(doc.text),
                "speaker": names.actors.get(r.speaker_id or ""),
                "target": names.targets.get(r.target_id),
                "label": POLARITY_TO_STANCE_LABEL[str(r.polarity)],
                "polarity": str(r.polarity),
                "external_id": r.external_id,
                "document_external_id": doc.info.external_id,
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")

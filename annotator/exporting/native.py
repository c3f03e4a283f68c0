"""`native`: the app's own JSONL (annotator/native.py serializers), lossless and re-importable.

Writes documents.jsonl (or train/dev/test.jsonl with --split): one document object per line with
its text, metadata and attributions; actors.jsonl and targets.jsonl: the project's live registry.
"""

from __future__ import annotations

import json

from annotator.exporting.base import ExportDoc, Writer
from annotator.exporting.native_fast import document_line, fast_line_matches
from annotator.native import (
    actor_to_native,
    attribution_to_native,
    document_to_native,
    target_to_native,
)

# json.dumps(obj, ensure_ascii=False) builds a new JSONEncoder per call; one is enough (it keeps
# no state between calls) and the output is the same.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def dumps(obj: object) -> str:
    return _ENCODER.encode(obj)


# Lines formatted directly (native_fast) only while that matches the serializers byte for byte.
FAST_LINES = fast_line_matches(dumps)


class NativeWriter(Writer):
    format = "native"
    fields_doc = """
`documents.jsonl` (or `train.jsonl` / `dev.jsonl` / `test.jsonl`): one document per line:
`format`, `id`, `title`, `text`, `text_sha256`, `source`, `url`, `published`, `place`, `author`,
`language`, `metadata`, `attributions`. Each attribution: `id`, `annotator`, `content` (list of
`{start, end, text}`), `cue`, `mention` (span or null), `speaker` / `speaker_id`, `via` /
`via_id`, `kind` (direct / indirect / mixed), `target` / `target_id`, `polarity`,
`proposition`, `note`, `confidence`, `origin`, `review_state`, `reviewer`, `review_comment`,
`source_ids` (records an adjudicated one was built from), `created_at`, `updated_at` (UTC).
`actors.jsonl` / `targets.jsonl`: the project's speaker and stance-target registries with aliases.
Re-import with `annotator import`.
"""

    def start(self, splits: list[str]) -> None:
        for split in splits:
            self.text_handle(f"{self.ctx.stem(split, 'documents')}.jsonl")

    def write(self, doc: ExportDoc) -> None:
        names = self.ctx.names
        if FAST_LINES:
            line = document_line(doc.info, doc.text, doc.attributions, names, dumps)
        else:
            attributions = [attribution_to_native(r, doc.text, names) for r in doc.attributions]
            line = dumps(document_to_native(doc.info, doc.text, attributions))
        self.text_handle(f"{self.ctx.stem(doc.split, 'documents')}.jsonl").write(line + "\n")

    def close(self) -> None:
        registry = self.ctx.registry
        actors = self.text_handle("actors.jsonl")
        for actor in registry.live_actors:
            actors.write(dumps(actor_to_native(actor)) + "\n")
        targets = self.text_handle("targets.jsonl")
        for target in registry.live_targets:
            targets.write(dumps(target_to_native(target)) + "\n")
        super().close()

"""`hf`: Hugging Face `datasets`-ready files, two configs, one file per split:
`attributions/SPLIT.jsonl` (the quote rows) and `tokens/SPLIT.jsonl` (one sentence per row with
tokens and BIO tags), each also as `.parquet` when the optional pyarrow is installed. The card's
YAML front matter declares the configs so `load_dataset(DIR, "attributions")` finds them.
Without --split everything is the `train` split (HF's default split name).
"""

from __future__ import annotations

import json
from typing import Any

from annotator.exporting.base import ExportDoc, Writer, WriterContext
from annotator.exporting.quotes import FIELDS, quote_rows
from annotator.exporting.tokens import TAG_IDS, TAGS, tag_sentences

CONFIGS = ("attributions", "tokens")
ROWS_PER_GROUP = 5000  # Parquet row group size: bounded memory, reasonable files

try:  # optional extra "parquet"
    import pyarrow as pa
    import pyarrow.parquet as pq
except ModuleNotFoundError:  # pragma: no cover - exercised when the extra is absent
    pa = None
    pq = None

_INT_FIELDS = {"context_start", "cue_start", "cue_end", "mention_start", "mention_end"}


def _schemas() -> dict[str, Any]:
    assert pa is not None
    fields = []
    for name in FIELDS:
        if name == "content_spans":
            fields.append(pa.field(name, pa.list_(pa.list_(pa.int64()))))
        elif name in _INT_FIELDS:
            fields.append(pa.field(name, pa.int64()))
        else:
            fields.append(pa.field(name, pa.string()))
    tokens = pa.schema(
        [
            pa.field("id", pa.string()),
            pa.field("document_id", pa.string()),
            pa.field("document_external_id", pa.string()),
            pa.field("language", pa.string()),
            pa.field("tokens", pa.list_(pa.string())),
            pa.field("starts", pa.list_(pa.int64())),
            pa.field("tags", pa.list_(pa.string())),
            pa.field("tag_ids", pa.list_(pa.int64())),
        ]
    )
    return {"attributions": pa.schema(fields), "tokens": tokens}


class HFWriter(Writer):
    format = "hf"
    fields_doc = f"""
Config `attributions` (`attributions/SPLIT.jsonl` and `.parquet`): one row per attribution, the
same columns as the quotes table: {", ".join(f"`{f}`" for f in FIELDS)}.
Config `tokens` (`tokens/SPLIT.jsonl` and `.parquet`): one sentence per row: `id`
(`DOCUMENT_ID-N`), `document_id`, `document_external_id` (the source's id of the document),
`language`, `tokens`, `starts` (code-point offset of each token), `tags` (BIO strings) and
`tag_ids` (indices into {list(TAGS)}). Each row is a sequence of its own: a span that crosses a
sentence boundary starts again with `B-`, so no row starts with `I-`. One BIO layer: overlapping
spans keep the earlier, longer one. Parquet files are written only when pyarrow is installed.
Load with `datasets.load_dataset(DIR, "attributions")` / `load_dataset(DIR, "tokens")`.
"""

    def __init__(self, ctx: WriterContext) -> None:
        super().__init__(ctx)
        self.splits: list[str] = []
        self._buffers: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._parquet: dict[tuple[str, str], Any] = {}
        self._schemas = _schemas() if pa is not None else {}
        self.dropped = 0
        if pa is None:
            ctx.notes.append(
                "hf: pyarrow is not installed, wrote JSONL only (pip install 'annotator[parquet]')"
            )

    def _split(self, split: str) -> str:
        return split if self.ctx.splitting else "train"

    def start(self, splits: list[str]) -> None:
        self.splits = [self._split(s) for s in splits]
        for split in self.splits:
            for config in CONFIGS:
                self.text_handle(f"{config}/{split}.jsonl")
                self._buffers[(config, split)] = []
                if pq is not None:
                    path = self.ctx.files.temp_path(f"{config}/{split}.parquet")
                    self._parquet[(config, split)] = pq.ParquetWriter(
                        path, self._schemas[config], compression="zstd"
                    )

    def _emit(self, config: str, split: str, rows: list[dict[str, Any]]) -> None:
        fh = self.text_handle(f"{config}/{split}.jsonl")
        fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        if pq is not None:
            buf = self._buffers[(config, split)]
            buf.extend(rows)
            if len(buf) >= ROWS_PER_GROUP:
                self._flush(config, split)

    def _flush(self, config: str, split: str) -> None:
        buf = self._buffers[(config, split)]
        if buf and pa is not None:
            table = pa.Table.from_pylist(buf, schema=self._schemas[config])
            self._parquet[(config, split)].write_table(table)
        buf.clear()

    def write(self, doc: ExportDoc) -> None:
        split = self._split(doc.split)
        self._emit("attributions", split, quote_rows(doc, self))
        sentences, dropped = tag_sentences(doc.text, doc.attributions, doc.info.language)
        self.dropped += dropped
        rows = [
            {
                "id": f"{doc.info.id}-{n}",
                "document_id": doc.info.id,
                "document_external_id": doc.info.external_id,
                "language": doc.info.language,
                "tokens": [t.text for t, _ in sent],
                "starts": [t.start for t, _ in sent],
                "tags": [tag for _, tag in sent],
                "tag_ids": [TAG_IDS[tag] for _, tag in sent],
            }
            for n, sent in enumerate(sentences, 1)
        ]
        self._emit("tokens", split, rows)

    def close(self) -> None:
        for (config, split), writer in self._parquet.items():
            self._flush(config, split)
            writer.close()
        if self.dropped:
            self.ctx.notes.append(
                f"hf: {self.dropped} overlapping span(s) left out of the BIO layer"
            )
        super().close()

    def abort(self) -> None:
        for writer in self._parquet.values():
            writer.close()
        super().abort()

    def card_front_matter(self) -> str:
        lines = ["---", "configs:"]
        for config in CONFIGS:
            lines += [f"- config_name: {config}", "  data_files:"]
            for split in self.splits:
                ext = "parquet" if pq is not None else "jsonl"
                lines += [f"  - split: {split}", f"    path: {config}/{split}.{ext}"]
        lines += ["---", ""]
        return "\n".join(lines)

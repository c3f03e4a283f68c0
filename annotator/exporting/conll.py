"""`conll`: tokens with one BIO attribution layer (CONTENT, CUE, SOURCE), one token per line,
a blank line between sentences, `# doc_id = ...` before each document's sentences."""

from __future__ import annotations

from annotator.exporting.base import ExportDoc, Writer
from annotator.exporting.tokens import tag_sentences


class ConllWriter(Writer):
    format = "conll"
    fields_doc = """
`corpus.conll` (or `train.conll` / `dev.conll` / `test.conll`): two tab-separated columns,
token and BIO tag, one token per line; a blank line ends a sentence; `# doc_id = ID` and
`# sent_id = ID-N` comment lines name each sentence. Tags: `B-`/`I-` + `CONTENT` (quoted or
reported words), `CUE` (reporting expression), `SOURCE` (the words naming the speaker), or `O`.
One layer: where attributions overlap, the earlier and longer span is kept (the count left out is
in the export report).
"""

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self.dropped = 0

    def start(self, splits: list[str]) -> None:
        for split in splits:
            self.text_handle(f"{self.ctx.stem(split, 'corpus')}.conll")

    def write(self, doc: ExportDoc) -> None:
        fh = self.text_handle(f"{self.ctx.stem(doc.split, 'corpus')}.conll")
        sentences, dropped = tag_sentences(doc.text, doc.attributions)
        self.dropped += dropped
        out = [f"# doc_id = {doc.info.id}\n"]
        for n, sentence in enumerate(sentences, 1):
            out.append(f"# sent_id = {doc.info.id}-{n}\n")
            out += [f"{tok.text}\t{tag}\n" for tok, tag in sentence]
            out.append("\n")
        fh.write("".join(out))

    def close(self) -> None:
        if self.dropped:
            self.ctx.notes.append(
                f"conll: {self.dropped} overlapping span(s) left out of the BIO layer"
            )
        super().close()

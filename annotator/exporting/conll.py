"""`conll`: tokens with one BIO attribution layer (CONTENT, CUE, SOURCE), one token per line.

The layout is CoNLL-2003's, which `spacy convert`, seqeval's readers and most CoNLL loaders read
without help: each document starts with a `-DOCSTART- -X- O O` line and a blank line, a blank line
ends each sentence. Comment lines (`# doc_id = ...`, `# sent_id = ...`, as in CoNLL-U) are only
written with the `conll_comments` option, since plain readers take them for tokens. Which
document each `-DOCSTART-` block is, with its link back to the source, is in a sidecar TSV.
"""

from __future__ import annotations

from annotator.exporting.base import ExportDoc, Writer, WriterContext
from annotator.exporting.provenance import DOCUMENT_COLUMNS, document_cells
from annotator.exporting.tokens import tag_sentences

DOCSTART = "-DOCSTART- -X- O O"


class ConllWriter(Writer):
    format = "conll"
    fields_doc = f"""
`corpus.conll` (or `train.conll` / `dev.conll` / `test.conll`): two tab-separated columns,
token and BIO tag, one token per line; a blank line ends a sentence; each document starts with
the line `{DOCSTART}` and a blank line (the CoNLL-2003 convention, read by `spacy convert -c ner`
and by seqeval-based scripts, which skip it). Tags: `B-`/`I-` + `CONTENT` (quoted or reported
words), `CUE` (reporting expression), `SOURCE` (the words naming the speaker), or `O`. Each
sentence is a sequence of its own: a span that crosses a sentence boundary starts again with `B-`
in the next sentence, so no sentence starts with `I-`. One layer: where attributions overlap,
the earlier and longer span is kept (the count left out is in the export report).
`corpus.documents.tsv` (or `SPLIT.documents.tsv`): one row per `-DOCSTART-` block, in the same
order, with a header: {", ".join(f"`{c}`" for c in DOCUMENT_COLUMNS)}, `sentences`.
With the comments option (`--conll-comments`), `# doc_id = ID` and `# sent_id = ID-N` lines
name each document and sentence as well (CoNLL-U style; plain CoNLL readers take them for tokens).
"""

    def __init__(self, ctx: WriterContext) -> None:
        super().__init__(ctx)
        self.dropped = 0

    def start(self, splits: list[str]) -> None:
        for split in splits:
            stem = self.ctx.stem(split, "corpus")
            self.text_handle(f"{stem}.conll")
            index = self.text_handle(f"{stem}.documents.tsv")
            index.write("\t".join((*DOCUMENT_COLUMNS, "sentences")) + "\n")

    def write(self, doc: ExportDoc) -> None:
        stem = self.ctx.stem(doc.split, "corpus")
        sentences, dropped = tag_sentences(doc.text, doc.attributions, doc.info.language)
        self.dropped += dropped
        comments = self.ctx.options.conll_comments
        out = [DOCSTART + "\n\n"]
        if comments:
            out.append(f"# doc_id = {doc.info.id}\n")
        for n, sentence in enumerate(sentences, 1):
            if comments:
                out.append(f"# sent_id = {doc.info.id}-{n}\n")
            out += [f"{tok.text}\t{tag}\n" for tok, tag in sentence]
            out.append("\n")
        self.text_handle(f"{stem}.conll").write("".join(out))
        cells = [*document_cells(doc.info), str(len(sentences))]
        self.text_handle(f"{stem}.documents.tsv").write("\t".join(cells) + "\n")

    def close(self) -> None:
        if self.dropped:
            self.ctx.notes.append(
                f"conll: {self.dropped} overlapping span(s) left out of the BIO layer"
            )
        super().close()

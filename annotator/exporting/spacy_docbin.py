"""`spacy`: DocBin files (`corpus.spacy`, or `train.spacy` / `dev.spacy` / `test.spacy`).

Tokenized by `spacy.blank(lang)` for the document's language (no model is ever downloaded;
unknown languages fall back to the multi-language `xx`). Spans under `doc.spans["attributions"]`
labeled CONTENT, CUE and SPEAKER (char offsets snapped outward to tokens, alignment "expand");
the attributions (native dicts) and the document's metadata in `doc.user_data`.
Needs the optional extra: pip install 'annotator[spacy]'. A DocBin is built in memory per split
(spaCy's format is one blob), so this format is not streamed like the others.
"""

from __future__ import annotations

from typing import Any

import spacy
from spacy.tokens import Doc, DocBin
from spacy.tokens import Span as SpacySpan

from annotator.exporting.base import ExportDoc, Writer, WriterContext
from annotator.native import attribution_to_native

SPANS_KEY = "attributions"


class DocBinWriter(Writer):
    format = "spacy"
    extra = "spacy"
    fields_doc = f"""
`corpus.spacy` (or `train.spacy` / `dev.spacy` / `test.spacy`): spaCy `DocBin` files, read with
`DocBin().from_disk(path).get_docs(spacy.blank(lang).vocab)`. Each Doc has spans under
`doc.spans["{SPANS_KEY}"]` labeled `CONTENT` (each segment), `CUE` and `SPEAKER` (the mention),
in document order; each span's `id_` is the attribution id. `doc.user_data["attributions"]`
holds the full records (native JSON: speaker, target, polarity, kind, ...) and
`doc.user_data["document"]` the document's id, title, url, source, published and language.
Character spans are widened to whole tokens ("expand").
"""

    def __init__(self, ctx: WriterContext) -> None:
        super().__init__(ctx)
        self._nlp: dict[str, Any] = {}
        self._bins: dict[str, DocBin] = {}

    def _blank(self, lang: str) -> Any:
        lang = self.ctx.options.spacy_lang or (lang or "xx").split("-")[0].lower()
        nlp = self._nlp.get(lang)
        if nlp is None:
            try:
                nlp = spacy.blank(lang)
            except (ImportError, OSError, ValueError, KeyError):
                nlp = self._nlp.get("xx") or spacy.blank("xx")
            self._nlp[lang] = nlp
        return nlp

    def start(self, splits: list[str]) -> None:
        for split in splits:
            self._bins[split] = DocBin(store_user_data=True)

    def write(self, doc: ExportDoc) -> None:
        nlp = self._blank(doc.info.language)
        sdoc: Doc = nlp.make_doc(doc.text)
        spans: list[SpacySpan] = []
        for r in doc.attributions:
            pieces = [(s, "CONTENT") for s in sorted(r.content)]
            if r.cue is not None:
                pieces.append((r.cue, "CUE"))
            if r.mention is not None:
                pieces.append((r.mention, "SPEAKER"))
            for span, label in pieces:
                s = sdoc.char_span(span.start, span.end, label=label, alignment_mode="expand")
                if s is None:  # whitespace only: no token to hold it
                    continue
                s.id_ = r.id
                spans.append(s)
        sdoc.spans[SPANS_KEY] = sorted(spans, key=lambda s: (s.start, s.end, s.label_))
        info = doc.info
        sdoc.user_data["document"] = {
            "id": info.id,
            "title": info.title,
            "url": info.url,
            "source": info.source,
            "published": info.published,
            "language": info.language,
        }
        sdoc.user_data["attributions"] = [
            attribution_to_native(r, doc.text, self.ctx.names) for r in doc.attributions
        ]
        self._bins[doc.split].add(sdoc)

    def close(self) -> None:
        for split, docbin in self._bins.items():
            self.ctx.files.write_bytes(f"{self.ctx.stem(split, 'corpus')}.spacy", docbin.to_bytes())
        super().close()

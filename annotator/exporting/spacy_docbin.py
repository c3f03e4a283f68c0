"""`spacy`: DocBin files (`corpus.spacy`, or `train.spacy` / `dev.spacy` / `test.spacy`) that
`spacy train` reads as they are, and the training configs to go with them.

Tokenized by `spacy.blank(lang)` for the document's language (detected at import when the file
did not say; no model is ever downloaded; a language spaCy cannot tokenize without extra
packages falls back to the multi-language `xx`). Every span is under
`doc.spans["attributions"]` (for spancat); the same spans without overlaps are `doc.ents` (for
ner), chosen as the BIO formats choose them (tokens.layer_spans: the earlier, then the longer
span wins) and counted when left out. Needs the optional extra: pip install 'annotator[spacy]'.
A DocBin is built in memory per split (spaCy's format is one blob), so this format is not
streamed like the others.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import spacy
from spacy.tokens import Doc, DocBin
from spacy.tokens import Span as SpacySpan

from annotator.exporting.base import ExportDoc, Writer, WriterContext
from annotator.exporting.spacy_config import (
    SPANS_KEY,
    SUGGESTER_SIZES,
    card_section,
    training_configs,
)
from annotator.exporting.tokens import layer_spans
from annotator.native import attribution_to_native

LABELS = {"CONTENT": "CONTENT", "CUE": "CUE", "SOURCE": "SPEAKER"}  # BIO layer -> spaCy labels


class DocBinWriter(Writer):
    format = "spacy"
    extra = "spacy"
    fields_doc = f"""
`corpus.spacy` (or `train.spacy` / `dev.spacy` / `test.spacy`): spaCy `DocBin` files, read with
`DocBin().from_disk(path).get_docs(spacy.blank(lang).vocab)` or by `spacy train` directly. Each
Doc has:
- `doc.spans["{SPANS_KEY}"]`: every span, labeled `CONTENT` (each segment), `CUE` and `SPEAKER`
  (the mention), in document order, overlapping where attributions overlap; each span's `id_`
  is the attribution id. This is what a `spancat` component trains on (`spans_key =
  "{SPANS_KEY}"`).
- `doc.ents`: the same spans without overlaps, for an `ner` component. Where spans overlap (a
  quote inside a quote, a speaker mention inside another quote's content), the one that starts
  first wins, then the longer one, as in the CoNLL and HF token files; the number left out is in
  the export report and below.
- `doc.user_data["attributions"]`: the full records (native JSON: speaker, target, polarity,
  kind, `external_id`...); `doc.user_data["document"]`: the document's id, `external_id`,
  `source_file`, title, url, source, published and language.
Character spans are widened to whole tokens ("expand"). Each document is tokenized by
`spacy.blank(LANG)` for its own language (`xx` when unknown).
"""

    def __init__(self, ctx: WriterContext) -> None:
        super().__init__(ctx)
        self._nlp: dict[str, Any] = {}
        self._bins: dict[str, DocBin] = {}
        self.splits: list[str] = []
        self.languages: Counter[str] = Counter()  # the tokenizer each document got
        self.ents_left_out = 0
        self.span_lengths: Counter[int] = Counter()  # tokens per span, for the spancat note

    def _blank(self, lang: str) -> tuple[str, Any]:
        code = self.ctx.options.spacy_lang or (lang or "xx").split("-")[0].lower()
        nlp = self._nlp.get(code)
        if nlp is None:
            try:
                nlp = spacy.blank(code)
            except (ImportError, OSError, ValueError, KeyError):
                nlp = self._nlp.get("xx") or spacy.blank("xx")
            self._nlp[code] = nlp
        return nlp.lang, nlp

    def start(self, splits: list[str]) -> None:
        self.splits = splits
        for split in splits:
            self._bins[split] = DocBin(store_user_data=True)

    def write(self, doc: ExportDoc) -> None:
        lang, nlp = self._blank(doc.info.language)
        self.languages[lang] += 1
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
                self.span_lengths[len(s)] += 1
        sdoc.spans[SPANS_KEY] = sorted(spans, key=lambda s: (s.start, s.end, s.label_))
        sdoc.ents = self._entities(sdoc, doc)
        info = doc.info
        sdoc.user_data["document"] = {
            "id": info.id,
            "external_id": info.external_id,
            "source_file": info.source_file,
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

    def _entities(self, sdoc: Doc, doc: ExportDoc) -> list[SpacySpan]:
        """Non-overlapping spans for doc.ents: the BIO layer's choice, then token alignment
        (two character spans may widen into the same token: the first one keeps it)."""
        layer, dropped = layer_spans(doc.attributions)
        ents: list[SpacySpan] = []
        for start, end, label in layer:
            s = sdoc.char_span(start, end, label=LABELS[label], alignment_mode="expand")
            if s is None:
                continue
            if ents and s.start < ents[-1].end:
                dropped += 1
                continue
            ents.append(s)
        self.ents_left_out += dropped
        return ents

    def language(self) -> str:
        """The pipeline language of the training configs: most documents' tokenizer."""
        if not self.languages:
            return "xx"
        return min(self.languages.items(), key=lambda kv: (-kv[1], kv[0]))[0]

    def _paths(self) -> tuple[str, str]:
        if self.ctx.splitting:
            train = "train.spacy" if "train" in self.splits else self.splits[0] + ".spacy"
            dev = "dev.spacy" if "dev" in self.splits else train
            return train, dev
        return "corpus.spacy", "corpus.spacy"

    def close(self) -> None:
        for split, docbin in self._bins.items():
            self.ctx.files.write_bytes(f"{self.ctx.stem(split, 'corpus')}.spacy", docbin.to_bytes())
        train, dev = self._paths()
        for name, text in training_configs(self.language(), train, dev).items():
            self.ctx.files.write_text(name, text)
        if self.ents_left_out:
            self.ctx.notes.append(
                f"spacy: {self.ents_left_out} overlapping span(s) left out of doc.ents"
                f" (all of them are in doc.spans[{SPANS_KEY!r}])"
            )
        super().close()

    def card_notes(self) -> list[str]:
        total = sum(self.span_lengths.values())
        short = sum(n for k, n in self.span_lengths.items() if k <= max(SUGGESTER_SIZES))
        langs = ", ".join(f"`{k}` {n}" for k, n in sorted(self.languages.items())) or "none"
        return [
            f"spaCy tokenizers (documents): {langs}",
            f"`doc.ents` leaves out {self.ents_left_out} overlapping span(s);"
            f" `doc.spans[{SPANS_KEY!r}]` has all {total}",
            f"spans of at most {max(SUGGESTER_SIZES)} tokens (what the spancat config's"
            f" suggester proposes): {short} of {total}",
        ]

    def card_sections(self) -> list[str]:
        train, dev = self._paths()
        return card_section(self.language(), train, dev, self.ctx.splitting)

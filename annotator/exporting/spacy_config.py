"""The spaCy training configs written beside a `spacy` export, and the card's "Train" section.

The configs come from spaCy's own `init config` (blank pipeline, CPU, efficiency: no vectors,
no transformer, nothing downloaded), with the export's files filled in, so the commands in the
card work as written from the export folder.
"""

from __future__ import annotations

from spacy.cli.init_config import init_config

SPANS_KEY = "attributions"
SUGGESTER_SIZES = (1, 2, 3, 4, 5)  # n-gram lengths the spancat config proposes
CONFIGS = {"ner": "config.ner.cfg", "spancat": "config.spancat.cfg"}


def training_configs(lang: str, train: str, dev: str) -> dict[str, str]:
    """file name -> config text for an `ner` and a `spancat` pipeline on this export."""
    out = {}
    for component, name in CONFIGS.items():
        config = init_config(
            lang=lang, pipeline=[component], optimize="efficiency", gpu=False, silent=True
        )
        config["paths"]["train"] = train
        config["paths"]["dev"] = dev
        if component == "spancat":
            config["components"]["spancat"]["spans_key"] = SPANS_KEY
            config["components"]["spancat"]["suggester"]["sizes"] = list(SUGGESTER_SIZES)
            # scores are named by the key: the template's weights name the default key ("sc")
            config["training"]["score_weights"] = {
                f"spans_{SPANS_KEY}_{m}": 1.0 if m == "f" else 0.0 for m in ("f", "p", "r")
            }
        out[name] = config.to_str()
    return out


def card_section(lang: str, train: str, dev: str, splitting: bool) -> list[str]:
    lines = [
        "## Train with spaCy",
        "",
        f"`{CONFIGS['ner']}` and `{CONFIGS['spancat']}` are spaCy's own blank `{lang}` configs"
        " (`spacy init config --pipeline ner|spancat --optimize efficiency`, CPU) with this"
        f" export's files set: `paths.train = {train}`, `paths.dev = {dev}`; the spancat one"
        f' reads `doc.spans["{SPANS_KEY}"]` (`spans_key = "{SPANS_KEY}"`) and proposes spans of'
        f" {SUGGESTER_SIZES[0]} to {SUGGESTER_SIZES[-1]} tokens. From this folder:",
        "",
        "```",
        f"python -m spacy train {CONFIGS['ner']} --output model-ner",
        f"python -m spacy train {CONFIGS['spancat']} --output model-spancat",
        "```",
        "",
        "Add `--training.max_steps 200` for a quick check. The config snippet that ties the data"
        " to the components:",
        "",
        "```ini",
        "[paths]",
        f'train = "{train}"',
        f'dev = "{dev}"',
        "",
        "[nlp]",
        f'lang = "{lang}"',
        "",
        "[components.spancat]",
        f'spans_key = "{SPANS_KEY}"',
        "",
        "[components.spancat.suggester]",
        '@misc = "spacy.ngram_suggester.v1"',
        f"sizes = {list(SUGGESTER_SIZES)}",
        "```",
        "",
    ]
    if not splitting:
        lines += [
            "This export has no split, so training and evaluation read the same file; export"
            " with `--split 0.8,0.1,0.1` for a held-out dev set.",
            "",
        ]
    return lines

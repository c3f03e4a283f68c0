"""Words the synthetic-data benchmarks build their news-like texts from (a few are reporting
verbs and stance words, so quotes and cues land on plausible spans)."""

NEWS_WORDS = [
    "minister",
    "said",
    "government",
    "would",
    "oppose",
    "plan",
    "region",
    "talks",
    "border",
    "security",
    "peace",
]

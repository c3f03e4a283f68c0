"""English verb forms for the reporting-verb lexicon: say -> says, said, saying."""

from __future__ import annotations

# base -> (3rd person singular, past, past participle, -ing); only where the rules go wrong
IRREGULAR: dict[str, tuple[str, str, str, str]] = {
    "say": ("says", "said", "said", "saying"),
    "tell": ("tells", "told", "told", "telling"),
    "write": ("writes", "wrote", "written", "writing"),
    "think": ("thinks", "thought", "thought", "thinking"),
    "feel": ("feels", "felt", "felt", "feeling"),
    "know": ("knows", "knew", "known", "knowing"),
    "speak": ("speaks", "spoke", "spoken", "speaking"),
    "read": ("reads", "read", "read", "reading"),
    "shoot": ("shoots", "shot", "shot", "shooting"),
    "hit": ("hits", "hit", "hit", "hitting"),
    "put": ("puts", "put", "put", "putting"),
    "go": ("goes", "went", "gone", "going"),
    "swear": ("swears", "swore", "sworn", "swearing"),
    "teach": ("teaches", "taught", "taught", "teaching"),
    "sing": ("sings", "sang", "sung", "singing"),
    "forecast": ("forecasts", "forecast", "forecast", "forecasting"),
    "broadcast": ("broadcasts", "broadcast", "broadcast", "broadcasting"),
    "foresee": ("foresees", "foresaw", "foreseen", "foreseeing"),
    "see": ("sees", "saw", "seen", "seeing"),
    "hear": ("hears", "heard", "heard", "hearing"),
    "lay": ("lays", "laid", "laid", "laying"),
    "weigh": ("weighs", "weighed", "weighed", "weighing"),
    "fire": ("fires", "fired", "fired", "firing"),
    "hold": ("holds", "held", "held", "holding"),
    "bid": ("bids", "bid", "bid", "bidding"),
    "understand": ("understands", "understood", "understood", "understanding"),
    "mean": ("means", "meant", "meant", "meaning"),
    "lie": ("lies", "lied", "lied", "lying"),
    "shrug": ("shrugs", "shrugged", "shrugged", "shrugging"),
    "quip": ("quips", "quipped", "quipped", "quipping"),
    "snap": ("snaps", "snapped", "snapped", "snapping"),
    "admit": ("admits", "admitted", "admitted", "admitting"),
    "chat": ("chats", "chatted", "chatted", "chatting"),
    "blog": ("blogs", "blogged", "blogged", "blogging"),
    "plan": ("plans", "planned", "planned", "planning"),
    "prefer": ("prefers", "preferred", "preferred", "preferring"),
    "rebut": ("rebuts", "rebutted", "rebutted", "rebutting"),
    "commit": ("commits", "committed", "committed", "committing"),
    "regret": ("regrets", "regretted", "regretted", "regretting"),
    "refer": ("refers", "referred", "referred", "referring"),
    "confer": ("confers", "conferred", "conferred", "conferring"),
    "aver": ("avers", "averred", "averred", "averring"),
    "stop": ("stops", "stopped", "stopped", "stopping"),
    "beg": ("begs", "begged", "begged", "begging"),
    "jab": ("jabs", "jabbed", "jabbed", "jabbing"),
    "rip": ("rips", "ripped", "ripped", "ripping"),
    "slam": ("slams", "slammed", "slammed", "slamming"),
    "tweet": ("tweets", "tweeted", "tweeted", "tweeting"),
    "email": ("emails", "emailed", "emailed", "emailing"),
    "text": ("texts", "texted", "texted", "texting"),
    "post": ("posts", "posted", "posted", "posting"),
}

_VOWELS = set("aeiou")


def forms(base: str) -> tuple[str, ...]:
    """The base and its inflected forms (regular English morphology, irregulars listed)."""
    if base in IRREGULAR:
        return (base, *IRREGULAR[base])
    if base.endswith("e") and not base.endswith("ee"):
        ing, past = base[:-1] + "ing", base + "d"
    elif base.endswith("ee"):
        ing, past = base + "ing", base + "d"
    elif base.endswith("y") and len(base) > 1 and base[-2] not in _VOWELS:
        ing, past = base + "ing", base[:-1] + "ied"
    else:
        ing, past = base + "ing", base + "ed"
    if base.endswith(("s", "x", "z", "ch", "sh", "o")):
        third = base + "es"
    elif base.endswith("y") and len(base) > 1 and base[-2] not in _VOWELS:
        third = base[:-1] + "ies"
    else:
        third = base + "s"
    return (base, third, past, past, ing)

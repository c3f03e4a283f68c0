"""Reporting verbs, "according to" phrases, pronouns and titles of languages besides English.

Verb entries are written out inflected (past and present, both genders where they differ), the
forms news copy uses in attributions: "a déclaré", "sagte", "dijo", "powiedział", "заявил".
"""

from __future__ import annotations

from annotator.suggest.lexicon import (
    FEMALE,
    FIRST,
    MALE,
    NEUTER,
    PLURAL,
    SPEECH,
    Lexicon,
    Verb,
)
from annotator.suggest.lexicon import words as _words


def _verbs(block: str, obj: str = "") -> dict[str, Verb]:
    out = {w: Verb(w, SPEECH) for w in block.split()}
    out.update({w: Verb(w, SPEECH, True) for w in obj.split()})
    return out


def _pronouns(male: str, female: str, plural: str, neuter: str = "", first: str = "") -> dict:
    out: dict[str, str] = {}
    for words, fit in ((male, MALE), (female, FEMALE), (plural, PLURAL), (neuter, NEUTER)):
        out.update(dict.fromkeys(words.split(), fit))
    out.update(dict.fromkeys(first.split(), FIRST))
    return out


def french() -> Lexicon:
    return Lexicon(
        language="fr",
        verbs=_verbs(
            "dit dire déclare déclaré affirme affirmé ajoute ajouté explique expliqué souligne"
            " souligné estime estimé indique indiqué précise précisé assure assuré annonce annoncé"
            " rappelle rappelé insiste insisté note noté poursuit poursuivi conclut conclu"
            " répond répondu lance lancé martèle martelé avertit averti prévient prévenu"
            " reconnaît reconnu dénonce dénoncé regrette regretté juge jugé confie confié"
            " confirme confirmé admet admis écrit tweeté s'exclame",
            "raconte raconté",
        ),
        according=(("selon",), ("d'après",), ("d’après",), ("aux", "yeux", "de")),
        complementizers=frozenset({"que", "qu'", "qu’"}),
        pronouns=_pronouns("il lui", "elle", "ils elles", "", "je nous j'"),
        subject_pronouns=frozenset(["il", "elle", "ils", "elles", "on", "je", "nous"]),
        nominal_heads=frozenset(
            _words(
                "ministre président présidente porte-parole responsable responsables gouvernement ministère député députée sénateur maire chef directeur directrice source sources expert experts analyste juge avocat"
            )
        ),
        titles={"m.": "", "mme": "", "mlle": "", "président": "président", "ministre": "ministre"},
        gendered_titles={"m.": MALE, "mme": FEMALE, "mlle": FEMALE},
        between=frozenset(
            ["a", "ont", "avait", "avaient", "aussi", "encore", "également", "ensuite"]
        ),
        determiners=frozenset(
            [
                "le",
                "la",
                "les",
                "un",
                "une",
                "l'",
                "l’",
                "des",
                "ce",
                "cette",
                "ces",
                "son",
                "sa",
                "ses",
            ]
        ),
        name_joiners=frozenset(["de", "du", "des", "la", "le", "d'", "d’"]),
    )


def german() -> Lexicon:
    return Lexicon(
        language="de",
        verbs=_verbs(
            "sagte sagt sagten gesagt erklärte erklärt betonte betont meinte meint fügte"
            " ergänzte ergänzt schrieb schreibt warnte warnt kritisierte kritisiert"
            " forderte fordert bekräftigte bekräftigt räumte versicherte versichert"
            " kündigte berichtete berichtet teilte antwortete antwortet unterstrich"
            " erläuterte erläutert so",
        ),
        according=(("laut",), ("zufolge",), ("nach", "angaben", "von"), ("wie",)),
        complementizers=frozenset({"dass", "daß"}),
        pronouns=_pronouns("er ihm", "sie", "sie", "es", "ich wir"),
        subject_pronouns=frozenset(["er", "sie", "es", "ich", "wir"]),
        titles={"herr": "", "frau": "", "dr.": "doktor", "präsident": "präsident"},
        gendered_titles={"herr": MALE, "frau": FEMALE},
        between=frozenset(["hat", "habe", "hatte", "auch", "noch", "zudem", "bereits"]),
        determiners=frozenset(["der", "die", "das", "ein", "eine", "den", "dem", "des"]),
        name_joiners=frozenset(["von", "van", "der", "de", "zu"]),
    )


def spanish() -> Lexicon:
    return Lexicon(
        language="es",
        verbs=_verbs(
            "dijo dice afirmó afirma declaró declara señaló señala explicó explica añadió añade"
            " aseguró asegura indicó indica manifestó manifiesta sostuvo sostiene subrayó"
            " destacó destaca advirtió advierte agregó agrega precisó insistió escribió"
            " respondió anunció reconoció criticó denunció",
        ),
        according=(("según",), ("de", "acuerdo", "con")),
        complementizers=frozenset({"que"}),
        pronouns=_pronouns("él", "ella", "ellos ellas", "", "yo nosotros"),
        subject_pronouns=frozenset(["él", "ella", "ellos", "ellas", "yo", "nosotros"]),
        nominal_heads=frozenset(
            _words(
                "ministro ministra presidente presidenta portavoz gobierno ministerio diputado senador alcalde jefe director fuente fuentes experto analista juez abogado"
            )
        ),
        titles={"sr.": "", "sra.": "", "presidente": "presidente", "ministro": "ministro"},
        gendered_titles={"sr.": MALE, "sra.": FEMALE},
        between=frozenset(["ha", "había", "también", "ya", "además"]),
        determiners=frozenset(["el", "la", "los", "las", "un", "una", "su", "sus"]),
        name_joiners=frozenset(["de", "del", "la", "y"]),
    )


def italian() -> Lexicon:
    return Lexicon(
        language="it",
        verbs=_verbs(
            "disse dice detto dichiarato affermato aggiunto spiegato sottolineato"
            " ribadito osservato scritto annunciato precisato dichiara afferma aggiunge"
            " spiega sottolinea ribadisce osserva scrive annuncia",
        ),
        according=(("secondo",), ("stando", "a")),
        complementizers=frozenset({"che"}),
        pronouns=_pronouns("lui egli", "lei ella", "loro", "", "io noi"),
        subject_pronouns=frozenset(["lui", "lei", "egli", "ella", "loro", "io", "noi"]),
        nominal_heads=frozenset(
            _words(
                "ministro presidente portavoce governo ministero deputato senatore sindaco capo direttore fonte fonti esperto analista giudice avvocato"
            )
        ),
        between=frozenset(["ha", "aveva", "anche"]),
        determiners=frozenset(["il", "lo", "la", "i", "gli", "le", "un", "una"]),
        name_joiners=frozenset(["de", "di", "da", "del", "della"]),
    )


def portuguese() -> Lexicon:
    return Lexicon(
        language="pt",
        verbs=_verbs(
            "disse diz afirmou afirma declarou declara explicou explica acrescentou acrescenta"
            " ressaltou destacou sublinhou garantiu escreveu anunciou respondeu",
        ),
        according=(("segundo",), ("de", "acordo", "com"), ("conforme",)),
        complementizers=frozenset({"que"}),
        pronouns=_pronouns("ele", "ela", "eles elas", "", "eu nós"),
        subject_pronouns=frozenset(["ele", "ela", "eles", "elas", "eu", "nós"]),
        nominal_heads=frozenset(
            _words(
                "ministro ministra presidente porta-voz governo ministério deputado senador prefeito chefe diretor fonte fontes especialista analista juiz advogado"
            )
        ),
        between=frozenset(["também", "já", "ainda"]),
        determiners=frozenset(["o", "a", "os", "as", "um", "uma"]),
        name_joiners=frozenset(["de", "da", "do", "dos", "das", "e"]),
    )


def polish() -> Lexicon:
    return Lexicon(
        language="pl",
        verbs=_verbs(
            "powiedział powiedziała powiedzieli mówi mówił mówiła stwierdził stwierdziła"
            " dodał dodała podkreślił podkreśliła zaznaczył zaznaczyła oświadczył oświadczyła"
            " przekonywał przekonywała wyjaśnił wyjaśniła ocenił oceniła zapowiedział"
            " zapowiedziała napisał napisała odpowiedział odpowiedziała przyznał przyznała"
            " ostrzegł ostrzegła zauważył zauważyła uważa twierdzi",
        ),
        according=(("według",), ("zdaniem",), ("jak", "podaje")),
        complementizers=frozenset({"że", "iż"}),
        pronouns=_pronouns("on jego", "ona jej", "oni one ich", "", "ja my"),
        subject_pronouns=frozenset(["on", "ona", "oni", "one", "ja", "my"]),
        nominal_heads=frozenset(
            _words(
                "minister prezydent rzecznik rzeczniczka rząd ministerstwo poseł senator burmistrz szef dyrektor źródło ekspert analityk sędzia"
            )
        ),
        titles={"pan": "", "pani": "", "prezydent": "prezydent", "premier": "premier"},
        gendered_titles={"pan": MALE, "pani": FEMALE},
        between=frozenset(["też", "także", "również", "już"]),
        name_joiners=frozenset(["de", "von", "van"]),
    )


def russian() -> Lexicon:
    return Lexicon(
        language="ru",
        verbs=_verbs(
            "сказал сказала сказали заявил заявила заявили отметил отметила подчеркнул"
            " подчеркнула добавил добавила сообщил сообщила пояснил пояснила считает говорит"
            " говорил говорила написал написала ответил ответила признал признала уточнил"
            " уточнила",
        ),
        according=(("по", "словам"), ("по", "мнению"), ("как", "сообщает"), ("согласно",)),
        complementizers=frozenset({"что"}),
        pronouns=_pronouns("он его", "она её ее", "они их", "оно", "я мы"),
        subject_pronouns=frozenset(["он", "она", "они", "оно", "я", "мы"]),
        nominal_heads=frozenset(
            _words(
                "министр президент представитель пресс-секретарь правительство министерство депутат сенатор мэр глава директор источник эксперт аналитик судья"
            )
        ),
        between=frozenset(["также", "уже", "ещё", "еще"]),
    )


def turkish() -> Lexicon:
    return Lexicon(
        language="tr",
        verbs=_verbs(
            "dedi diyor söyledi belirtti açıkladı vurguladı kaydetti ekledi bildirdi savundu yazdı",
        ),
        according=(("göre",),),
        complementizers=frozenset({"ki"}),
        pronouns=_pronouns("o onun", "o onun", "onlar onların", "", "ben biz"),
        subject_pronouns=frozenset(["o", "onlar", "ben", "biz"]),
        nominal_heads=frozenset(
            _words(
                "bakan cumhurbaşkanı sözcü hükümet bakanlık milletvekili başkan müdür kaynak uzman"
            )
        ),
        between=frozenset(["de", "da", "ayrıca"]),
    )


OTHER = {
    "fr": french,
    "de": german,
    "es": spanish,
    "it": italian,
    "pt": portuguese,
    "pl": polish,
    "ru": russian,
    "tr": turkish,
}

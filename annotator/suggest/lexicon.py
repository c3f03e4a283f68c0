"""Word lists the rules read: reporting verbs, titles, pronouns, nominal speakers, per language.

English is the fullest (the corpora we measure on are English); French, German, Spanish,
Italian, Portuguese, Polish, Russian and Turkish have their common reporting verbs, "according
to" phrases and pronouns so that quotes in those languages are found with a speaker too.
Everything is lower case; verb entries are inflected forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.suggest.inflect import forms

SPEECH, BELIEF = "speech", "belief"


def words(block: str) -> list[str]:
    """The whitespace-separated words of a block of text (word lists are written as prose)."""
    return block.split()


MALE, FEMALE, PLURAL, NEUTER, FIRST = "male", "female", "plural", "neuter", "first"


@dataclass(frozen=True)
class Verb:
    base: str
    cls: str  # SPEECH: introduces quotes and reported speech; BELIEF: only "X thinks that ..."
    takes_object: bool = False  # told reporters, warned voters: a hearer may follow
    needs_particle: bool = False  # "weigh" reports only as "weigh in", "point" as "point out"
    bare_clause: bool = True  # "X said the plan failed": a clause may follow without "that"


@dataclass(frozen=True)
class Lexicon:
    language: str
    verbs: dict[str, Verb]
    particles: dict[str, frozenset[str]] = field(default_factory=dict)  # base -> out, back...
    according: tuple[tuple[str, ...], ...] = ()
    complementizers: frozenset[str] = frozenset()
    pronouns: dict[str, str] = field(default_factory=dict)
    subject_pronouns: frozenset[str] = frozenset()  # he, she...: may be the subject of a verb
    nominal_heads: frozenset[str] = frozenset()
    titles: dict[str, str] = field(default_factory=dict)  # "sen." -> "senator"
    gendered_titles: dict[str, str] = field(default_factory=dict)
    between: frozenset[str] = frozenset()  # may stand between subject and verb: has, also
    determiners: frozenset[str] = frozenset()
    name_joiners: frozenset[str] = frozenset()  # lower-case words inside names: de, van, of
    modifiers: frozenset[str] = frozenset()  # lower-case words before a name: former, top
    first_names: dict[str, str] = field(default_factory=dict)  # first name -> gender


# English reporting verbs: (base, class, takes an object). Particle verbs are listed below.
_EN_SPEECH = """
say add note write ask reply respond answer continue explain argue claim insist maintain contend
assert declare state announce caution predict promise vow pledge swear demand suggest propose
recommend acknowledge admit concede confess deny dispute confirm report tweet post blog email
text recall remember reiterate repeat stress emphasize emphasise underscore observe remark comment
quip joke boast brag complain lament grumble protest object criticize criticise allege charge
conclude counter retort rebut snap shout yell scream cry exclaim whisper mutter murmur chant read
testify disclose reveal indicate signal hint imply estimate forecast speculate muse opine reflect
recount describe summarize summarise proclaim pronounce profess affirm aver avow attest vouch
guarantee decree plead beg implore appeal request inquire enquire wonder challenge interject
interrupt chide scold rebuke tout trumpet bark boom roar thunder gush sigh laugh begin conclude
quote cite mention stipulate specify clarify elaborate concur agree disagree warn reason posit
theorize theorise surmise calculate figure acknowledge concede vent fume rail sneer scoff jeer
shrug smile grin beam nod gasp groan moan whine rant rave preach lecture pontificate speak
respond type message declare emphasize announce echo retaliate exclaim concur call label dub
brand characterize praise accuse blame mock decry dismiss slam blast attack hail condemn
denounce ridicule deride refer talk
"""
_EN_OBJECT = """
tell inform assure reassure remind advise urge warn ask instruct order direct promise notify
caution brief teach
"""
_EN_BELIEF = """
believe think feel hope fear worry expect doubt know suspect assume presume reckon guess imagine
suppose understand realize realise recognize recognise anticipate want wish prefer insist
acknowledge decide conclude estimate
"""
EN_PARTICLES: dict[str, frozenset[str]] = {
    "point": frozenset({"out"}),
    "go": frozenset({"on"}),
    "weigh": frozenset({"in"}),
    "chime": frozenset({"in"}),
    "sound": frozenset({"off"}),
    "lash": frozenset({"out"}),
    "spell": frozenset({"out"}),
    "lay": frozenset({"out"}),
    "shoot": frozenset({"back"}),
    "fire": frozenset({"back"}),
    "hit": frozenset({"back"}),
    "push": frozenset({"back"}),
    "write": frozenset({"back", "in"}),
    "call": frozenset({"out", "for", "on"}),
    "put": frozenset({"it"}),
    "speak": frozenset({"out", "up"}),
    "open": frozenset({"up"}),
    "follow": frozenset({"up"}),
    "add": frozenset({"on"}),
    "cut": frozenset({"in"}),
    "pipe": frozenset({"up", "in"}),
    "break": frozenset({"in"}),
    "hold": frozenset({"forth"}),
    "bring": frozenset({"up"}),
    "refer": frozenset({"to"}),
    "talk": frozenset({"about"}),
    "complain": frozenset({"about", "of"}),
    "boast": frozenset({"about", "of"}),
    "brag": frozenset({"about"}),
    "warn": frozenset({"of", "about", "against"}),
    "joke": frozenset({"about"}),
}


def _english_verbs() -> dict[str, Verb]:
    verbs: dict[str, Verb] = {}
    for cls, block, obj in (
        (BELIEF, _EN_BELIEF, False),
        (SPEECH, _EN_SPEECH, False),
        (SPEECH, _EN_OBJECT, True),
    ):
        for base in block.split():
            for form in forms(base):
                obj_ = obj or verbs.get(form, Verb("", "")).takes_object
                verbs[form] = Verb(base, cls, obj_, bare_clause=base in _EN_BARE)
    for base in EN_PARTICLES:
        for form in forms(base):
            verbs.setdefault(form, Verb(base, SPEECH, base == "call", needs_particle=True))
    return verbs


# Verbs whose reported clause may come without "that" (said the plan failed); any other
# verb needs "that", or a quotation in what follows, before a clause is proposed.
_EN_BARE = frozenset(
    words(
        """
        say tell add write claim argue insist warn explain suggest note predict believe think
        contend maintain assert acknowledge admit concede declare state announce report tweet
        complain boast brag joke recall remember reiterate repeat stress emphasize emphasise hope
        fear worry expect promise vow pledge swear guess reckon allege conclude estimate
        speculate indicate confirm feel know assure remind inform caution testify
        """
    )
)


_EN_PRONOUNS = {
    **dict.fromkeys(("he", "him", "his", "himself"), MALE),
    **dict.fromkeys(("she", "her", "hers", "herself"), FEMALE),
    **dict.fromkeys(("they", "them", "their", "theirs", "themselves"), PLURAL),
    **dict.fromkeys(("it", "its", "itself"), NEUTER),
    **dict.fromkeys(("i", "me", "my", "we", "us", "our", "you"), FIRST),
}
_EN_TITLES = {
    "mr.": "",
    "mrs.": "",
    "ms.": "",
    "miss": "",
    "dr.": "doctor",
    "sen.": "senator",
    "senator": "senator",
    "rep.": "representative",
    "representative": "representative",
    "congressman": "congressman",
    "congresswoman": "congresswoman",
    "gov.": "governor",
    "governor": "governor",
    "lt.": "lieutenant",
    "gen.": "general",
    "general": "general",
    "col.": "colonel",
    "capt.": "captain",
    "sgt.": "sergeant",
    "adm.": "admiral",
    "prof.": "professor",
    "professor": "professor",
    "rev.": "reverend",
    "president": "president",
    "pres.": "president",
    "vice": "president",
    "secretary": "secretary",
    "sec.": "secretary",
    "speaker": "speaker",
    "mayor": "mayor",
    "judge": "judge",
    "justice": "justice",
    "minister": "minister",
    "ambassador": "ambassador",
    "amb.": "ambassador",
    "chairman": "chairman",
    "chairwoman": "chairwoman",
    "attorney": "attorney",
    "pope": "pope",
    "king": "king",
    "queen": "queen",
    "prince": "prince",
    "princess": "princess",
    "sheriff": "sheriff",
    "chief": "chief",
    "commissioner": "commissioner",
    "director": "director",
    "spokesman": "spokesman",
    "spokeswoman": "spokeswoman",
    "candidate": "candidate",
    "nominee": "nominee",
    "leader": "leader",
    "premier": "premier",
    "chancellor": "chancellor",
    "sir": "",
    "lord": "",
    "dame": "",
    "st.": "",
}
_EN_GENDERED = {"mr.": MALE, "mrs.": FEMALE, "ms.": FEMALE, "miss": FEMALE, "sir": MALE}
_EN_NOMINALS = """
spokesman spokeswoman spokesperson spokespeople businessman businesswoman billionaire official officials aide aides adviser advisers
advisor advisors senator senators congressman congresswoman lawmaker lawmakers legislator governor
mayor president candidate candidates nominee campaign committee source sources analyst analysts
expert experts critic critics supporter supporters voter voters resident residents people person
man woman men women lawyer lawyers attorney attorneys prosecutor prosecutors police officer
officers report study poll survey statement memo letter email ad ads advertisement tweet post
article editorial website group organization agency department ministry government administration
office chairman chairwoman director leader leaders member members executive executives ceo founder
strategist strategists pollster operative consultant economist economists professor researcher
researchers scientist scientists historian author writer columnist reporter reporters journalist
editor host anchor moderator commentator pundit pundits manager chief head secretary minister
ambassador diplomat diplomats general commander judge justice court ruling document documents
filing complaint lawsuit platform paper newspaper network channel outlet magazine friend friends
colleague colleagues neighbor neighbors father mother son daughter wife husband brother sister
owner worker workers student students activist activists organizer organizers protester
protesters demonstrators fan fans delegate delegates donor donors republican republicans democrat
democrats conservative conservatives liberal liberals progressive progressives insider insiders
veteran veterans employee employees staffer staffers investigator investigators authorities
observers advocates advocate opponent opponents rival rivals challenger incumbent nominees
presenter panel panelist speaker speakers evangelicals evangelical pastor bishop priest imam
rabbi governors mayors officials representative representatives superintendent counsel
campaigns parents teacher teachers doctor doctors nurse economist agencies firm company
companies bank banks party parties union unions association council board commission ministry
guide release polls surveys studies data figures records reports statements letters
"""
_EN_BETWEEN = """
has have had also later then previously recently repeatedly once again would will could might
may did does do not never often publicly privately reportedly flatly quickly simply further
just even always already still since earlier first initially finally quietly openly bluntly
angrily famously memorably recently subsequently frequently apparently allegedly himself herself
themselves itself ultimately indeed only however too consistently
"""
_EN_DETERMINERS = """
the a an one another some many several two three four five most few this these those his
her their its our my your each every any both all no such other
"""
_EN_MODIFIERS = """
former then current acting incoming outgoing outgoing late longtime veteran top senior junior chief
deputy assistant republican democratic presidential gop democrat fellow vice then-
"""
_EN_JOINERS = "de da di van von der den del la le bin al el ibn of dos das du ter mc st."
# Common first names with a clear gender in English-language news (for he/she resolution).
_EN_MALE_NAMES = """
donald bernie ted marco jeb ben john chris mike rand barack joe bill george paul scott jim james
robert michael david richard mark steve steven tom thomas charles kevin jeff jeffrey brian eric
mitch harry lindsey rick newt dick al tim tony peter andrew william henry jack frank gary larry
martin matt matthew daniel dan sean josh joshua adam ryan jason justin brandon kenneth ken ron
ronald anthony edward ed patrick greg gregory stephen sam samuel reince corey kellyanne roger
vladimir xi bashar benjamin recep emmanuel francois angela boris vladimir nicolas hassan ali
mohammed muhammad ahmed hamid javad ilham
"""
_EN_FEMALE_NAMES = """
hillary carly sarah nancy elizabeth michelle melania ivanka chelsea huma kellyanne hope megyn
mary patricia linda barbara jennifer maria susan margaret dorothy lisa karen betty helen sandra
donna carol ruth sharon laura kimberly deborah jessica amy anna angela emily rachel rebecca
nikki condoleezza madeleine debbie donna kirsten amy tammy claire dianne jeanne maxine loretta
samantha valerie susan jill janet marine theresa angela ursula christine kamala tulsi
"""


def english() -> Lexicon:
    male = {n: MALE for n in _EN_MALE_NAMES.split()}
    female = {n: FEMALE for n in _EN_FEMALE_NAMES.split()}
    return Lexicon(
        language="en",
        verbs=_english_verbs(),
        particles=EN_PARTICLES,
        according=(
            ("according", "to"),
            ("in", "the", "words", "of"),
            ("as", "quoted", "by"),
            ("quoted", "by"),
            ("per",),
        ),
        complementizers=frozenset({"that"}),
        pronouns=_EN_PRONOUNS,
        subject_pronouns=frozenset(["he", "she", "they", "it", "we", "i", "you"]),
        nominal_heads=frozenset(_EN_NOMINALS.split()),
        titles=_EN_TITLES,
        gendered_titles=_EN_GENDERED,
        between=frozenset(_EN_BETWEEN.replace(",", "").split()),
        determiners=frozenset(_EN_DETERMINERS.split()),
        name_joiners=frozenset(_EN_JOINERS.split()),
        modifiers=frozenset(_EN_MODIFIERS.split()),
        first_names={**male, **female},
    )

"""spaCy components and architectures of the crmbot parser (registered on import).

Pipeline (``spacy.blank("en")`` plus):

1. ``crm_merge``      merges Slack mentions, #channels, @handles and e-mails into single tokens;
2. ``crm_normalizer`` sets ``token.norm_`` for the classifier: lower case, typo-corrected against
                      the training vocabulary, and placeholders for numbers, amounts, mentions,
                      e-mails and known first names, so that names and figures don't leak into
                      the intent decision;
3. ``crm_gazetteer``  known customers (names, aliases, distinctive short forms), matched on
                      token n-grams through a dict and replaced at run time by ``set_customers``;
                      results in ``doc.spans["customers"]`` with the customer id in
                      ``span.kb_id_``, and "__customer__" as the tokens' NORM for the classifier;
4. ``textcat``        exclusive classes, bag of n-grams over NORM (``crmbot.TextCatBOWNorm.v1``);
5. ``crm_entities``   PhraseMatchers (exact LOWER, and typo-tolerant over the corrected word kept
                      in LEMMA) over the closed vocabularies (kinds, stages, segments, metrics,
                      ...) plus regular expressions for amounts, percentages, dates, periods,
                      mentions, e-mails, phones and quoted names; results in ``doc.spans["crm"]``
                      with the canonical value in ``span.kb_id_``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import registry
from thinc.api import Model, chain, with_cpu

from intents import vocab
from intents.dates import DATE_RE, PERIOD_RE

DATA_DIR = Path(__file__).resolve().parent / "data"

# --------------------------------------------------------------------------- regexes
MENTION_RE = re.compile(
    r"<@([A-Za-z0-9]+)(?:\|[^>\s]*)?>|<#[A-Za-z0-9]+\|([\w-]+)>|(?<![\w.])@([A-Za-z0-9][\w.-]*[A-Za-z0-9_]|[A-Za-z0-9])|(?<![\w&])#([A-Za-z][\w-]*)"
)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL_RE = re.compile(r"https?://\S+|www\.\S+")
PHONE_RE = re.compile(
    # international, its last group up to eight digits: "+49 160 9923114", "+49 30 5550 1187"
    r"(?<![\w$€£])\+\d{1,3}(?:[\s.-]\d{1,5}){0,4}[\s.-]\d{3,8}(?![\w%]|[.,]\d)|"
    # a national number with a long area code: "013397 55021"
    r"(?<![\w$€£₦.,])0\d{3,5}[\s-]\d{5,7}(?![\w%]|[.,]\d)|"
    r"(?<![\w$€£₦₹¥,.])(?<!\d[,.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?(?:0\d{4}|\d{2,5})(?:[\s.-]\d{2,6}){1,3}(?![\w%]|[.,]\d)|(?<![\w$€£])\+\d{7,14}(?!\w)"
    # a national number written in one run, with its trunk 0: "08031234567", "0244123456"
    r"|(?<![\w$€£₦.,])0\d{9,11}(?![\w%]|[.,]\d)"
)


def _iso_currencies() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


ISO_CURRENCIES = _iso_currencies()  # babel's ISO 4217 codes, in capitals


def _currency_pattern() -> str:
    """Currency said beside an amount: any currency sign (Unicode category Sc: $ € £ ¥ ₹ ₦ ₵
    ...), a letter-prefixed dollar (R$, S$, HK$), an ISO 4217 code in capitals (babel's list,
    less the codes that are English words in capitals, "TOP 10"), a few codes also written in
    lower case, and currency names."""
    import unicodedata

    signs = "".join(
        re.escape(chr(i)) for i in range(0x10000) if unicodedata.category(chr(i)) == "Sc"
    )
    codes = "|".join(
        c for c in sorted(ISO_CURRENCIES) if c.isalpha() and len(c) == 3 and c not in _WORD_CODES
    )
    return (
        rf"(?:[A-Za-z]{{1,3}}\$|[{signs}]|(?-i:N(?=\d))|(?-i:{codes})|usd|eur|gbp|pln|inr|chf|sek|aed|rs\.?|"
        r"dollars?|euros?|bucks|rupees?|naira|cedis?|reais|rand|dirhams?|dhs|yen|yuan|rmb|"
        r"pesos?|riyals?|ringgits?|baht|liras?|francs?|kroner|kronor|krona|zlotys?)"
    )


# ISO 4217 codes that, in capitals, are more often English words or abbreviations ("ALL",
# "TOP 5", "SOS", "MVP") or retired codes that read as words
_WORD_CODES = frozenset(
    """ALL BAD BAN BOB CUP MAD MOP MVP SIT SOS TOP TRY YUM YUN ARM BEL DEM ESP GEL LUC NIC PEI
    PES PLZ STD SUR XXX USS ESA ADP ATS BAM BOP CHE ANG ARA PEN""".split()
)
_CUR = _currency_pattern()
AMOUNT_RE = re.compile(
    rf"(?<![\w/:.#@])(?<!\w-)(?:{_CUR}\s?)?(\d{{1,2}}(?:,\d{{2}})+,\d{{3}}(?!\d)|"
    rf"\d{{1,3}}(?:\.\d{{3}})+,\d{{1,2}}(?!\d)|\d{{1,3}}(?:,\d{{3}})+\.\d{{1,2}}(?!\d)|"
    rf"\d{{1,3}}(?:,\d{{3}})+(?!\d)|"
    rf"\d{{1,3}}(?:\.\d{{3}})+(?![\d,])|\d{{1,3}}(?: \d{{3}})+(?![\d:/.])|"
    rf"\d+,\d{{1,2}}(?=\s?(?:k|m|mil|mio|mn|millions?|milh(?:ão|ões)|mill(?:ón|ones)|lakhs?|lacs?|crores?)\b)|"
    rf"\d+(?:\.\d+)?)"
    rf"\s?(k|m|mm|mn|mil|mill|mio|mln|b|bn|thousand|millions?|milh(?:ão|ões)|mill(?:ón|ones)|"
    rf"billion|grand|lakhs?|lacs?|crores?)?\b(?:\s?{_CUR}(?!\w))?"
    rf"(?!\s?%|\s?percent|[/:.]\d|-[A-Za-z]|\s?(?:days?|weeks?|months?|years?|hours?|am|pm|st|nd|rd|th)\b)",
    re.IGNORECASE,
)
# an amount said in words ("twelve thousand", "fifteen k", "one point five million"), as
# dictation writes it; intents.extract.parse_amount reads it
NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred)"
)
WORD_AMOUNT_RE = re.compile(
    rf"(?<![\w-])(?:{NUMBER_WORD}|a)(?:[\s-]+(?:{NUMBER_WORD}|and|point))*\s*"
    r"(?:thousand|grand|k|million|billion)\b"
    rf"(?:[\s-]+(?:and\s+)?{NUMBER_WORD}(?:[\s-]+{NUMBER_WORD})*)?(?:\s+{_CUR}(?!\w))?",
    re.IGNORECASE,
)
PERCENT_RE = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d+)?)\s?(?:%|percent\b|pct\b)", re.IGNORECASE)
QUOTED_RE = re.compile(r"\"([^\"]{2,60})\"|“([^”]{2,60})”|(?<!\w)'([^']{2,60})'(?!\w)")
_HAS_DIGIT = re.compile(r"\d").search
_HAS_ALNUM = re.compile(r"[^\W_]").search
SEPARATOR_TOKENS = {",", ";", ":", "-", "–", "—", "(", ")", ".", "!", "?", "->", "/"}


def _load_first_names() -> tuple[frozenset[str], frozenset[str]]:
    """First names; those after the "# ambiguous" line are also common English words."""
    path = DATA_DIR / "first_names.txt"
    names: set[str] = set()
    ambiguous: set[str] = set()
    in_ambiguous = False
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                in_ambiguous = in_ambiguous or line.startswith("# ambiguous")
                continue
            words = [w.lower() for w in line.split()]
            names.update(words)
            if in_ambiguous:
                ambiguous.update(words)
    return frozenset(names), frozenset(ambiguous)


FIRST_NAMES, _AMBIGUOUS_LISTED = _load_first_names()
# first names that are also ordinary lower-case words: only capitalised they count as names
AMBIGUOUS_NAMES = frozenset(
    {
        "max",
        "jan",
        "ed",
        "rob",
        "ruby",
        "jade",
        "jean",
        "ken",
        "mai",
        "mel",
        "pam",
        "sue",
        "kim",
        "may",
        "mark",
        "will",
        "bill",
        "jack",
        "rose",
        "art",
        "sandy",
        "sunny",
        "grace",
        "hope",
        "faith",
        "joy",
        "dean",
        "frank",
        "pia",
        "eli",
        "uma",
        "mina",
        "ana",
        "nina",
        "sam",
        "jay",
        "chen",
        "wei",
        "pat",
        "june",
        "april",
        "don",
        "ray",
        "lily",
        "ian",
        "tara",
        "nick",
        "ron",
        "jill",
    }
)
AMBIGUOUS_NAMES = AMBIGUOUS_NAMES | _AMBIGUOUS_LISTED


# Concept norms: words that matter to the intent only by their kind (the entity rules still see
# the words themselves), so that an unseen weekday, team or segment word generalises.
CONCEPTS: dict[str, str] = {}
for _w in (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri "
    "today tomorrow tmrw tmr yesterday yday tonight january february march april june july august "
    "september october november december jan feb mar apr jun jul aug sep sept oct nov dec"
).split():
    CONCEPTS[_w] = "__date__"
for _w in "q1 q2 q3 q4 ytd mtd qtd h1 h2".split():
    CONCEPTS[_w] = "__quarter__"
for _w in (
    "product support engineering eng devs developers finance marketing legal billing security "
    "design ops operations"
).split():
    CONCEPTS[_w] = "__team__"
for _w in ("churning churn at-risk dormant inactive lapsed loyal promising").split():
    CONCEPTS[_w] = "__segment__"
for _w in ("negotiation negotiating proposal qualification prospecting discovery").split():
    CONCEPTS[_w] = "__stage__"
for _w in ("evenly equally fairly robin round-robin roundrobin rotation rotating").split():
    CONCEPTS[_w] = "__strategy__"  # how to share leads out: any of these means the same
for _w in (
    "inc inc. corp corp. llc ltd ltd. gmbh ag plc bv nv oy oyj ab hb aps a/s s/a tmi osk sarl srl "
    "spa s.p.a. ltda ltda. tic. san. şti. kg pty co co."
).split():
    CONCEPTS[_w] = "__corp__"  # a legal form: whatever stands before it is a company name
for _w in ("projection projections projected").split():
    CONCEPTS[_w] = "forecast"
for _w in ("story rundown lowdown scoop overview recap").split():
    CONCEPTS[_w] = "history"
for _w in ("rank ranking ranked scoreboard leaderboard leaderbord").split():
    CONCEPTS[_w] = "leaderboard"
CONCEPT_TARGETS = frozenset(CONCEPTS.values())


# Chat abbreviations, read as the word they stand for (classification, typo checks, vocabularies).
ABBREVIATIONS: dict[str, str] = {
    "mtg": "meeting",
    "mtgs": "meetings",
    "msg": "message",
    "msgs": "messages",
    "frm": "from",
    "abt": "about",
    "w": "with",
    "u": "you",
    "ur": "your",
    "r": "are",
    "plz": "please",
    "pls": "please",
    "thx": "thanks",
    "opp": "opportunity",
    "opps": "opportunities",
    "acct": "account",
    "accts": "accounts",
    "cust": "customer",
    "custs": "customers",
    "convo": "call",
    "fu": "follow",
    "f/u": "follow",
    "ppl": "people",
    "info": "information",
    "wats": "what's",
    "whats": "what's",
    "wat": "what",
    "wht": "what",
    "shwo": "show",
    "sho": "show",
    "pipe": "pipeline",
    "fcst": "forecast",
    "rem": "remind",
    "rmd": "remind",
    "asap": "asap",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmw": "tomorrow",
    "yday": "yesterday",
    "nxt": "next",
    "wk": "week",
    "mo": "month",
}


# --------------------------------------------------------------------------- architecture
@registry.architectures("crmbot.TextCatBOWNorm.v1")
def build_bow_norm_classifier(
    exclusive_classes: bool, ngram_size: int, length: int = 262144, nO: int | None = None
) -> Model:
    """spaCy's bag-of-n-grams classifier, but over NORM (our normalised tokens), not ORTH."""
    from spacy.attrs import NORM
    from spacy.ml.models.textcat import NEG_VALUE, resize_and_set_ref, resize_linear_weighted
    from thinc.api import Logistic, SparseLinear_v2, resizable, softmax_activation

    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    fill_defaults = {"b": NEG_VALUE, "W": 0}
    output_layer = softmax_activation() if exclusive_classes else Logistic()
    resizable_layer: Model = resizable(
        sparse_linear, resize_layer=partial(resize_linear_weighted, fill_defaults=fill_defaults)
    )
    model: Model = chain(extract_norm_ngrams(ngram_size, NORM), resizable_layer)
    model = with_cpu(model, model.ops)
    model = chain(model, with_cpu(output_layer, output_layer.ops))
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return model


def extract_norm_ngrams(ngram_size: int, attr: int) -> Model:
    """Like spaCy's extract_ngrams, plus start/end-of-text markers; safe on empty and short docs."""
    model: Model = Model("extract_norm_ngrams", _ngrams_forward)
    model.attrs["ngram_size"] = ngram_size
    model.attrs["attr"] = attr
    return model


_BOS = 0x5EED_0001
_EOS = 0x5EED_0002


def _ngrams_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple:
    import numpy

    xp = model.ops.xp
    batch_keys = []
    batch_vals = []
    n_max = model.attrs["ngram_size"]
    for doc in docs:
        arr = doc.to_array([model.attrs["attr"]]).astype("uint64").reshape(-1)
        unigrams = numpy.concatenate(
            [numpy.asarray([_BOS], dtype="uint64"), arr, numpy.asarray([_EOS], dtype="uint64")]
        )
        ngrams: list[Any] = [unigrams]
        ops: Any = model.ops  # thinc's array types do not cover uint64 keys
        for n in range(2, n_max + 1):
            if unigrams.shape[0] >= n:
                ngrams.append(ops.ngrams(n, ops.asarray(unigrams, dtype="uint64")))
        keys = xp.concatenate(ngrams)
        keys, vals = xp.unique(keys, return_counts=True)
        batch_keys.append(keys)
        batch_vals.append(vals)
    lengths = model.ops.asarray([arr.shape[0] for arr in batch_keys], dtype="int32")
    keys_all = xp.concatenate(batch_keys)
    vals_all = model.ops.asarray(xp.concatenate(batch_vals), dtype="f")

    def backprop(dY: Any) -> list:
        return []

    return (keys_all, vals_all, lengths), backprop


def use_numpy_matmul(nlp: Language | None = None) -> None:
    """Run thinc's matrix products on numpy's OpenBLAS rather than its bundled BLIS.

    Measured on this project's machine (AMD EPYC, one thread): BLIS takes 3.7 times as long as
    OpenBLAS over the recogniser's and classifier's matrix shapes (4.9 ms against 1.3 ms for
    2,400 x 192 by 192 x 128), which made the name recogniser the largest cost of a parse.
    Models take the current ops when they are made, and thinc's `with_cpu` gives its layers
    BLIS ops of their own, so this sets the current ops and, given a pipeline, hands every
    node of its models the same ops. Results agree to float rounding.

    OpenBLAS is held to one thread: our products are small, and its extra threads spin while
    they wait, which cost more CPU than they saved (872 messages per CPU second against 1,910
    on one thread) and would take a second core from a server's other work.
    """
    from thinc.api import Model, NumpyOps, get_current_ops, set_current_ops
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    ops = get_current_ops()
    if not isinstance(ops, NumpyOps):
        return  # a GPU's ops are left alone
    if getattr(ops, "use_blis", True):
        ops = NumpyOps(use_blis=False)
        set_current_ops(ops)
    for _, proc in nlp.components if nlp is not None else ():  # the disabled too
        model = getattr(proc, "model", None)
        if isinstance(model, Model):
            for node in model.walk():
                if isinstance(node.ops, NumpyOps):
                    node.ops = ops


def doc_text(doc: Doc) -> str:
    """The doc's text, joined once: `Doc.text` joins every token's text anew on each read, and
    the components and rules read it a dozen times a message. Retokenising leaves the text as
    it was, so the first reading stays true."""
    text = doc.user_data.get("crm_text")
    if text is None:
        text = doc.user_data["crm_text"] = doc.text
    return str(text)


# --------------------------------------------------------------------------- crm_merge
@Language.component("crm_merge")
def crm_merge(doc: Doc) -> Doc:
    text = doc_text(doc)
    if "@" not in text and "#" not in text:
        return doc
    spans = []
    for rx in (EMAIL_RE, MENTION_RE):
        for m in rx.finditer(text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None and len(span) > 1:
                spans.append(span)
    if spans:
        from spacy.util import filter_spans

        with doc.retokenize() as retokenizer:
            for span in filter_spans(spans):
                retokenizer.merge(span)
    return doc


# --------------------------------------------------------------------------- crm_normalizer
# A word after one of these may be a name we don't know: it is never typo-corrected.
NAME_CONTEXT = frozenset(
    """with w/ w at from for about to called emailed e-mailed phoned rang met pinged messaged
texted demoed visited re regarding customer client account of and & n into visit by""".split()
)


def _osa(a: str, b: str) -> int:
    from rapidfuzz.distance import OSA

    return int(OSA.distance(a, b))


def _shouting(doc: Doc) -> bool:
    """Typed in capitals throughout ("LGO CALL WITH ACME"): capitals say nothing of acronyms."""
    words = [t.text for t in doc if t.is_alpha]
    return len(words) >= 2 and sum(w.isupper() for w in words) > len(words) // 2


def correction_targets() -> frozenset[str]:
    """What a typo may be corrected to: command words and the closed vocabularies, no names."""
    from intents.extract import COMMON_WORDS, TRIGGERS

    words: set[str] = (
        set(COMMON_WORDS) | set(TRIGGERS) | set(CONCEPTS) | set(ABBREVIATIONS.values())
    )
    for table in CATEGORY_TABLES.values():
        for phrases in table.values():
            for phrase in phrases:
                words.update(phrase.split())
    words |= {
        "leaderboard", "segment", "segments", "feedback", "campaign", "forecast", "pipeline",
        "negotiation", "proposal", "qualification", "prospecting", "snooze", "disqualify",
        "merge", "duplicate", "title", "reminder", "remind", "history", "alert", "assign",
        "churn", "leads", "deals", "tasks", "what's", "whats", "performance", "won", "lost",
    }  # fmt: skip
    return frozenset(w for w in words if len(w) >= 3 and w not in FIRST_NAMES)


@Language.factory("crm_normalizer", default_config={})
def make_normalizer(nlp: Language, name: str) -> Normalizer:
    return Normalizer(nlp, name)


# team words that are also verbs, and the words before them that make them verbs
VERB_TEAMS = frozenset({"support", "finance"})
VERB_BEFORE = frozenset(
    "can could we they will would not cannot can't don't doesn't won't we'd".split()
)
OOV_NORM = "__oov__"  # NORM of a lower-case word we do not know (likely an unseen name)


class Normalizer:
    """Sets token.norm_ for classification (see module doc). Keeps a typo-correction vocabulary."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.vocab_words: list[str] = []
        self.english_words: frozenset[str] = frozenset()
        self.rare_english: frozenset[str] = frozenset()  # never corrected, yet may be names
        self._known: set[str] = set()
        self._targets: list[str] = []
        self._cache: dict[str, str] = {}

    def set_vocabulary(self, words: Iterable[str]) -> None:
        self.vocab_words = sorted(set(words))
        self._known = set(self.vocab_words)
        base = correction_targets()
        self._targets = [w for w in self.vocab_words if w in base]
        self._cache = {}

    def set_english(self, words: Iterable[str]) -> None:
        """Known English words (from wordfreq at training time): never "corrected"."""
        self.english_words = frozenset(words)
        self._cache = {}

    def set_rare_english(self, words: Iterable[str]) -> None:
        """Rarer English words ("casks", "pallets"): never "corrected" ("casks" is no typo of
        "asks"), but not common enough to rule out a name, so they are kept apart."""
        self.rare_english = frozenset(words)
        self._cache = {}

    def may_correct(self, token: Any) -> bool:
        """Typo correction is safe only on a word that is no English word and no likely name.

        A known English word ("left", "square") is what the person meant; a word after a
        name-taking word ("called initech", "about hooli", "with zoe") may be a name we don't know.
        """
        low = token.lower_
        if low in self._known or low in self.english_words or low in self.rare_english:
            return False
        if len(token.text) >= 2 and token.text.isupper() and not _shouting(token.doc):
            return False  # an acronym ("MSA", "SOW", "NDA") is meant as typed
        i = token.i
        prev = token.doc[i - 1] if i > 0 else None
        if prev is not None and (
            prev.lower_ in NAME_CONTEXT
            or prev.lower_ in vocab.NAME_PARTICLES
            or (
                prev.is_alpha
                and prev.lower_ not in self._known
                and prev.lower_ not in self.english_words
            )
        ):
            # after "to", "with", "about"..., after "del" or "von", or after a word we don't know
            # (the name goes on: "transportes del norte" is no "note"): only a long word one
            # edit from a command word ("negotation"), never a short one that may be a name
            fixed = self.correct(low)
            return len(low) >= 7 and fixed != low and _osa(low, fixed) == 1
        return True

    def correct(self, low: str) -> str:
        """The command or closed-vocabulary word this is a typo of (1 edit, 2 for long words)."""
        if (
            low in self._known
            or len(low) < 3
            or not low.isalpha()
            or low in self.english_words
            or low in self.rare_english
        ):
            return low
        hit = self._cache.get(low)
        if hit is not None:
            return hit
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        cutoff = 1 if len(low) <= 6 else 2
        best = process.extractOne(low, self._targets, scorer=OSA.distance, score_cutoff=cutoff)
        result = best[0] if best and (len(low) >= 5 or best[0][0] == low[0]) else low
        if len(self._cache) > 50000:
            self._cache.clear()
        self._cache[low] = result
        return result

    def norm_of(self, token: Any) -> str:
        text = token.text
        low = token.lower_
        first = text[:1]
        if first in "<@" and MENTION_RE.fullmatch(text):
            return "__mention__"
        if first == "#" and len(text) > 1:
            return "__channel__"
        if "@" in text and token.like_email:
            return "__email__"
        if token.like_url:
            return "__url__"
        if token.like_num or _HAS_DIGIT(text):
            if re.fullmatch(r"[$€£]?\d+(?:[.,]\d+)*\s?[kmb]n?", low):
                return "__amount__"
            return "__num__"
        if (
            low in FIRST_NAMES
            and (first.isupper() or low not in AMBIGUOUS_NAMES)
            and low not in self._known
        ):
            return "__person__"
        if not _HAS_ALNUM(text):
            return text if len(text) <= 2 and text.isascii() else "__sym__"
        if CONCEPTS.get(low) == "__corp__":
            return "__corp__"
        if text.isascii():
            if (
                first.isupper()
                and low not in self._known
                and low not in ABBREVIATIONS
                and len(low) > 1
            ):
                # a capitalised word we don't know is most likely a name (company, product, place);
                # at the very start it may also be a mistyped command word
                fixed = self.correct(low) if token.i == 0 and self.may_correct(token) else low
                if fixed == low:
                    return "__name__"
                low = fixed
            else:
                low = ABBREVIATIONS.get(low) or (
                    self.correct(low) if self.may_correct(token) else low
                )
            if low in VERB_TEAMS and token.i > 0 and token.doc[token.i - 1].lower_ in VERB_BEFORE:
                return low  # "we can support SAML": a verb, not the support team
            return CONCEPTS.get(low, self._oov(low))
        if low in CONCEPTS:
            return CONCEPTS[low]  # "Şti.", "ş.ti."
        if first.isupper() and low not in self._known and len(low) > 1 and _HAS_ALNUM(text):
            return "__name__"  # "Nørgaard", "Şti": a capitalised word we don't know, as above
        return self._oov(low)

    def _oov(self, low: str) -> str:
        """A lower-case word that is neither ours nor English ("initech", "hooli") is most likely a
        name we have not seen: one placeholder lets the classifier generalise over all of them."""
        if (
            len(low) > 1
            and low.isalpha()
            and low not in self._known
            and low not in self.english_words
            and low not in ABBREVIATIONS
        ):
            return OOV_NORM
        return low

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            norm = self.norm_of(token)
            token.norm_ = norm
            # the corrected word before concept mapping, for typo-tolerant vocabulary matching
            if norm.startswith("__") or norm in CONCEPT_TARGETS:
                low = token.lower_
                token.lemma_ = ABBREVIATIONS.get(low) or (
                    self.correct(low) if token.text.isascii() and self.may_correct(token) else low
                )
            else:
                token.lemma_ = norm
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "vocabulary.json", self.vocab_words)
        (path / "english.txt").write_text("\n".join(sorted(self.english_words)) + "\n")
        (path / "rare_english.txt").write_text("\n".join(sorted(self.rare_english)) + "\n")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Normalizer:
        self.set_vocabulary(srsly.read_json(Path(path) / "vocabulary.json"))
        english = Path(path) / "english.txt"
        if english.exists():
            self.set_english(english.read_text(encoding="utf-8").split())
        rare = Path(path) / "rare_english.txt"
        if rare.exists():
            self.set_rare_english(rare.read_text(encoding="utf-8").split())
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        data = {
            "vocabulary": self.vocab_words,
            "english": sorted(self.english_words),
            "rare_english": sorted(self.rare_english),
        }
        return json.dumps(data).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> Normalizer:
        obj = json.loads(data.decode("utf-8"))
        if isinstance(obj, list):  # older models: the vocabulary only
            obj = {"vocabulary": obj, "english": []}
        self.set_vocabulary(obj["vocabulary"])
        self.set_english(obj["english"])
        self.set_rare_english(obj.get("rare_english", []))
        return self


# --------------------------------------------------------------------------- crm_entities
CATEGORY_TABLES: dict[str, dict[str, list[str]]] = {
    "KIND": vocab.KIND,
    "STAGE": vocab.STAGE,
    "STATUS": vocab.LEAD_STATUS,
    "SEGMENT": vocab.SEGMENT,
    "METRIC": vocab.METRIC,
    "COMPARATOR": vocab.COMPARATOR,
    "CHANNEL": vocab.CHANNEL,
    "STRATEGY": vocab.STRATEGY,
    "GROUP_BY": vocab.GROUP_BY,
    "TEAM": vocab.TEAM,
    "SOURCE": {s: [s] for s in vocab.SOURCE},
    "TASK_STATUS": vocab.TASK_STATUS,
    "DEAL_STATUS": vocab.DEAL_STATUS,
    "FEEDBACK_STATUS": vocab.FEEDBACK_STATUS,
}


@Language.factory("crm_entities", default_config={})
def make_entities(nlp: Language, name: str) -> EntityFinder:
    return EntityFinder(nlp, name)


class EntityFinder:
    """Closed-vocabulary PhraseMatchers + regular expressions; fills doc.spans["crm"]."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        # exact (lower-case) and typo-tolerant (our NORM) phrase matchers over the vocabularies
        self.lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.norm_matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")  # lemma_ = corrected word
        for label, table in CATEGORY_TABLES.items():
            for canon, phrases in table.items():
                key = f"{label}|{canon}"
                docs = [nlp.make_doc(phrase) for phrase in phrases]
                self.lower_matcher.add(key, docs)
                for d in docs:
                    for t in d:
                        t.lemma_ = t.lower_
                self.norm_matcher.add(key, docs)

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        seen: set[tuple[int, int, int]] = set()
        for matcher in (self.lower_matcher, self.norm_matcher):
            for match_id, start, end in matcher(doc):
                if (match_id, start, end) in seen:
                    continue
                seen.add((match_id, start, end))
                key = doc.vocab.strings[match_id]
                label, canon = key.split("|", 1)
                spans.append(Span(doc, start, end, label=label, kb_id=canon))
        text = doc_text(doc)
        for label, rx in (
            ("EMAIL", EMAIL_RE),
            ("URL", URL_RE),
            ("MENTION", MENTION_RE),
            ("DATE", DATE_RE),
            ("PERIOD", PERIOD_RE),
            ("PERCENT", PERCENT_RE),
            ("AMOUNT", AMOUNT_RE),
            ("AMOUNT", WORD_AMOUNT_RE),
            ("PHONE", PHONE_RE),
            ("QUOTED", QUOTED_RE),
        ):
            if label == "PHONE" and sum(map(str.isdigit, text)) < 7:
                continue
            if label == "MENTION" and "@" not in text and "#" not in text:
                continue
            if label == "EMAIL" and "@" not in text:
                continue
            if label == "QUOTED" and '"' not in text and "'" not in text and "“" not in text:
                continue
            for m in rx.finditer(text):
                span = doc.char_span(m.start(), m.end(), label=label, alignment_mode="expand")
                if span is not None:
                    span.kb_id_ = m.group(0)
                    spans.append(span)
        doc.spans["crm"] = spans
        return doc


# --------------------------------------------------------------------------- crm_gazetteer
CORP_WORDS = {s for s in vocab.COMPANY_SUFFIXES if s.isalpha()}
_COMMON_FOR_GAZ = frozenset(
    """a an the to with at from for on in of and or me my i we you it is are was be
call email meeting demo note message deal lead new top best pipeline forecast won lost today
tomorrow yesterday week month quarter year team sales support product help show list log add
create update set remind alert campaign customer customers account accounts target
box apple square shell""".split()
)
GENERIC_WORDS = frozenset(
    {
        "the",
        "a",
        "an",
        "new",
        "big",
        "blue",
        "red",
        "green",
        "global",
        "first",
        "united",
        "general",
        "american",
        "national",
        "international",
        "north",
        "south",
        "east",
        "west",
        "best",
        "top",
        "my",
        "our",
        "one",
        "deal",
        "lead",
    }
)


@Language.factory("crm_gazetteer", default_config={})
def make_gazetteer(nlp: Language, name: str) -> Gazetteer:
    return Gazetteer(nlp, name)


def _gkey(text: str) -> str:
    """Gazetteer key: lower case, letters and digits only ("Kwik-E-Mart" -> "kwikemart")."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


class Gazetteer:
    """Known customers (names, aliases, distinctive short forms), case- and punctuation-insensitive.

    A dict from a key (lower-case letters and digits of the surface) to the customer id, matched
    against every n-gram (up to ``max_tokens``) of the message: building is linear and cheap
    (100,000 customers in about a second), matching costs a few dict look-ups per token, and
    ``set_customers`` replaces it wholesale without touching the rest of the pipeline.
    """

    max_tokens = 6

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.nlp = nlp
        self._state: tuple[
            dict[str, int], dict[int, str], dict[str, tuple[list[str], list[int]]], frozenset[str]
        ] = ({}, {}, {}, frozenset())

    @property
    def size(self) -> int:
        return len(self.names)

    def set_customers(self, customers: Iterable[tuple[int, str, Sequence[str]]]) -> None:
        names: dict[int, str] = {}
        exact: dict[str, set[int]] = {}
        short: dict[str, set[int]] = {}
        for customer_id, name, aliases in customers:
            cid = int(customer_id)
            names[cid] = str(name)
            for surface in [name, *(aliases or ())]:
                words = str(surface).lower().split()
                key = _gkey(str(surface))
                if not key:
                    continue
                exact.setdefault(key, set()).add(cid)
                core = [w for w in words if w.strip(".,") not in CORP_WORDS]
                if core and len(core) < len(words):
                    short.setdefault(_gkey(" ".join(core)), set()).add(cid)
                if (
                    len(words) > 1
                    and len(words[0]) >= 4
                    and words[0] not in GENERIC_WORDS
                    and words[0] not in CORP_WORDS
                ):
                    short.setdefault(_gkey(words[0]), set()).add(cid)
        keys: dict[str, int] = {}
        for key, ids in exact.items():
            if len(ids) == 1:
                keys[key] = next(iter(ids))
        for key, ids in short.items():
            if key not in exact and len(ids) == 1:
                keys[key] = next(iter(ids))
        buckets: dict[str, tuple[list[str], list[int]]] = {}
        for key, cid in keys.items():
            b = buckets.setdefault(key[0], ([], []))
            b[0].append(key)
            b[1].append(cid)
        # first words several names share ("apex" of Apex Brewing and Apex Devices): a name,
        # though not one customer's
        shared = frozenset(k for k, ids in short.items() if len(ids) > 1 and " " not in k)
        # one assignment: a parse running in another thread sees the old or the new set, never a mix
        self._state = (keys, names, buckets, shared)

    @property
    def keys(self) -> dict[str, int]:
        return self._state[0]

    @property
    def names(self) -> dict[int, str]:
        return self._state[1]

    @property
    def _buckets(self) -> dict[str, tuple[list[str], list[int]]]:
        return self._state[2]

    def starts_names(self, word: str) -> bool:
        """Whether several known names start with this word (a name, but whose is a question)."""
        return _gkey(word) in self._state[3]

    def fuzzy(self, text: str, cutoff: float = 86.0) -> tuple[int, str] | None:
        """Closest known surface for a candidate name (typos), or None."""
        key = _gkey(text)
        if not key or len(key) < 4:
            return None
        _, names, buckets, _ = self._state
        bucket = buckets.get(key[0])
        if not bucket:
            return None
        from rapidfuzz import fuzz, process

        hit = process.extractOne(key, bucket[0], scorer=fuzz.ratio, score_cutoff=cutoff)
        if not hit:
            return None
        cid = bucket[1][hit[2]]
        return cid, names.get(cid, "")

    def __call__(self, doc: Doc) -> Doc:
        keys = self._state[0]
        if not keys:
            return doc
        n = len(doc)
        parts = [_gkey(t.text) for t in doc]
        spans = []
        i = 0
        while i < n:
            if not parts[i]:
                i += 1
                continue
            best = None
            acc = ""
            for j in range(i, min(n, i + self.max_tokens)):
                acc += parts[j]
                if not parts[j] and j > i and doc[j].text not in ("-", "&", ".", "'", "'s"):
                    break
                cid = keys.get(acc) if parts[j] else None
                if cid is not None:
                    best = (j + 1, cid)
            if best is not None:
                end, cid = best
                single = end - i == 1
                tok = doc[i]
                if single and not tok.text[:1].isupper() and tok.lower_ in _COMMON_FOR_GAZ:
                    i += 1
                    continue
                spans.append(Span(doc, i, end, label="CUSTOMER", kb_id=str(cid)))
                for k in range(i, end):
                    doc[k].norm_ = "__customer__"
                i = end
            else:
                i += 1
        if spans:
            doc.spans["customers"] = spans
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Gazetteer:
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> Gazetteer:
        return self

"""Attribution from the dependency parse, for what the surface rules of ``quotes`` miss.

A speech verb (say, tell, report, allege, point out ...) with a clausal complement
(ccomp) is a statement: the clause is what was said, and the verb's nominal subject
(nsubj), without its appositions or relative clauses, is who said it ("Their
grandmother said she was unaware ...", "A statement from the district says ...").
A verb with no subject of its own speaks for the verb it hangs from ("..., saying it
represents ...", "and said ..."), and one in a relative clause for the noun the clause
belongs to unless it has a subject of its own ("the victim, who police said was not
the intended target": police). The speaker phrase resolves like any other
(``speakers.resolve``); an unnamed noun phrase is kept as written.

The parse is spaCy's (``nlp.parse``), run only on the sentences the rules leave to it
that hold a speech verb form outside quotation marks (the parse attributes by no other
verb): the stage parses those of a whole batch at once, or the extraction workers do.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from storyline.understand import speakers
from storyline.understand.speakers import Context, Found

# parses a list of sentences; nlp.parse in the stage, anything with the same answer in tests
Parser = Callable[[list[str]], list[Any]]

# fmt: off
SPEECH_LEMMAS = frozenset({
    "say", "tell", "add", "state", "explain", "note", "warn", "insist", "argue", "claim",
    "announce", "declare", "reply", "answer", "write", "confirm", "deny", "acknowledge",
    "stress", "recall", "remark", "comment", "admit", "concede", "testify", "complain",
    "shout", "emphasize", "emphasise", "tweet", "post", "report", "posit", "speculate",
    "contend", "maintain", "allege", "suggest", "assert", "mention", "reiterate", "observe",
    "lament", "boast", "conclude", "predict", "caution", "counter", "demand",
    "restate", "repeat", "reaffirm",
})
# speech only with a word after them: "asked that ..." (not "asked whether ..."), "made
# (it) clear ..."
_ASK = frozenset({"ask", "asks", "asked", "asking"})
_MAKE = frozenset({"make", "makes", "made", "making"})
# fmt: on
_IRREGULAR = {"say": ["said"], "tell": ["told"], "write": ["wrote", "written"]}


# speech verbs that are common nouns too ("State Police", "a police report", "the
# claim"): their bare form is taken for a noun, not worth a parse
# fmt: off
_NOUN_TOO = frozenset({
    "state", "report", "claim", "post", "comment", "answer", "note", "counter", "stress",
    "remark", "tweet", "reply", "caution", "boast", "lament", "mention", "demand", "repeat",
})
# fmt: on


def _forms(lemma: str) -> list[str]:
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = [lemma + "s", lemma + "es", stem + "ed", stem + "ing", lemma + lemma[-1] + "ed"]
    if lemma.endswith("y"):
        forms += [lemma[:-1] + "ied", lemma[:-1] + "ies"]
    if lemma not in _NOUN_TOO:
        forms.append(lemma)
    if lemma == "state":
        forms.remove("states")  # "United States", "the States"
    return forms + _IRREGULAR.get(lemma, [])


_SPEECH_FORMS = frozenset(f for lemma in SPEECH_LEMMAS for f in _forms(lemma))
_WORD = re.compile(r"[A-Za-z]+")


def speech_words(text: str, start: int, end: int, quoted: list[tuple[int, int]]) -> int:
    """How many speech verb forms text[start:end] holds outside the quoted spans: a
    sentence without one is not worth parsing, for the parse attributes only by verbs
    outside quotation marks."""
    parts, at = [], start
    for a, b in sorted(quoted):
        if a < end and start < b:
            parts.append(text[at : max(a, at)])
            at = max(at, min(b, end))
    parts.append(text[at:end])
    # a set lookup per word: a regular expression of the 250 forms costs 10 times more
    words = [w.lower() for w in _WORD.findall(" ".join(parts))]
    return sum(
        1
        for i, w in enumerate(words)
        if w in _SPEECH_FORMS
        or (i and w == "out" and words[i - 1][:5] == "point")
        or (i and w == "that" and words[i - 1] in _ASK)
        or (i and w == "clear" and (words[i - 1] in _MAKE or words[i - 2 : i] == ["made", "it"]))
    )


@dataclass(frozen=True, slots=True)
class Speech:
    """A speech verb of a parsed sentence: its candidate speaker phrases, best first, as
    (start, end, is a noun phrase), and the span of its clause when it has one."""

    verb: str
    verb_at: int
    subjects: tuple[tuple[int, int, bool], ...]
    content: tuple[int, int] | None


class Syntax:
    """The parse of an article's speech sentences, made for a sentence when first asked.

    Not a dataclass: it holds a cache filled lazily, so a sentence whose quotes the
    rules attribute alone is never parsed (the parser costs about as much per sentence
    as NER does). Without a parser it parses nothing and records what was asked, so a
    first pass of the rules can tell which sentences to parse in one batch
    (``quotes.first_pass``), handed to the second as ``parsed``.
    """

    def __init__(
        self,
        text: str,
        sentences: list[tuple[int, int]],
        parser: Parser | None,
        parsed: Mapping[str, Any] | None = None,
    ) -> None:
        self.text = text
        self.sentences = sentences
        self.parser = parser
        # sentences parsed beforehand (in a batch, or in an extraction worker), by text:
        # the parser gives a sentence the same parse alone or in any batch
        self.parsed = parsed or {}
        self.asked: list[tuple[int, int]] = []
        self.quoted: list[tuple[int, int]] = []  # spans in quotation marks (set by the rules)
        self._docs: dict[tuple[int, int], Any] = {}
        self._speech: dict[tuple[int, int], list[Speech]] = {}

    def wants(self, start: int, end: int) -> bool:
        """Whether the sentence (start, end) is worth parsing (``speech_words``)."""
        return speech_words(self.text, start, end, self.quoted) > 0

    def doc(self, start: int, end: int) -> Any:
        """The parsed sentence (start, end); None when it holds no speech verb form
        outside quotation marks."""
        if (start, end) not in self._docs:
            self.asked.append((start, end))
            sentence = self.text[start:end]
            if self.parser is None or not self.wants(start, end):
                self._docs[start, end] = None
            elif sentence in self.parsed:
                self._docs[start, end] = self.parsed[sentence]
            else:
                self._docs[start, end] = self.parser([sentence])[0]
        return self._docs[start, end]

    def speech(self, start: int, end: int) -> list[Speech]:
        """The speech verbs of the sentence (start, end), in text order."""
        if (start, end) not in self._speech:
            doc = self.doc(start, end)
            self._speech[start, end] = [] if doc is None else list(speech_of(doc, start))
        return self._speech[start, end]

    def governor(self, start: int, end: int, q_start: int, q_end: int) -> int | None:
        """Where the lowest verb outside the quote (q_start, q_end) that governs the
        quote's first word stands, in the sentence (start, end); None when none does."""
        doc = self.doc(start, end)
        if doc is None:
            return None
        inside = [t for t in doc if q_start <= start + t.idx < q_end and not t.is_punct]
        if not inside:
            return None
        for head in inside[0].ancestors:
            if _is_verb(head) and not q_start <= start + head.idx < q_end:
                return start + head.idx
        return None


def speech_of(doc: Any, base: int) -> Iterator[Speech]:
    """The speech verbs of a parsed sentence that starts at ``base`` in the article."""
    for verb in doc:
        if not _is_speech_verb(verb):
            continue
        subjects = tuple((base + a, base + b, noun) for a, b, noun in _subjects(verb))
        if not subjects:
            continue
        content = _content(verb)
        shifted = (base + content[0], base + content[1]) if content else None
        yield Speech(verb.lower_, base + verb.idx, subjects, shifted)


# the parser's pipeline has no lemmatizer (it costs as much as the parser): verbs are
# known by their Penn tag and speech verbs by their forms
_LEMMA = {form: lemma for lemma in SPEECH_LEMMAS for form in _forms(lemma)}
_BE = frozenset({"be", "is", "are", "was", "were", "been", "being", "am", "'s", "’s", "'re"})


def _is_verb(token: Any) -> bool:
    return bool(token.tag_.startswith("VB") and token.lower_ not in _BE)


def _is_speech_verb(token: Any) -> bool:
    if not _is_verb(token):
        return False
    if (
        token.tag_ == "VB"
        and token.dep_ != "xcomp"
        and not any(c.dep_ in ("aux", "auxpass") for c in token.children)
    ):
        return False  # an imperative: "tell me more", "stand up and say enough is enough"
    if token.lower_ in _ASK:  # "asked that the board delay the vote"
        return any(c.dep_ == "ccomp" and _marked_that(c) for c in token.children)
    if token.lower_ in _MAKE:  # "made clear he still supports ..."
        return _clear(token) is not None
    lemma = _LEMMA.get(token.lower_)
    if lemma == "point":  # "pointed out that"
        return any(c.dep_ == "prt" and c.lower_ == "out" for c in token.children)
    return lemma in SPEECH_LEMMAS


def _marked_that(clause: Any) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)


def _clear(verb: Any) -> Any:
    """The "clear" of "made (it) clear", or None."""
    return next((c for c in verb.children if c.lower_ == "clear"), None)


def _content(verb: Any) -> tuple[int, int] | None:
    """The verb's clause (ccomp) without a leading "that" or marks, as a character span;
    None for a question ("would not say what ...") or a denied verb ("did not say")."""
    clear = _clear(verb) if verb.lower_ in _MAKE else None
    skip = clear.i if clear is not None else -1
    clause = next((c for c in verb.children if c.dep_ == "ccomp" and c.i != skip), None)
    if clause is None and clear is not None:
        # "made it clear that ...": the small model hangs the clause on "clear"
        clause = next((c for c in clear.children if c.dep_ in ("ccomp", "advcl")), None)
    if clause is None:
        # "told a packed courtroom that he weighed ...", "told the students he
        # understands ...": the small model hangs the clause on the object as a relative
        # clause, but one opened by "that" as a mark, or by a subject pronoun after "tell"
        clause = next(
            (
                r
                for o in verb.children
                if o.dep_ in ("dobj", "dative")
                for r in o.children
                if r.dep_ == "relcl" and _told_clause(verb, r)
            ),
            None,
        )
    if clause is None or any(c.dep_ == "neg" for c in verb.children):
        return None
    tokens = list(clause.subtree)
    if tokens[0].lower_ in _QUESTION:
        return None
    tokens = _with_subject(verb, clause, tokens)
    while tokens and (
        tokens[0].is_punct or (tokens[0].dep_ == "mark" and tokens[0].lower_ == "that")
    ):
        tokens.pop(0)
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if len([t for t in tokens if not t.is_punct]) < 3:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _with_subject(verb: Any, clause: Any, tokens: list[Any]) -> list[Any]:
    """ "restated the city would not raise ...": the small model takes the clause's subject
    for the verb's object; a clause with no subject of its own starts at that object (not
    after "tell", whose object is who was told)."""
    if _LEMMA.get(verb.lower_) == "tell" or any(
        c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children
    ):
        return tokens
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or obj.right_edge.i + 1 != clause.left_edge.i:
        return tokens
    return list(obj.subtree) + tokens


def _told_clause(verb: Any, clause: Any) -> bool:
    """Whether a relative clause on a speech verb's object is what was said."""
    if _marked_that(clause):
        return True
    deps = {c.dep_ for c in clause.children}
    subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return (
        _LEMMA.get(verb.lower_) == "tell"
        and subject is not None
        and subject.tag_ == "PRP"
        # "told the story he wrote": the relative clause lacks its object
        and bool(deps & {"dobj", "ccomp", "xcomp", "acomp", "attr", "auxpass"})
    )


_QUESTION = frozenset({"what", "why", "whether", "how", "who", "when", "where", "if", "which"})
_WH = frozenset({"who", "that", "which", "whom", "whose"})
# parts of a subject that are not its name: "Nick Merrill, a Clinton spokesman,",
# "officials interviewed by The Times", "the victim, who ..."
_NOT_NAME = frozenset({"appos", "relcl", "acl", "advcl", "cc", "parataxis"})
# pronouns that name a group kept as written ("Others say", "many see")
_GROUP_PRONOUNS = frozenset({"many", "some", "others", "several", "both", "few", "most"})
# a verb with no subject of its own speaks for the verb (or noun) it hangs from
_HANGS = frozenset({"conj", "advcl", "xcomp", "ccomp", "acl", "relcl"})


def _subjects(verb: Any) -> Iterator[tuple[int, int, bool]]:
    """Candidate speaker phrases of a speech verb, nearest first."""
    node = verb
    for _step in range(4):
        own = [c for c in node.children if c.dep_ == "nsubj" and c.lower_ not in _WH]
        for subject in own:
            yield from _phrases(subject)
        if own:
            return  # "While many have speculated that ..., Bauer said": many speculated
        if node.dep_ == "relcl":
            yield from _phrases(node.head)  # "James, who said that ...": James
            return
        if node.dep_ == "pcomp" and node.head.dep_ == "prep":
            node = node.head.head  # "X closed the meeting by demanding that ...": X
            continue
        if node.dep_ not in _HANGS or node.head.i == node.i:
            return
        node = node.head


def _phrases(token: Any) -> Iterator[tuple[int, int, bool]]:
    """A subject's words without appositions and clauses, then its proper-noun
    apposition ("Her mother Ginger Hansborough" gives "Her mother", then the name)."""
    doc = token.doc
    keep = {t.i for t in token.subtree}
    for child in token.children:
        # "The mayor, amid calls by critics to drop the plan, made clear ...": a phrase
        # set off by a comma is no part of the name
        aside = child.dep_ == "prep" and child.i > token.i and doc[child.i - 1].text == ","
        if child.dep_ in _NOT_NAME or aside:
            keep -= {t.i for t in child.subtree}
    first = last = token.i
    while first - 1 in keep:
        first -= 1
    while last + 1 in keep:
        last += 1
    while first < token.i and (doc[first].lower_ in _WH or doc[first].is_punct):
        first += 1
    while last > token.i and doc[last].is_punct:
        last -= 1
    noun = token.tag_.startswith("NN") or token.lower_ in _GROUP_PRONOUNS
    yield doc[first].idx, doc[last].idx + len(doc[last]), noun
    for child in token.children:
        if child.dep_ == "appos" and child.tag_.startswith("NNP"):
            words = [t for t in child.subtree if not t.is_punct]
            yield words[0].idx, words[-1].idx + len(words[-1]), True


_KEPT_AS_WRITTEN = 8  # words at most in an unnamed speaker kept as written


def speaker(ctx: Context, speech: Speech) -> tuple[str, str | None, bool] | None:
    """The speaker of a speech verb: the first candidate phrase that resolves, else the
    first noun phrase kept as written ("Their grandmother")."""
    for start, end, _noun in speech.subjects:
        resolved = speakers.resolve(ctx, ctx.text[start:end], start, start)
        if resolved:
            return resolved
    for start, end, noun in speech.subjects:
        phrase = ctx.text[start:end]
        if noun and len(phrase.split()) <= _KEPT_AS_WRITTEN:
            return phrase.replace("\u2024", "."), None, False
    return None


def _quoted(ctx: Context, start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in ctx.quoted)


def direct(ctx: Context, start: int, end: int) -> tuple[str, str | None, bool, str] | None:
    """The speaker of a direct quote at (start, end) from its sentence's parse: the
    speech verb outside quotation marks that governs the quote, else the nearest one.
    A quote governed by another verb first ("a source calling it "..."") has none."""
    if ctx.syntax is None:
        return None
    s_start, s_end = next(((a, b) for a, b in ctx.sentences if a <= start < b), (start, start))
    governor = ctx.syntax.governor(s_start, s_end, start, end)
    outside = [
        s
        for s in ctx.syntax.speech(s_start, s_end)
        if not _quoted(ctx, s.verb_at, s.verb_at + 1)
        and (governor is None or s.verb_at == governor)
    ]
    for speech in sorted(outside, key=lambda s: min(abs(s.verb_at - start), abs(s.verb_at - end))):
        resolved = speaker(ctx, speech)
        if resolved:
            return (*resolved, speech.verb)
    return None


def reported(ctx: Context, start: int, end: int) -> list[Found]:
    """Reported clauses of a sentence: each speech verb's clause outside quotation marks
    and outside what the rules found, with its speaker. A sentence where the rules found
    quotes is parsed only when it holds more speech verbs outside quotation marks than
    quotes found ("Harf added that ..., and noted that Kerry "is the first ..."", "He said
    ... and said ..."). (A clause inside a found quote is nested speech, which the gold
    files do not count.)"""
    if ctx.syntax is None:
        return []
    here = [f for f in ctx.found if f.start < end and start < f.end]
    if speech_words(ctx.text, start, end, ctx.quoted) <= len(here):
        return []
    taken: list[tuple[int, int]] = []
    added: list[Found] = []
    used = {_verb_of(ctx, f, start) for f in here if f.kind == "reported"}
    for speech in ctx.syntax.speech(start, end):
        if speech.content is None or _quoted(ctx, *speech.content) or speech.verb_at in used:
            continue
        c_start, c_end = speech.content
        if _quoted(ctx, speech.verb_at, speech.verb_at + 1) or any(
            a < c_end and c_start < b for a, b in taken + [(f.start, f.end) for f in here + added]
        ):
            continue
        resolved = speaker(ctx, speech)
        if resolved is None:
            continue
        text = ctx.text[c_start:c_end].replace("\u2024", ".")
        added.append(Found(text, c_start, c_end, "reported", *resolved, speech.verb))
    return added


def _verb_of(ctx: Context, found: Found, start: int) -> int | None:
    """Where the verb of a reported quote the rules found stands: the last of its form
    before the clause ("X said that ..."), else the first after it ("..., X said")."""
    form = re.compile(rf"\b{re.escape(found.verb)}\b", re.I)
    before = [m.start() for m in form.finditer(ctx.text, start, found.start)]
    after = form.search(ctx.text, found.end)
    return before[-1] if before else (after.start() if after else None)


_SUSPECT = re.compile(
    r"^(?:after|when|while|as|before|since|although|though|because|if|once)\b|"
    r"\b(?:not|never|n't|n’t)\b|,",
    re.I,
)


def _suspect(phrase: str) -> bool:
    """A rule's speaker phrase that may hold more than the speaker: a clause, an
    apposition or a negation ("The Idaho congressman, echoing other conservatives",
    "After reporter Michael Scotto", "The victim, who police", "The sheriff did not")."""
    return bool(_SUSPECT.search(phrase)) or len(phrase.split()) > 6


def recheck(ctx: Context, found: Found) -> Found | None:
    """A quote whose speaker the rules took from a suspect phrase, checked against the
    parse of the same verb: its speaker (and, for reported speech, its clause) when the
    parse names one; None when the parse finds the verb denied or asking."""
    if (
        ctx.syntax is None
        or found.verb == "according to"
        # "a senior official, speaking on condition of anonymity,": the rules know it
        or (found.anonymous and "anonymity" in found.speaker)
        or not _suspect(found.speaker)
    ):
        return found
    s_start, s_end = next(
        ((a, b) for a, b in ctx.sentences if a <= found.start < b), (found.start, found.start)
    )
    doc = ctx.syntax.doc(s_start, s_end)
    same = [
        t
        for t in (doc if doc is not None else [])
        if t.lower_ == found.verb and not _quoted(ctx, s_start + t.idx, s_start + t.idx + 1)
    ]
    if not same:
        return found
    verb = min(same, key=lambda t: abs(s_start + t.idx - found.start))
    if any(c.dep_ == "neg" for c in verb.children):
        return None  # "The sheriff did not say ..."
    speech = next(
        (s for s in ctx.syntax.speech(s_start, s_end) if s.verb_at == s_start + verb.idx), None
    )
    resolved = speaker(ctx, speech) if speech is not None else None
    if resolved is None:
        return found
    name, entity_id, anonymous = resolved
    changed = dataclasses.replace(found, speaker=name, entity_id=entity_id, anonymous=anonymous)
    if found.kind == "reported" and speech is not None and speech.content is not None:
        c_start, c_end = speech.content
        text = ctx.text[c_start:c_end].replace("\u2024", ".")
        changed = dataclasses.replace(changed, text=text, start=c_start, end=c_end)
    return changed

"""Stance extraction on the dependency parse of one sentence at a time.

For every contribution trigger ("troops", "air defence", "coalition of the willing") we walk the
parse upwards to the clause that governs it:

* the **path** (trigger -> ... -> clause head) carries the stance: negation, "rule out",
  "considering", modals, "lead", and the stance predicates ("send", "join", "ready");
* the **actor** is the clause's subject (a country, its capital or institution, a person who
  speaks for it, a pronoun that refers back to one), else a possessive or demonym on the path
  ("Italian troops", "Romania's commitment"), else the subject inherited from the clause above
  (coordinated verbs, participles, relative clauses);
* the **speaker** is the subject of the reporting verb above the clause; a government's claim
  about another country is dropped, as DESIGN.md asks.

DESIGN.md's precedence then picks one stance from all cues that apply.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from pledgewatch import lexicons
from pledgewatch.extract.quantities import find_quantities, is_money, may_mention_money
from pledgewatch.ingest.decode import fold_typography
from pledgewatch.model import Quantity, strongest_stance
from pledgewatch.nlp.gazetteer import Gazetteer, Mention, gazetteer
from pledgewatch.nlp.people import PeopleRegistry, Person, describe_person, role_words

_WORDS = lexicons.words()  # word lists from lexicons/words.yaml

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "expl"}
# Edges that end a clause: above them, cues no longer apply to the trigger.
CLAUSE_EDGES = {"advcl", "ccomp", "parataxis", "relcl"}
RELATIVE_PRONOUNS = {"which", "that", "who", "whom", "whose"}
PRONOUNS_COUNTRY = {"it", "its", "itself"}
PRONOUNS_PERSON = {"he", "she", "him", "her", "his", "hers"}
PRONOUNS_SPEAKER = {"we", "our", "us", "ours", "i", "my", "me"}
# Vocabulary the rules reason with; each list is explained in lexicons/words.yaml.
COUNTRY_NOUNS = frozenset(_WORDS.country_nouns)
GENERIC_GROUP_NOUNS = frozenset(_WORDS.generic_group_nouns)
GENERIC_REFERENTS = frozenset(_WORDS.generic_referents)
ROLE_HEADS = frozenset(_WORDS.role_heads)
SOURCE_NOUNS = frozenset(_WORDS.source_nouns)
CONTROL_VERBS = frozenset(_WORDS.control_verbs)
AID_NOUNS = frozenset(_WORDS.aid_nouns)
MISSION_NOUNS = frozenset(_WORDS.mission_nouns)
MEETING_NOUNS = frozenset(_WORDS.meeting_nouns)
MEMBER_NOUNS = frozenset(_WORDS.member_nouns)
CAUSE_WORDS = frozenset(_WORDS.cause_words)
# Dependents of a path token through which a cue bears on the path ("could contribute",
# "is open to", "did not rule out").
PATH_CUE_DEPS = {"aux", "neg", "advmod", "acomp", "prt", "amod", "attr", "dobj", "xcomp",
                 "auxpass", "npadvmod"}
TIME_PREPOSITIONS = frozenset(_WORDS.time_prepositions)
MOTION_VERBS = frozenset(_WORDS.motion_verbs)
PERMISSION_VERBS = frozenset(_WORDS.permission_verbs)
QUESTION_VERBS = frozenset(_WORDS.question_verbs)
PERSONNEL_CONTRIBUTIONS = {"troops", "peacekeeping"}
PERSON_QUANTITY_CONTRIBUTIONS = {"troops", "peacekeeping", "training", "intelligence", "logistics"}
ITEM_QUANTITY_CONTRIBUTIONS = {"weapons", "air_defence"}
MONEY_QUANTITY_CONTRIBUTIONS = {"funding", "air_defence", "weapons"}


@dataclass(slots=True)
class TriggerHit:
    """A contribution phrase found in a sentence, mapped onto its tokens."""

    contribution: str
    span: Span
    weak: bool
    quantity: Quantity | None = None
    # For a generic referent ("the deployment"), the trigger it stands for.
    origin: TriggerHit | None = None


@dataclass(slots=True)
class RawStance:
    """A stance found in one sentence, before it becomes a `Stance` record."""

    country: str
    contribution: str
    stance: str
    quantity: Quantity | None
    speaker: Person | None
    confidence: float
    # Character offsets of the contribution trigger in the parsed text (for the phase).
    trigger: tuple[int, int] | None = None


@dataclass
class DiscourseState:
    """What earlier sentences of the segment tell the current one (for "it", "he", "we")."""

    people: PeopleRegistry = field(default_factory=PeopleRegistry)
    focus_country: str | None = None
    last_speaker: Person | None = None
    # The current sentence starts inside a quotation opened by an earlier one (set by caller).
    open_quote: bool = False
    # The last mission-like contribution (peacekeeping, monitoring) named in the segment, and
    # the contribution of a question put in the previous sentence (set by caller).
    last_mission: str | None = None
    question_contribution: str | None = None
    # Countries that took a peacekeeping stance earlier in the segment.
    peacekeepers: set[str] = field(default_factory=set)
    # The segment (title included) has named the coalition: "the summit" is its summit.
    coalition_named: bool = False


class Lexicon:
    """Compiled regexes and sets from the lexicon files (built once per process)."""

    def __init__(self) -> None:
        entries = lexicons.triggers()
        self.trigger_info = {}
        for item in entries:
            key = fold_typography(item.phrase).lower()
            self.trigger_info[key] = item
        alternatives = sorted(self.trigger_info, key=len, reverse=True)
        pattern = "|".join(re.escape(a).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?")
                           for a in alternatives)
        self.trigger_re = re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", re.IGNORECASE)
        # keys without spaces or hyphens: the regex accepts "F16", "F-16" and "F 16" alike
        self._normal = {re.sub(r"[\s-]+", "", k): v for k, v in self.trigger_info.items()}
        cue_file = lexicons.cues()
        self.cues = [(re.compile(r"(?<![\w-])(?:" + c.pattern + r")(?![\w-])", re.IGNORECASE), c)
                     for c in cue_file.cues]
        self.predicates = set(cue_file.predicates)
        self.speech_verbs = set(cue_file.speech_verbs)
        self.condition_marks = set(cue_file.condition_marks)
        self.non_actors = set(lexicons.roles().non_actors)
        self.pronoun_re = re.compile(
            r"\b(?:it|its|he|she|his|her|we|our|us|I|my|me|they|their|the (?:country|government|nation|"
            r"republic|kingdom|authorities|administration))\b", re.IGNORECASE)

    def trigger_for(self, text: str) -> lexicons.Trigger | None:
        """The lexicon entry a matched trigger text stands for."""
        return self._normal.get(re.sub(r"[\s-]+", "", fold_typography(text).lower()))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The process-wide compiled lexicon."""
    return Lexicon()


# --------------------------------------------------------------------------------------------
# Cheap pre-parse test


def names_a_contribution(text: str, *, coalition_named: bool = False) -> bool:
    """Cheap test: does `text` name a contribution (a trigger, a sum of money, "such a
    mission", or "the summit" of a coalition the segment names)? A segment that does not
    cannot hold a stance and is not even split."""
    lex = lexicon()
    return bool(lex.trigger_re.search(text) or _MISSION_ANAPHOR.search(text) or (
        coalition_named and _MEETING_ANAPHOR.search(text)) or (
        may_mention_money(text) and any(is_money(q) for q in find_quantities(text))))


def could_hold_stance(text: str, mentions: list[Mention], *,
                      coalition_named: bool = False) -> bool:
    """True if a sentence has a contribution trigger and something that can name an actor.

    This runs on every sentence before parsing, so it only uses regexes: the parser then sees
    only the sentences that can produce a record.
    """
    lex = lexicon()
    if not names_a_contribution(text, coalition_named=coalition_named):
        return False
    # An actor can be a country, a pronoun, or a person (whose government may speak).
    return bool(mentions) or bool(lex.pronoun_re.search(text)) or bool(_NAME.search(text))


# Generic nouns that can stand for a contribution named earlier ("such a mission", "the
# summit" of the coalition): a sentence with one can hold a stance without a trigger.
_MISSION_ANAPHOR = re.compile(
    r"\b(?:such|this|that|the)\s+(?:\w+\s+)?(?:mission|force|operation|deployment)\b", re.IGNORECASE)
_MEETING_ANAPHOR = re.compile(
    r"\b(?:this|that|the|its|their|today's|[A-Z]\w+'s)\s+(?:\w+\s+)?(?:summit|meetings?|call|talks|"
    r"conference|gathering)\b", re.IGNORECASE)
_NAME = re.compile(r"(?<=\w )[A-Z][a-z]+")


# --------------------------------------------------------------------------------------------
# Per-sentence analysis


class SentenceAnalyzer:
    """Finds the stances of one parsed sentence, given the discourse state before it."""

    def __init__(self, doc: Doc, state: DiscourseState, gaz: Gazetteer | None = None) -> None:
        self.doc = doc
        self.state = state
        self.gaz = gaz or gazetteer()
        self.lex = lexicon()
        self.folded = fold_typography(doc.text)
        self.token_country: dict[int, str] = {}
        self.token_kind: dict[int, str] = {}
        self.token_possessive: set[int] = set()
        self._map_mentions()
        self.people_at: dict[int, Person] = {}
        self._last_person_before = state.people.last  # before this sentence's own names
        self._register_people()
        self._quantities: list[Quantity] | None = None
        self._climbs: dict[int, tuple[list[Token], Token, list[Token]]] = {}

    # ---- actors -----------------------------------------------------------------------------

    def _map_mentions(self) -> None:
        for mention in self.gaz.find(self.folded):
            span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            if mention.ambiguous and span.root.ent_type_ not in ("GPE", "NORP", "ORG"):
                continue
            if span.root.ent_type_ == "PERSON" and (
                    mention.kind == "demonym" or self._inside_longer_person(span)):
                continue  # "Luis Montenegro" is a person, not Montenegro
            if len(span) == 1 and span.text in self.state.people.by_key:
                continue  # ... and so is "Montenegro said" once he has been introduced
            for token in span:
                self.token_country[token.i] = mention.code
                self.token_kind[token.i] = mention.kind
            if mention.possessive:
                self.token_possessive.add(span.root.i)

    def quoted(self, token: Token) -> bool:
        """True if `token` stands inside quotation marks (opened here or before the sentence)."""
        return (self.folded[:token.idx].count('"') % 2 == 1) != self.state.open_quote

    def _locative_country(self, before: int) -> str | None:
        """The country (name or capital) of an "In X," phrase opening the sentence."""
        opening = [t for t in self.doc[:before] if not t.is_space][:1]
        for token in opening:  # the sentence must open with it
            if token.lower_ == "in" and token.dep_ == "prep":
                for obj in token.children:
                    code = self.token_country.get(obj.i)
                    if code and self.token_kind.get(obj.i) in ("name", "capital") and \
                            code not in self.lex.non_actors:
                        return code
        return None

    def _inside_longer_person(self, span: Span) -> bool:
        for ent in self.doc.ents:
            if ent.label_ == "PERSON" and ent.start <= span.start and span.end <= ent.end and \
                    len(ent) > len(span):
                return True
        return False

    def _country_of_token(self, token: Token) -> str | None:
        """A country named by a title word: a name, demonym or possessive, not a city."""
        if self.token_kind.get(token.i) in ("capital", "institution"):
            return None
        return self.token_country.get(token.i)

    def _register_people(self) -> None:
        # Names the statistical NER missed but the registry knows ("Babis said", "Merz said").
        for token in self.doc:
            if token.pos_ == "PROPN" and token.i not in self.token_country and \
                    token.ent_type_ != "PERSON" and token.text[:1].isupper():
                person = self.state.people.get(token.text)
                if person and (token.i + 1 >= len(self.doc) or
                               self.doc[token.i + 1].pos_ != "PROPN"):
                    self.people_at[token.i] = self.state.people.remember(person)
        for ent in self.doc.ents:
            if ent.label_ != "PERSON":
                continue
            if all(t.i in self.token_country for t in ent):
                continue
            person = describe_person(ent, self._country_of_token)
            known = self.state.people.get(person.name)
            if person.country is None and known is not None and known.country:
                person.country = known.country  # met before, or an office holder we know
            if person.country is None and person.role and person.official:
                # "In neighboring Latvia, Prime Minister Ieva Ozola said": the place frames
                # the official's country; else the country the story is about so far
                person.country = self._locative_country(ent.start) or \
                    self.state.focus_country
            person = self.state.people.remember(person)
            for token in ent:
                self.people_at[token.i] = person

    def _country_before(self, index: int) -> str | None:
        """The country a pronoun at token `index` most likely refers to."""
        best = None
        for i in range(index - 1, -1, -1):
            code = self.token_country.get(i)
            kind = self.token_kind.get(i)
            if code and code not in self.lex.non_actors and kind == "demonym" and (
                    self.doc[i].head.i in self.people_at or self.doc[i].head.lower_ in ROLE_HEADS):
                best = best or code  # "South Korean President Yoon ... the republic"
            if code and code not in self.lex.non_actors and (
                    kind != "demonym" or self.doc[i].head.lemma_ in COUNTRY_NOUNS):
                token = self.doc[i] if kind != "demonym" else self.doc[i].head
                if token.dep_ in SUBJECT_DEPS or i in self.token_possessive:
                    return code
                best = best or code
        if best:
            return best
        # "The government ... binding guarantees that would oblige German forces to fight":
        # the sentence's own demonym or institution names the government's country
        own = [code for i, code in sorted(self.token_country.items())
               if i > index and code not in self.lex.non_actors
               and self.token_kind.get(i) in ("demonym", "institution")]
        if own and self.doc[index].lemma_ in COUNTRY_NOUNS:
            return own[0]
        if self.state.focus_country:
            return self.state.focus_country
        # "The government is not considering sending Bundeswehr soldiers": nothing before it,
        # so the country the sentence names
        later = [code for i, code in sorted(self.token_country.items())
                 if i > index and code not in self.lex.non_actors]
        return later[0] if later else None

    def _person_before(self, index: int) -> Person | None:
        token = self.doc[index]
        # "Merz said he wouldn't rule it out": the subject of a reported clause is, by default,
        # the person reporting it.
        if token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "ccomp" and \
                token.head.head.lemma_ in self.lex.speech_verbs:
            for child in token.head.head.children:
                if child.dep_ == "nsubj" and child.i in self.people_at:
                    return self.people_at[child.i]
        for i in range(index - 1, -1, -1):
            if i in self.people_at:
                return self.people_at[i]
        return self._last_person_before or self.state.last_speaker

    def resolve(self, token: Token, speaker: Person | None) -> list[str]:
        """The actor codes a noun phrase headed by `token` names (with its conjuncts)."""
        codes: list[str] = []
        for head in [token, *self._conjuncts(token)]:
            code = self._resolve_one(head, speaker)
            if code:
                codes.append(code)
                # "President of Ukraine Volodymyr Zelensky, President of France Emmanuel
                # Macron, and ...": a listed apposition is one more actor
                for appos in head.subtree:
                    if appos.dep_ == "appos" and appos.lower_ in ROLE_HEADS:
                        extra = self._resolve_one(appos, speaker)
                        if extra:
                            codes.append(extra)
            elif head.lower_ in GENERIC_GROUP_NOUNS:
                for child in head.children:
                    if child.dep_ == "prep" and child.lower_ in ("like", "including", "such"):
                        # "countries like New Zealand, Australia, Iceland, and EU members":
                        # every state named in the list (IGOs there only qualify "members")
                        for item in child.subtree:
                            code = self.token_country.get(item.i)
                            if code and self.token_kind.get(item.i) != "demonym" and \
                                    self.gaz.kinds.get(code) == "state":
                                codes.append(code)
                    elif child.dep_ == "appos":
                        codes.extend(self.resolve(child, speaker))
        return list(dict.fromkeys(codes))

    def _conjuncts(self, token: Token) -> list[Token]:
        out = []
        for child in token.children:
            if child.dep_ == "conj":
                out.append(child)
                out.extend(self._conjuncts(child))
        return out

    def _resolve_one(self, token: Token, speaker: Person | None,
                     allow_pronoun: bool = True) -> str | None:
        if token.i in self.token_country:
            kind = self.token_kind[token.i]
            if kind in ("capital",) and not (token.dep_ in SUBJECT_DEPS
                                             or token.i in self.token_possessive):
                return None
            return self.token_country[token.i]
        if token.i in self.people_at:
            person = self.people_at[token.i]
            return person.country if person.official else None
        lower = token.lower_
        if lower == "it" and token.head.lemma_ == "be" and any(
                c.dep_ in ("acomp", "attr") for c in token.head.children) and any(
                c.dep_ in ("xcomp", "ccomp") for c in token.head.children):
            return None  # "it is too soon to say", "it is clear that": no referent
        if allow_pronoun and lower in PRONOUNS_COUNTRY:
            # "Luxembourg, one of NATO's members, said it would contribute": the subject of a
            # reported clause is the one reporting it
            if token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "ccomp" and \
                    token.head.head.lemma_ in self.lex.speech_verbs:
                for child in token.head.head.children:
                    if child.dep_ == "nsubj" and child.i in self.token_country and \
                            self.token_kind.get(child.i) != "demonym":
                        return self.token_country[child.i]
            return self._country_before(token.i)
        if allow_pronoun and lower in PRONOUNS_PERSON:
            person = self._person_before(token.i)
            return person.country if person and person.official else None
        if allow_pronoun and lower in PRONOUNS_SPEAKER:
            person = speaker or self.state.last_speaker
            if person and person.country:
                return person.country
            return None
        if token.pos_ == "PROPN" and token.ent_type_ == "PERSON":
            person = self.state.people.get(token.text)
            if person:
                return person.country if person.official else None
        # Modifiers of a head noun: "Romania's commitment", "the Belgian authorities",
        # "Denmark's Defense Ministry", "Italian Prime Minister Giorgia Meloni".
        if token.lower_ in GENERIC_GROUP_NOUNS:
            return None  # "NATO allies", "European countries" are not one actor
        for child in token.children:
            if child.dep_ in ("poss", "amod", "compound", "nmod") and child.i in self.token_country:
                if self.gaz.kinds.get(self.token_country[child.i]) == "igo" and \
                        token.lemma_ in MEMBER_NOUNS:
                    continue  # "the first NATO country", "an EU member" is not the IGO
                return self.token_country[child.i]
            if child.dep_ == "poss" and child.lower_ in ("his", "her") and allow_pronoun and \
                    token.lemma_ in COUNTRY_NOUNS:
                person = self._person_before(child.i)
                if person and person.country:
                    return person.country
            if child.dep_ == "poss" and child.lower_ in PRONOUNS_COUNTRY and allow_pronoun:
                if token.lemma_ in COUNTRY_NOUNS or token.lemma_ in self.lex.predicates:
                    return self._country_before(child.i)
            if child.dep_ == "compound" and child.i in self.people_at:
                return self.people_at[child.i].country
        # "President of France Emmanuel Macron", "Prime Minister of Great Britain Keir Starmer"
        if token.lower_ in ROLE_HEADS:
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for obj in child.children:
                        code = self._resolve_one(obj, speaker, allow_pronoun=False)
                        if code:
                            return code
        if allow_pronoun and token.lemma_ in AID_NOUNS and token.dep_ in SUBJECT_DEPS and any(
                c.lower_ in ("the", "this") for c in token.children) and \
                not any(c.dep_ in ("poss", "amod", "compound") for c in token.children):
            return self._country_before(token.i)
        if allow_pronoun and token.lemma_ in COUNTRY_NOUNS and any(
                c.lower_ == "the" for c in token.children):
            return self._country_before(token.i)
        return None

    # ---- speakers ---------------------------------------------------------------------------

    def speaker_of(self, clause_head: Token) -> Person | None:
        """The person a clause is reported from: subject of the nearest speech verb above."""
        token = clause_head
        for _ in range(12):
            if token.lemma_ in self.lex.speech_verbs:
                for child in token.children:
                    if child.dep_ in ("nsubj", "nsubjpass"):
                        # "a statement from Number 10, which said: ..."
                        if child.lower_ in RELATIVE_PRONOUNS and token.dep_ == "relcl":
                            child = token.head
                        person = self._person_for(child)
                        if person:
                            return person
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "according":
                    for obj in child.subtree:
                        person = self._person_for(obj)
                        if person:
                            return person
            if token.head.i == token.i:
                break
            token = token.head
        # "..., Tusk said." where the speech verb is a sibling clause
        root = clause_head.sent.root
        if root.lemma_ in self.lex.speech_verbs:
            for child in root.children:
                if child.dep_ in ("nsubj",):
                    return self._person_for(child)
        # A quotation that goes on from an earlier sentence keeps its speaker.
        if self.state.open_quote or self.doc.text.lstrip().startswith('"'):
            return self._last_person_before or self.state.last_speaker
        return None

    def source_of(self, clause_head: Token) -> Person | None:
        """The outermost speaker a clause is attributed to (the sentence's source)."""
        source = None
        token = clause_head
        for _ in range(20):
            if token.lemma_ in self.lex.speech_verbs:
                for child in token.children:
                    if child.dep_ in ("nsubj", "nsubjpass") and \
                            child.lower_ not in RELATIVE_PRONOUNS:
                        source = self._person_for(child) or source
            if token.head.i == token.i:
                break
            token = token.head
        return source

    def _person_for(self, token: Token) -> Person | None:
        if token.i in self.people_at:
            return self.people_at[token.i]
        if token.pos_ == "PROPN" and token.i not in self.token_country:
            name = " ".join(t.text for t in token.subtree if t.pos_ == "PROPN")
            person = self.state.people.get(name) or self.state.people.get(token.text)
            if person:
                return person
        if token.lower_ in PRONOUNS_PERSON:
            return self._person_before(token.i)
        if token.i in self.token_country:
            return Person(name=token.text, country=self.token_country[token.i], official=True)
        # "Romania's interim president, Ilie Bolojan,": the named person in the phrase
        named = [self.people_at[t.i] for t in token.subtree if t.i in self.people_at]
        if named:
            return named[0]
        # "The advisor pointed out": a definite title points back to whoever holds it
        if token.pos_ == "NOUN" and any(c.lower_ == "the" for c in token.children):
            person = self.state.people.by_role(token.lemma_)
            if person:
                return person
        phrase = self.doc[token.left_edge.i:token.right_edge.i + 1].text.strip(" ,")
        role, official = role_words(phrase)
        code = self._resolve_one(token, None, allow_pronoun=False)
        if not code and token.lemma_ in SOURCE_NOUNS:
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ in ("from", "of"):
                    for obj in child.children:
                        code = code or self._resolve_one(obj, None, allow_pronoun=False)
        if code or role or not official:
            return Person(name=phrase, country=code, role=role, official=official)
        return None

    # ---- triggers and cues --------------------------------------------------------------------

    def climb(self, token: Token) -> tuple[list[Token], Token, list[Token]]:
        """`_climb` from `token`, computed once per sentence (absorption and analysis both
        need it)."""
        if token.i not in self._climbs:
            self._climbs[token.i] = _climb(token, self.lex.predicates)
        return self._climbs[token.i]

    @property
    def quantities(self) -> list[Quantity]:
        """Amounts in the sentence (computed once)."""
        if self._quantities is None:
            self._quantities = find_quantities(self.doc.text)
        return self._quantities

    def triggers(self) -> list[TriggerHit]:
        """Contribution phrases in the sentence, plus sums of money (funding)."""
        hits = []
        taken: set[int] = set()
        for match in self.lex.trigger_re.finditer(self.folded):
            entry = self.lex.trigger_for(match.group())
            span = self.doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if entry is None or span is None:
                continue
            hits.append(TriggerHit(entry.contribution, span, entry.weak))
            taken.update(t.i for t in span)
        for quantity in self.quantities:
            span = self.doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
            if span is None or not is_money(quantity) or any(t.i in taken for t in span):
                continue
            hits.append(TriggerHit("funding", span, True, quantity))
        return hits

    def cue_hits(self) -> list[tuple[Token, lexicons.Cue, set[int]]]:
        """(anchor token, cue, token indices covered) for every cue match in the sentence."""
        found = []
        for regex, cue in self.lex.cues:
            for match in regex.finditer(self.folded):
                span = self.doc.char_span(match.start(), match.end(), alignment_mode="expand")
                if span is None:
                    continue
                anchor = span[0] if cue.tag or len(span) == 1 else span.root
                if cue.tag and not re.fullmatch(cue.tag, anchor.tag_):
                    continue
                if cue.stance in ("leading",) and anchor.lower_ == "leading" and \
                        anchor.head.lower_ in ("up",):
                    continue
                found.append((anchor, cue, {t.i for t in span}))
        # "declined to rule out" is one cue, not "declined to" plus "rule out".
        return [hit for hit in found
                if not any(hit[2] < other[2] for other in found)]


def _climb(trigger: Token, predicates: set[str]) -> tuple[list[Token], Token, list[Token]]:
    """Path from the trigger to its clause head, the clause head, and the heads above it.

    The clause head is the first verb (or predicate) on the way up that has a subject, or where
    a clause edge (advcl, relcl, ccomp...) is crossed. `above` continues to the sentence root
    so that subjects and speakers of enclosing clauses can be inherited.
    """
    path = [trigger]
    token = trigger
    while True:
        subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
        relative = subjects and all(c.lower_ in RELATIVE_PRONOUNS for c in subjects) and \
            token.dep_ == "relcl"
        path_ids = {t.i for t in path}
        # "will not allow US troops to be sent": the trigger is the subject of a complement
        # clause; the stance is in the verb that controls it.
        raised = subjects and all(c.i in path_ids for c in subjects) and \
            token.dep_ in ("xcomp", "ccomp") and token.head.lemma_ in CONTROL_VERBS
        if subjects and token.i != trigger.i and not relative and not raised:
            break
        if relative and token.i != trigger.i:
            if token.lemma_ not in predicates:
                break  # "Iceland, which has no armed forces, ...": a description, not a stance
            token = token.head
            path.append(token)
            continue
        if token.head.i == token.i or (token.dep_ in CLAUSE_EDGES and not _gerund_object(token)):
            break
        if token.dep_ == "conj" and token.pos_ in ("VERB", "AUX") and token.i != trigger.i:
            break
        # "the coalition providing arms": the noun, not the sentence subject, does the acting;
        # "its plans to deploy troops" goes on up to whoever holds the plans.
        # "a mission to train drone operators" is the mission's purpose: go on.
        purpose = any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
        if token.dep_ == "acl" and token.head.lemma_ not in predicates and \
                token.i != trigger.i and not purpose:
            break
        token = token.head
        path.append(token)
    above = []
    upper = token
    while upper.head.i != upper.i and len(above) < 20:
        upper = upper.head
        above.append(upper)
    return path, token, above


def _gerund_object(token: Token) -> bool:
    """True for a gerund parsed as an adverbial clause that is really the verb's object:
    "ruled out sending troops", "considers sending" (no comma, no subordinator between)."""
    if token.dep_ != "advcl" or token.tag_ != "VBG" or token.i == 0:
        return False
    if any(c.dep_ in ("mark", "nsubj", "nsubjpass") for c in token.children):
        return False
    before = token.doc[token.i - 1]
    head = token.head
    return before.i == head.i or (before.head.i == head.i and before.dep_ in ("prt", "neg"))


def _clause_tokens(head: Token, keep: Token) -> set[int]:
    """Tokens of the clause headed by `head`, without the coordinated, complement and relative
    clauses that do not contain `keep`; adverbial clauses stay (conditions and circumstances
    belong to the clause they modify)."""
    tokens = {t.i for t in head.subtree}
    for token in head.subtree:
        if token.i == head.i or token.dep_ not in (CLAUSE_EDGES | {"conj"}):
            continue
        if token.dep_ == "conj" and token.pos_ not in ("VERB", "AUX"):
            continue
        sub = {t.i for t in token.subtree}
        if keep.i in sub:
            continue
        if token.dep_ == "advcl":
            continue  # conditions and circumstances belong to the clause they modify
        tokens -= sub
    return tokens


def analyze_sentence(analyzer: SentenceAnalyzer) -> list[RawStance]:
    """All stances of the sentence held by `analyzer`, strongest stance per claim."""
    lex = analyzer.lex
    doc = analyzer.doc
    cue_hits = analyzer.cue_hits()
    results: list[RawStance] = []
    hits = [hit for hit in analyzer.triggers() if _is_contribution(analyzer, hit)]
    hits = _absorb(hits, analyzer.climb)
    # A weak trigger inside a cue is part of the cue ("seeking firm guarantees before ...").
    hits = [h for h in hits if not (h.weak and h.span.root.pos_ != "PRON" and any(
        {t.i for t in h.span} <= covered for _a, _c, covered in cue_hits))]
    trigger_spans = [{t.i for t in h.span} for h in hits if not h.weak or h.quantity]
    hits.extend(_generic_hits(analyzer, hits))
    for hit in hits:
        root = hit.span.root
        contribution = hit.contribution
        path, head, above = analyzer.climb(root)
        # What a country would do in an if-clause is the condition, not its stance; a cause
        # ("in response to Pyongyang's sending of troops") is not one either.
        if _in_condition(head, lex.condition_marks) or any(
                t.lower_ in CAUSE_WORDS for t in path[1:]):
            continue
        # "PURL, under which European countries and Canada pay for American weapons": a relative
        # clause describes the thing it modifies, it is nobody's pledge
        if head.dep_ == "relcl" and not analyzer.resolve(head.head, None) and \
                head.head.i not in analyzer.people_at and any(
                    c.dep_ in SUBJECT_DEPS and c.lower_ not in RELATIVE_PRONOUNS
                    for c in head.children) and _has_relative_word(head):
            continue
        # "a scheme set up to let allies and Canada pay for equipment": who is let do something
        # takes no position by it.
        if head.dep_ in ("ccomp", "xcomp") and head.head.lemma_ in PERMISSION_VERBS and \
                not any(c.dep_ in SUBJECT_DEPS for c in head.head.children
                        if analyzer.resolve(c, None)):
            continue
        # Questions put to a government are not its answer, unless the sentence says the
        # answer is open ("no decision on whether ...": uncertain).
        asked = head.head.lemma_ in QUESTION_VERBS or head.head.lemma_ in lex.speech_verbs
        question = head.dep_ in ("ccomp", "advcl") and asked and any(
            c.lower_ in ("whether", "if") for c in head.children if c.dep_ == "mark")
        if question and not any(c.stance == "uncertain" for _a, c, _cov in cue_hits):
            continue
        # "The UK and France have signaled readiness to send peacekeepers": when the clause's
        # own verb is one of saying, its subject is the actor; only who reports it can differ.
        own_words = head.lemma_ in lex.speech_verbs
        speaker = analyzer.speaker_of(head)  # who said it, for the record
        if own_words:
            above_head = head.head if head.head.i != head.i else None
            reporter = analyzer.speaker_of(above_head) if above_head is not None else None
            source = analyzer.source_of(above_head) if above_head is not None else None
        else:
            reporter, source = speaker, analyzer.source_of(head)
        actors = _actors(analyzer, contribution, path, head, above, speaker)
        if not actors and speaker and speaker.official and speaker.country and \
                _agentless_passive(path, head):
            # 'Babis added that "no money ... will be invested"': the speaker's government
            actors = [speaker.country]
        if not actors:
            continue
        stance, confidence = _stance(analyzer, hit, path, head, cue_hits, trigger_spans)
        if stance is None:
            continue
        quantity = hit.quantity or _quantity_for(analyzer, contribution, root, head)
        if quantity is None and hit.origin is not None:
            origin_root = hit.origin.span.root
            quantity = _quantity_for(analyzer, contribution, origin_root,
                                     analyzer.climb(origin_root)[1])
        companions = [c for c in _companions(analyzer, path, head, speaker) if c not in actors] \
            if contribution == "coalition_membership" else []
        kept_main = False
        for code in actors + companions:
            if code in companions and not kept_main:
                break
            if _at_home(analyzer, root, code):
                continue
            if code in lex.non_actors:
                continue
            # Whose position counts (DESIGN.md): a speaker who is no official, or one
            # government's words about another country, make no stance for that country. The
            # outermost attribution counts too ("a Swedish official said the US signalled...").
            if any(person is not None and (not person.official or
                                           person.country and person.country != code)
                   for person in (reporter, source)):
                continue
            kept_main = True
            results.append(RawStance(code, contribution, stance, quantity, speaker, confidence,
                                     (hit.span.start_char, hit.span.end_char)))
    mission_named = {h.contribution for h in hits} & MISSION_CONTRIBUTIONS

    if analyzer.state.question_contribution in MISSION_CONTRIBUTIONS:
        # "asked whether he supports sending peacekeepers" -> "We do not see Spanish troops":
        # the answer is about what was asked (dev README judgement 2)
        mission_named.add(analyzer.state.question_contribution)
    return _prefer_missions(_merge(results), mission_named, analyzer.state.peacekeepers)


def _prefer_missions(results: list[RawStance], mission_named: set[str],
                     peacekeepers: set[str]) -> list[RawStance]:
    """Troops in a sentence about a peacekeeping (or monitoring) mission are that mission
    (dev README judgement 2), unless the sentence gives them a stance of their own ("will not
    send soldiers ..., though did not rule out a UN peacekeeping mission")."""
    by_key = {(r.country, r.contribution): r for r in results}
    out = []
    for raw in results:
        if raw.contribution == "troops":
            missions = [by_key.get((raw.country, m)) for m in sorted(mission_named)]
            missions = [m for m in missions if m is not None]
            same = [m for m in missions if m.stance == raw.stance]
            if same:
                if same[0].quantity is None and raw.quantity is not None:
                    same[0].quantity = raw.quantity  # "a mission of 10,000 soldiers"
                continue
            # "Romania will not send peacekeeping troops ... Romania will not provide troops":
            # a country already speaking of peacekeeping goes on speaking of it.
            if not missions and ("peacekeeping" in mission_named or raw.country in peacekeepers):
                raw = RawStance(raw.country, "peacekeeping", raw.stance, raw.quantity,
                                raw.speaker, raw.confidence, raw.trigger)
        out.append(raw)
    return out


def _merge(results: list[RawStance]) -> list[RawStance]:
    """One stance per (country, contribution) in a sentence: DESIGN.md's precedence decides
    between the cues of its clauses ("remain the coordinator of the initiative, which delivers
    shells" is leading, not also committed). The amount is kept from whichever claim had one."""
    groups: dict[tuple[str, str], list[RawStance]] = {}
    for raw in results:
        groups.setdefault((raw.country, raw.contribution), []).append(raw)
    merged = []
    for group in groups.values():
        stance = strongest_stance({r.stance for r in group})
        best = next(r for r in group if r.stance == stance)
        quantity = best.quantity or next((r.quantity for r in group if r.quantity), None)
        merged.append(RawStance(best.country, best.contribution, stance, quantity,
                                best.speaker, best.confidence, best.trigger))
    return merged


COMPOUND_HEADS = frozenset(_WORDS.compound_heads)
GROUP_QUALIFIERS = frozenset(_WORDS.group_qualifiers)


def _is_contribution(analyzer: SentenceAnalyzer, hit: TriggerHit) -> bool:
    """False when a trigger phrase does not name support an actor gives: a modifier of another
    noun ("F-16 pilots"), a qualified weak "coalition" ("the drone coalition", "coalition
    government"), or the recipients' or aggressor's own forces ("train Ukrainian soldiers")."""
    root = hit.span.root
    if root.dep_ == "compound" and root.head.lower_ not in COMPOUND_HEADS and hit.quantity is None:
        return False
    if hit.weak and hit.contribution == "coalition_membership" and any(
            c.dep_ in ("compound", "amod", "nmod") and c.lower_ not in GROUP_QUALIFIERS
            for c in root.children):
        return False
    if hit.contribution not in PERSONNEL_CONTRIBUTIONS:
        return True  # "Ukraine's air defence" is what the support is for
    non_actors = analyzer.lex.non_actors
    for token in [*hit.span, *(c for c in root.children if c.dep_ in ("amod", "poss", "compound"))]:
        if analyzer.token_country.get(token.i) in non_actors and \
                analyzer.token_kind.get(token.i) in ("demonym", "name"):
            return False
    return True


# Within one sentence, money named for air defence is air_defence (DESIGN.md: "money earmarked
# for them").
ABSORBED_BY = {"funding": "air_defence"}
# Contributions that a monitoring or peacekeeping mission makes more specific: "personnel for a
# ceasefire-monitoring mission" is that mission, not troops.
MISSION_CONTRIBUTIONS = {"peacekeeping", "other", "training", "logistics", "intelligence"}
# Missions proper, that "such a mission" can point back to.
MISSION_KINDS = {"peacekeeping", "other"}


def _related(a: TriggerHit, b: TriggerHit, climbs: dict[int, tuple]) -> bool:
    """Two triggers are one claim when they share a clause, when one's path runs through the
    other, or when one is nested in the other's noun phrase."""
    path_a, head_a, _ = climbs[id(a)]
    path_b, head_b, _ = climbs[id(b)]
    if head_a.i == head_b.i:
        return True
    a_ids, b_ids = {t.i for t in a.span}, {t.i for t in b.span}
    return bool({t.i for t in path_a} & b_ids or {t.i for t in path_b} & a_ids) or \
        _nested(a.span.root, b.span) or _nested(b.span.root, a.span)


def _absorb(hits: list[TriggerHit], climb) -> list[TriggerHit]:
    """Drop or rename triggers that another trigger of the same claim makes more specific.
    `climb(token)` is the sentence's cached `_climb`."""
    present = {h.contribution for h in hits}
    climbs = {id(h): climb(h.span.root) for h in hits}
    kept = []
    for hit in hits:
        if ABSORBED_BY.get(hit.contribution) in present:
            hit = TriggerHit(ABSORBED_BY[hit.contribution], hit.span, hit.weak, hit.quantity)
            climbs[id(hit)] = climb(hit.span.root)
        drop = False
        for other in hits:
            if other is hit or other.span.start == hit.span.start:
                continue
            if not _related(hit, other, climbs):
                continue
            # "1.9 billion euros in military aid": the amount is what the aid is worth (but
            # "1.5 billion crowns to a mechanism that buys weapons" is money).
            if hit.quantity is not None and other.quantity is None and (
                    _nested(other.span.root, hit.span) or _nested(hit.span.root, other.span)):
                drop = True
            # "Italian troops on the ground for security guarantees": what troops are for is
            # not a second contribution; "a backstop for a European force": nor whom it is for.
            elif _nested(hit.span.root, other.span) and (
                    (other.contribution in PERSONNEL_CONTRIBUTIONS and
                     hit.contribution not in PERSONNEL_CONTRIBUTIONS and not other.weak) or
                    (other.contribution in NESTING_CONTRIBUTIONS and other.quantity is None and
                     other.span.root.pos_ in ("NOUN", "PROPN") and
                     hit.contribution != other.contribution)):
                drop = True
            # "a further IRIS-T SLM unit": the weak noun takes its meaning from the qualifier
            elif hit.weak and _nested(other.span.root, hit.span) and \
                    other.span.root.dep_ == "compound":
                drop = True
            # "F-35 jets to air policing", "fighter jets for air policing": air_defence
            elif hit.contribution == "weapons" and other.contribution == "air_defence" and \
                    not _coordinated(hit.span.root, other.span.root):
                drop = True
        if not drop:
            kept.append(hit)
    return kept


# What is nested in these names their purpose or beneficiary, not a second contribution:
# "a backstop for a European force", "a logistics hub for military aid", "NATO's PURL scheme for
# buying U.S. weapons".
NESTING_CONTRIBUTIONS = {"security_guarantee", "logistics", "funding"}


def _coordinated(a: Token, b: Token) -> bool:
    """True if two tokens are conjuncts of one another ("air defense systems, ammunition")."""
    def chain(token: Token) -> set[int]:
        ids = {token.i}
        while token.dep_ == "conj":
            token = token.head
            ids.add(token.i)
        return ids
    return bool(chain(a) & chain(b))


def _nested(token: Token, span: Span) -> bool:
    """True if `token` sits inside the noun phrase of `span` ("mission of 10,000 soldiers")."""
    ids = {t.i for t in span}
    if token.dep_ == "conj":
        return False  # "troops, weapons or financial resources" are three things
    return token.i in {t.i for t in span.root.subtree} or token.head.i in ids or \
        token.head.head.i in ids


def _has_relative_word(clause: Token) -> bool:
    """True if a clause parsed as relative really has a relative word ("under which ...");
    "told the call that Canada will contribute" is a complement the parser misread."""
    return any(t.lower_ in ("which", "who", "whom", "whose", "where") or
               (t.lower_ == "that" and t.dep_ != "mark")
               for t in clause.subtree if t.i < clause.i)


def _agentless_passive(path: list[Token], head: Token) -> bool:
    """True for a passive clause whose subject is on the path and that names no agent."""
    path_ids = {t.i for t in path}
    if head.lemma_ in MOTION_VERBS and any(c.dep_ == "nsubj" and c.i in path_ids
                                           for c in head.children):
        return True  # "a new batch of Hawk missiles would leave for Ukraine"
    return any(c.dep_ == "nsubjpass" and c.i in path_ids for c in head.children) and \
        not any(c.dep_ == "agent" for c in head.children)


def _at_home(analyzer: SentenceAnalyzer, root: Token, code: str) -> bool:
    """True if the trigger is placed in the actor's own country ("the number of Patriot systems
    in Germany"): its own stock, not a contribution."""
    token = root
    for _ in range(3):
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "inside", "within"):
                for obj in child.children:
                    if analyzer.token_country.get(obj.i) == code:
                        return True
        if token.head.i == token.i or token.dep_ not in ("pobj", "prep", "compound"):
            break
        token = token.head
    return False


def _in_condition(head: Token, condition_marks: set[str]) -> bool:
    """True if the clause headed by `head` is (inside) an if-clause or a provided-that clause."""
    token = head
    for _ in range(6):
        if token.dep_ == "advcl" and any(c.lower_ in condition_marks
                                         for c in token.children if c.dep_ == "mark"):
            return True
        opening = token.doc[token.left_edge.i:token.left_edge.i + 3].text.lower()
        if token.dep_ == "advcl" and opening.startswith(("as long as", "in case", "so long as")):
            return True
        if token.lower_ in ("provided", "providing") and token.dep_ in ("advcl", "prep", "mark"):
            return True
        if token.head.i == token.i or token.dep_ not in ("ccomp", "advcl", "conj", "xcomp"):
            return False
        token = token.head
    return False


def _noun_phrase(token: Token) -> list[Token]:
    """The tokens of a noun's phrase, without the clauses that modify it."""
    out = [token]
    for child in token.children:
        if child.dep_ not in ("relcl", "acl", "advcl", "ccomp", "appos"):
            out.extend(_noun_phrase(child))
    return out


def _generic_hits(analyzer: SentenceAnalyzer, hits: list[TriggerHit]) -> list[TriggerHit]:
    """Generic nouns ("the deployment", "a leading role") that stand for the nearest
    contribution named in the sentence, or the one the paragraph was about."""
    taken = {t.i for hit in hits for t in hit.span}
    generic = []
    for token in analyzer.doc:
        if token.lower_ not in GENERIC_REFERENTS or token.i in taken:
            continue
        if token.dep_ not in ("dobj", "pobj", "attr", "nsubjpass") or (
                token.pos_ == "PRON" and token.dep_ not in ("dobj", "pobj")):
            continue
        if token.lower_ == "that" and token.pos_ != "PRON":
            continue
        if any(t.i in taken for t in _noun_phrase(token)):
            continue  # "the deployment of multinational forces" names its contribution
        nearest = min(hits, key=lambda h: abs(h.span.root.i - token.i), default=None)
        anaphoric = any(c.lower_ in ("such", "this", "that", "the") for c in token.children)
        anaphoric_mission = token.lower_ in MISSION_NOUNS and anaphoric and \
            bool(analyzer.state.last_mission)
        if token.lower_ in MEETING_NOUNS and (anaphoric or any(
                c.dep_ == "poss" for c in token.children)) and analyzer.state.coalition_named:
            # "the summit is co-chaired by France and Britain", "took part in the call"
            contribution = "coalition_membership"
        elif anaphoric_mission:
            # "such a mission" is the mission the story is about (a peacekeeping mission)
            contribution = analyzer.state.last_mission
        elif nearest:
            contribution = nearest.contribution
        else:
            contribution = None
        if contribution is None or (contribution == "coalition_membership" and
                                    token.lower_ not in MEETING_NOUNS):
            continue
        if token.lower_ == "coalition":
            continue
        generic.append(TriggerHit(contribution, analyzer.doc[token.i:token.i + 1], True,
                                  origin=nearest if nearest and not anaphoric_mission else None))
    return generic


def _actors(analyzer: SentenceAnalyzer, contribution: str, path: list[Token], head: Token,
            above: list[Token], speaker: Person | None) -> list[str]:
    """Who holds the stance: the clause subject, else a possessive/demonym on the path, else
    the subject of an enclosing clause."""
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
    # "led by Britain and France": the agent of a passive is its real subject.
    for token in path:
        for child in token.children:
            if child.dep_ == "agent":
                for obj in child.children:
                    codes = analyzer.resolve(obj, speaker) if obj.dep_ == "pobj" else []
                    if codes:
                        return codes
    # "with countries like Britain and France taking a leading role": acl's subject is its noun
    # (a compound "NATO initiative aimed at ..." makes NATO no actor)
    if not subjects and head.dep_ == "acl":
        noun = head.head
        if noun.i in analyzer.token_country or noun.lower_ in GENERIC_GROUP_NOUNS or \
                noun.i in analyzer.people_at or noun.lower_ in ROLE_HEADS or any(
                c.dep_ == "poss" and c.i in analyzer.token_country for c in noun.children):
            subjects = [noun]  # "the Czech prime minister, arriving at the summit"
        else:
            return []
    path_ids = {t.i for t in path}
    blocking_subject = False
    for subject in subjects:
        if subject.lower_ in RELATIVE_PRONOUNS:
            continue
        codes = analyzer.resolve(subject, speaker)
        if codes:
            return codes
        # A named subject that is no country ("Our partners", "European officials") holds the
        # clause: a demonym further down ("Polish troops") does not make Poland the actor.
        if subject.i not in path_ids and subject.pos_ in ("PROPN", "NOUN") and \
                subject.dep_ != "csubj":
            blocking_subject = True
    # Inherit: coordinated verbs, participles, xcomp and relative clauses share a subject
    # ("Speaking after attending the summit, Babis said"); an inherited subject that is no
    # country ("European officials gathered ... to finalize a plan to deploy British troops")
    # holds the clause as an explicit one does.
    real_subjects = [s for s in subjects if s.lower_ not in RELATIVE_PRONOUNS | {"there", "it"}]
    # "Pyongyang's sending of troops", "Romania's commitment to ...": the possessor of an
    # event noun on the path is its actor, before any subject inherited from above.
    if not blocking_subject:
        for token in path[1:] if len(path) > 1 else path:
            for child in token.children:
                if child.dep_ == "poss" and child.i in analyzer.token_country and \
                        token.pos_ == "NOUN":
                    return [analyzer.token_country[child.i]]
                # "the participation of Bulgaria in a peacekeeping mission"
                if child.dep_ == "prep" and child.lower_ == "of" and token.pos_ == "NOUN" and \
                        token.lemma_ in analyzer.lex.predicates:
                    for obj in child.children:
                        if obj.dep_ == "pobj" and obj.i in analyzer.token_country and \
                                analyzer.token_kind.get(obj.i) == "name":
                            return [analyzer.token_country[obj.i]]
    if not blocking_subject and not real_subjects and head.dep_ != "acl":
        codes, blocking_subject = _inherited_subject(analyzer, head, above, speaker)
        if codes:
            return codes
    # "Italian troops", "Romania's commitment": a possessive names the actor of any noun on the
    # path; a demonym only names who troops belong to ("US weapons" says where arms are made).
    if blocking_subject:
        return []
    personnel = contribution in PERSONNEL_CONTRIBUTIONS
    for token in path:
        for child in token.children:
            if child.dep_ not in ("poss", "amod", "compound", "nmod") or \
                    child.i not in analyzer.token_country:
                continue
            possessive = child.i in analyzer.token_possessive or child.dep_ == "poss"
            if analyzer.token_kind.get(child.i) == "capital" and not possessive:
                continue
            if possessive or personnel:
                return [analyzer.token_country[child.i]]
    return []


def _inherited_subject(analyzer: SentenceAnalyzer, head: Token, above: list[Token],
                       speaker: Person | None) -> tuple[list[str], bool]:
    """The subject a subjectless clause shares with the clauses above it: (codes, blocked).
    The subject of a verb of saying is the speaker, not the actor of a reported clause."""
    if head.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in head.children):
        return [], False  # "an agreement ..., aimed at encouraging ...": the participle's
        # subject is the thing described, not the sentence's subject
    child_dep = head.dep_
    for upper in above:
        if child_dep in ("ccomp", "parataxis") and any(
                c.dep_ in SUBJECT_DEPS for c in head.children):
            break
        if upper.lemma_ in analyzer.lex.speech_verbs and \
                analyzer.quoted(head) != analyzer.quoted(upper):
            break  # '"Grateful to Denmark for ...," Rutte wrote': the quote is not Rutte's act
        child_dep = upper.dep_
        subs = [c for c in upper.children if c.dep_ in ("nsubj", "nsubjpass")
                and c.lower_ not in RELATIVE_PRONOUNS]
        for subject in subs:
            codes = analyzer.resolve(subject, speaker)
            if codes:
                return codes, False
        if subs:
            blocked = any(s.pos_ in ("PROPN", "NOUN") for s in subs)
            return [], blocked
    return [], False


COMPANION_VERBS = frozenset(_WORDS.companion_verbs)


def _companions(analyzer: SentenceAnalyzer, path: list[Token], head: Token,
                speaker: Person | None) -> list[str]:
    """Countries that act together with the actor: "together with X", "alongside X", or a
    participle "collaborating with countries like X" on the clause."""
    found: list[str] = []
    anchors = list(path) + [c for c in head.children
                            if c.dep_ == "advcl" and c.lemma_ in COMPANION_VERBS]
    for token in anchors:
        for prep in token.children:
            if prep.dep_ != "prep":
                continue
            lower = prep.lower_
            together = lower == "alongside" or (lower == "with" and (
                token.lemma_ in COMPANION_VERBS or
                any(c.lower_ in ("together", "along") for c in prep.children) or
                prep.i > 0 and analyzer.doc[prep.i - 1].lower_ in ("together", "along")))
            if not together:
                continue
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    found.extend(analyzer.resolve(obj, speaker))
    return found


def _stance(analyzer: SentenceAnalyzer, hit: TriggerHit, path: list[Token], head: Token,
            cue_hits, trigger_spans: list[set[int]]) -> tuple[str | None, float]:
    """The stance a trigger's path and clause express, by DESIGN.md's precedence."""
    lex = analyzer.lex
    clause = _clause_tokens(head, hit.span.root)
    if head.dep_ in ("ccomp", "csubj") and head.head.lemma_ not in lex.speech_verbs and \
            head.head.lemma_ not in QUESTION_VERBS:
        # "This could mean that we will declare forces", "Whether we join depends on ...":
        # the governing verb's modal, negation or condition bears on the claim.
        governor = head.head
        path = [*path, governor]
        clause |= {governor.i} | {c.i for c in governor.children if c.dep_ in ("prep", "prt")}
    path_ids = {t.i for t in path}
    stances: set[str] = set()
    consumed_neg: set[int] = set()
    # "spoke after the Paris summit of the coalition": a meeting named only as a time is no
    # membership (dev README judgement 5); "after attending the summit" still is.
    if hit.contribution == "coalition_membership":
        for token in path[1:]:
            if token.pos_ == "VERB" and token.lemma_ in lex.predicates:
                break
            if token.lower_ in TIME_PREPOSITIONS:
                return None, 0.0
    # The predicate must be the clause's own verb or a verb/adjective under it: in "Yoon
    # denounced North Korea's troop dispatch" the noun "dispatch" commits nobody.
    # "There will be no American boots on the ground": presence said outright
    existential = head.lemma_ == "be" and any(c.dep_ == "expl" for c in head.children)
    has_predicate = existential or head.lemma_.lower() in lex.predicates or any(
        t.lemma_.lower() in lex.predicates and (
            t.pos_ in ("VERB", "AUX", "ADJ") or t.dep_ in ("attr", "acomp"))
        for t in path if t.i != hit.span.root.i)
    negations = _negations(path, analyzer.doc)
    for anchor, cue, covered in cue_hits:
        if any(covered <= span for span in trigger_spans) or covered <= {t.i for t in hit.span}:
            continue  # "coalition of the willing" is a name, not willingness
        if cue.scope == "path":
            doc = analyzer.doc
            applies = bool(covered & path_ids) or any(
                doc[i].head.i in path_ids and doc[i].dep_ in PATH_CUE_DEPS for i in covered)
        elif cue.scope == "clause":
            applies = bool(covered & clause)
        else:
            applies = True
        if not applies:
            continue
        negs_in_cue = {n for n in negations if n in covered}
        cue_negated = [n for n in negations if n not in covered and n not in consumed_neg and
                       (analyzer.doc[n].head.i == anchor.i or
                        analyzer.doc[n].head.i in covered or
                        analyzer.doc[n].head.i == anchor.head.i and anchor.dep_ in ("aux",))]
        consumed_neg |= negs_in_cue
        if cue.stance == "none" and anchor.dep_ in ("acl", "advcl", "amod", "relcl"):
            continue  # "the minister, asked about the jets, said ...": a question frame
        if cue.stance == "none":
            return None, 0.0  # "Britain should be prepared to ...": advice, not a position
        if cue.negated and cue_negated:
            stances.add(cue.negated)
            consumed_neg.add(cue_negated[0])
        else:
            stances.add(cue.stance)
    # A weak trigger ("coalition", "forces") must head its own phrase ("coalition partners" and
    # "coalition government" are something else) and sit close to its predicate.
    weak_ok = not hit.weak or (hit.span.root.dep_ != "compound" and len(path) <= 6)
    if not stances and not (has_predicate and weak_ok):
        return None, 0.0
    if not stances:
        stances.add("committed")
    remaining = [n for n in negations if n not in consumed_neg]
    if remaining:
        flipped = set()
        for stance in stances:
            flipped.add({"committed": "ruled_out", "considering": "ruled_out",
                         "leading": "ruled_out", "conditional": "ruled_out"}.get(stance, stance))
        stances = flipped
    chosen = strongest_stance(stances)
    confidence = 0.8 if len(stances) == 1 else 0.65
    return chosen, confidence


def _negations(path: list[Token], doc: Doc) -> list[int]:
    """Negation tokens governing the path: "not", "never", "no" determiners."""
    found = []
    for token in path:
        # "he cannot forbid them, nor can he send troops": "nor" hangs on the first conjunct
        if token.dep_ == "conj":
            found.extend(c.i for c in token.head.children
                         if c.dep_ in ("cc", "preconj") and c.lower_ in ("nor", "neither")
                         and c.i < token.i)
        for child in token.children:
            if child.dep_ == "neg" or (child.lower_ == "never" and child.dep_ == "advmod") or \
                    child.lower_ in ("nor", "neither"):
                found.append(child.i)
            elif child.dep_ == "det" and child.lower_ == "no":
                found.append(child.i)
    return found


def _quantity_for(analyzer: SentenceAnalyzer, contribution: str, root: Token,
                  head: Token) -> Quantity | None:
    """The amount in the trigger's clause that can measure this contribution."""
    clause = {t.i for t in head.subtree}
    best = None
    for quantity in analyzer.quantities:
        span = analyzer.doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
        if span is None or not ({t.i for t in span} & clause):
            continue
        money = is_money(quantity)
        if money and contribution not in MONEY_QUANTITY_CONTRIBUTIONS:
            continue
        if quantity.unit == "personnel" and contribution not in PERSON_QUANTITY_CONTRIBUTIONS:
            continue
        if quantity.unit == "items" and contribution not in ITEM_QUANTITY_CONTRIBUTIONS:
            continue
        distance = abs(span.root.i - root.i)
        if best is None or distance < best[0]:
            best = (distance, quantity)
    return best[1] if best else None


def update_state(analyzer: SentenceAnalyzer, stances: list[RawStance]) -> None:
    """Carry the sentence's focus country and speaker forward to the next sentence."""
    state = analyzer.state
    for token in analyzer.doc:
        code = analyzer.token_country.get(token.i)
        if code and code not in analyzer.lex.non_actors and (
                token.dep_ in SUBJECT_DEPS or token.i in analyzer.token_possessive) and \
                analyzer.token_kind.get(token.i) != "demonym":
            state.focus_country = code
    for stance in stances:
        state.focus_country = stance.country
        if stance.contribution == "peacekeeping":
            state.peacekeepers.add(stance.country)
    root = analyzer.doc[:].root
    if root.lemma_ in analyzer.lex.speech_verbs:
        speaker = analyzer.speaker_of(root)
        if speaker:
            state.last_speaker = speaker


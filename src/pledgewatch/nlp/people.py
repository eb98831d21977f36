"""People and their roles: who a speaker is and which government, if any, they speak for.

"Cristian Diaconescu, the Romanian president's advisor on defense" and "Italian Prime Minister
Giorgia Meloni" both bind a PERSON entity to a country through the words around the name: the
title before it (compound and modifier tokens), an apposition after it, or "of <country>" in
the title. A person seen once is remembered by surname for the rest of the document, so a later
"Meloni said" or "he said" still resolves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span, Token

from pledgewatch import lexicons


@dataclass(slots=True)
class Person:
    """A named person and what the text says about their office."""

    name: str
    country: str | None = None
    role: str | None = None
    official: bool = True


@lru_cache(maxsize=1)
def _role_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    roles = lexicons.roles()

    def compile_(words: list[str]) -> re.Pattern[str]:
        alternatives = sorted((re.escape(w) for w in words), key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)

    return compile_(roles.official), compile_(roles.unofficial)


def role_words(text: str) -> tuple[str | None, bool]:
    """The role named in `text` and whether it speaks officially. The last title wins: in
    "the Romanian president's advisor" the head noun, the advisor, is the role."""
    official, unofficial = _role_patterns()
    if unofficial.search(text):
        return unofficial.search(text).group().lower(), False
    found = official.findall(text)
    if not found:
        return None, True
    return found[-1].lower(), True


@lru_cache(maxsize=1)
def _known_people() -> dict[str, lexicons.KnownPerson]:
    index: dict[str, lexicons.KnownPerson] = {}
    for person in lexicons.known_people():
        for name in (person.name, *person.aliases):
            index.setdefault(name, person)
            index.setdefault(name.split()[-1], person)
    return index


@dataclass
class PeopleRegistry:
    """Persons met so far in a document, found by full name or surname."""

    by_key: dict[str, Person] = field(default_factory=dict)
    last: Person | None = None
    recent: list[Person] = field(default_factory=list)

    def remember(self, person: Person) -> Person:
        """Store or merge `person`; later mentions fill in what earlier ones lacked."""
        known = self.get(person.name)
        if known and known.name not in self.by_key and known.name.split()[-1] not in self.by_key:
            # an office holder from people.yaml, met for the first time in this document
            person.country = person.country or known.country
            person.role = person.role or known.role
            known = None
        if known:
            known.country = known.country or person.country
            known.role = known.role or person.role
            known.official = known.official and person.official
            person = known
        else:
            parts = person.name.split()
            self.by_key[person.name] = person
            if len(parts) > 1:
                self.by_key.setdefault(parts[-1], person)
        self.last = person
        if person in self.recent:
            self.recent.remove(person)
        self.recent.append(person)
        return person

    def by_role(self, noun: str) -> Person | None:
        """The most recent person whose role names `noun` ("the advisor", "the minister")."""
        for person in reversed(self.recent):
            if person.role and noun.lower() in person.role.lower():
                return person
        return None

    def get(self, name: str) -> Person | None:
        """The person known by this full name or surname (met in this document, else an
        office holder from people.yaml)."""
        name = name.removesuffix("'s").removesuffix("'").strip()
        parts = name.split()
        for key in (name, parts[-1] if parts else ""):
            if key in self.by_key:
                return self.by_key[key]
        for key in (name, parts[-1] if parts else ""):
            known = _known_people().get(key)
            if known:
                return Person(known.name, known.country, known.role, True)
        return None


def describe_person(ent: Span, country_of_token) -> Person:
    """Build a Person for a PERSON entity from its title and apposition.

    `country_of_token(token)` returns the actor code a single token names, if any (demonym,
    country name, possessive).
    """
    doc = ent.doc
    head = ent.root
    context: list[Token] = []
    # Title words before the name: the left part of the name's own subtree, plus a title noun
    # the name is attached to ("President of France Emmanuel Macron").
    left = head.left_edge.i
    context.extend(doc[left:ent.start])
    for child in head.children:
        if child.dep_ == "appos" or (child.dep_ in ("prep",) and child.text.lower() == "of"):
            context.extend(child.subtree)
    if head.dep_ == "appos":
        context.extend(t for t in head.head.subtree if t.i < ent.start or t.i >= ent.end)
    elif head.dep_ in ("compound",) and head.head.i >= ent.end:
        context.extend(doc[ent.end:head.head.i + 1])
    # Window fallback: the run of title-like tokens right before the name ("Danish defense
    # minister"), stopping at a verb, a clause boundary or a place ("in Paris").
    window_start = ent.start
    while window_start > max(ent.sent.start, ent.start - 6):
        token = doc[window_start - 1]
        if token.pos_ not in ("PROPN", "ADJ", "NOUN", "PART", "DET") and token.lower_ != "of":
            break
        window_start -= 1
    for token in doc[window_start:ent.start]:
        if token not in context:
            context.append(token)
    country = None
    for token in sorted(context, key=lambda t: -t.i):
        code = country_of_token(token)
        if code:
            country = code
            break
    role_text = " ".join(t.text for t in sorted(context, key=lambda t: t.i)
                         if t.i < ent.start and t.i >= window_start)
    appos = [c for c in head.children if c.dep_ == "appos"]
    appos_text = doc[appos[0].left_edge.i:appos[0].right_edge.i + 1].text if appos else ""
    role, official = role_words(role_text + " " + appos_text)
    # The apposition says best who someone is ("the Romanian president's advisor on defense");
    # a title before the name is reduced to its role words.
    if appos_text and role:
        role = re.sub(r"^(?:the|a|an)\s+", "", appos_text.strip(" ,"), flags=re.IGNORECASE)
    name = ent.text.removesuffix("'s").removesuffix("’s").strip()
    return Person(name=name, country=country, role=role, official=official)

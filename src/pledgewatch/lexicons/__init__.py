"""Loading and validating the YAML lexicons that hold the extractor's knowledge.

Every file is checked against a pydantic schema with `extra="forbid"` at load time, so a typo
in a key fails loudly instead of silently disabling a rule.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from pledgewatch.errors import LexiconError
from pledgewatch.model import CONTRIBUTIONS, STANCES

LEXICON_DIR = Path(__file__).parent


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CountryEntry(_Strict):
    code: str
    kind: Literal["state", "igo"]
    name: str
    aliases: list[str] = []
    demonyms: list[str] = []
    capitals: list[str] = []
    institutions: list[str] = []
    ambiguous: list[str] = []


class Trigger(_Strict):
    """A phrase that names a kind of contribution."""

    phrase: str
    contribution: str
    # The phrase names the contribution only when a stance predicate governs it (e.g. "forces").
    weak: bool = False

    @field_validator("contribution")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in CONTRIBUTIONS:
            raise ValueError(f"unknown contribution {value!r}")
        return value


class Cue(_Strict):
    """A phrase (regex, case-insensitive) that signals a stance where it governs a trigger."""

    pattern: str
    stance: str
    # "path": the cue must sit on the path from the trigger to its actor;
    # "clause": anywhere in the trigger's clause; "sentence": anywhere in the sentence.
    scope: Literal["path", "clause", "sentence"] = "path"
    # A cue that turns into its opposite under negation ("not rule out" -> not_ruled_out).
    negated: str | None = None
    # Only when the cue's first token's fine-grained tag matches this regex (modals: "MD", not
    # the month "May"; "VB[DZP]?" for a finite verb).
    tag: str | None = None

    @field_validator("stance")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in STANCES and value != "none":
            raise ValueError(f"unknown stance {value!r}")
        return value


class CueFile(_Strict):
    cues: list[Cue]
    # Verbs and predicate nouns that commit the subject to what they govern ("send", "pledge").
    predicates: list[str]
    # Verbs of saying that introduce a speaker ("said", "told").
    speech_verbs: list[str]
    # Subordinators that make an if-clause.
    condition_marks: list[str]


class RoleFile(_Strict):
    # Titles that make a person speak for their government ("prime minister", "spokesperson").
    official: list[str]
    # Titles whose holders do not speak for the government ("opposition leader", "analyst").
    unofficial: list[str]
    # Countries that are never the actor of a stance in this domain (the target, the aggressor).
    non_actors: list[str]


class KnownPerson(_Strict):
    """An office holder whose country the text may not spell out."""

    name: str
    country: str
    role: str
    aliases: list[str] = []


def _load(name: str) -> object:
    path = LEXICON_DIR / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LexiconError(f"lexicon {name}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise LexiconError(f"lexicon {name}: {problem}{where}") from None


def _validated(name: str, model, data):
    try:
        return model.model_validate(data) if not isinstance(data, list) else [
            model.model_validate(item) for item in data]
    except ValidationError as exc:
        first = exc.errors()[0]
        raise LexiconError(f"lexicon {name}: {first['loc']}: {first['msg']}") from None


@lru_cache(maxsize=1)
def countries() -> list[CountryEntry]:
    """The gazetteer of states and IGOs."""
    return _validated("countries.yaml", CountryEntry, _load("countries.yaml"))


@lru_cache(maxsize=1)
def triggers() -> list[Trigger]:
    """Contribution trigger phrases, flattened from contributions.yaml."""
    data = _load("contributions.yaml")
    if not isinstance(data, dict):
        raise LexiconError("lexicon contributions.yaml: expected a mapping of contributions")
    items = []
    for contribution, spec in data.items():
        spec = spec or {}
        for phrase in spec.get("strong", []):
            items.append({"phrase": phrase, "contribution": contribution})
        for phrase in spec.get("weak", []):
            items.append({"phrase": phrase, "contribution": contribution, "weak": True})
        unknown = set(spec) - {"strong", "weak"}
        if unknown:
            raise LexiconError(f"lexicon contributions.yaml: {contribution}: unknown keys {unknown}")
    return _validated("contributions.yaml", Trigger, items)


@lru_cache(maxsize=1)
def cues() -> CueFile:
    """Stance cues, stance predicates, speech verbs and condition markers."""
    return _validated("stance_cues.yaml", CueFile, _load("stance_cues.yaml"))


@lru_cache(maxsize=1)
def roles() -> RoleFile:
    """Who speaks for a government, and who never is an actor."""
    return _validated("roles.yaml", RoleFile, _load("roles.yaml"))


@lru_cache(maxsize=1)
def known_people() -> list[KnownPerson]:
    """Office holders from people.yaml."""
    return _validated("people.yaml", KnownPerson, _load("people.yaml"))


class TokenFile(_Strict):
    keep_whole: list[str]


@lru_cache(maxsize=1)
def tokens() -> TokenFile:
    """Tokenizer special cases (words kept whole)."""
    return _validated("tokens.yaml", TokenFile, _load("tokens.yaml"))


class WordFile(_Strict):
    """Word lists of lexicons/words.yaml (each one documented there)."""

    country_nouns: list[str]
    generic_group_nouns: list[str]
    generic_referents: list[str]
    role_heads: list[str]
    source_nouns: list[str]
    control_verbs: list[str]
    aid_nouns: list[str]
    mission_nouns: list[str]
    meeting_nouns: list[str]
    member_nouns: list[str]
    cause_words: list[str]
    time_prepositions: list[str]
    motion_verbs: list[str]
    permission_verbs: list[str]
    question_verbs: list[str]
    compound_heads: list[str]
    group_qualifiers: list[str]
    companion_verbs: list[str]


@lru_cache(maxsize=1)
def words() -> WordFile:
    """Closed-class and domain word lists used by the stance rules."""
    return _validated("words.yaml", WordFile, _load("words.yaml"))


# ---------------------------------------------------------------- ingestion lexicons

class BoilerplatePattern(_Strict):
    """A regex (matched against a whole stripped line) for one kind of page furniture."""

    kind: str
    pattern: str
    # Bylines are told from sentences by their capitalised words, so they match with case.
    case_sensitive: bool = False


_FRAGMENT_REF = re.compile(r"\{\{(\w{1,40})\}\}")


def _expand_fragments(pattern: str, fragments: dict[str, str], depth: int = 0) -> str:
    if depth > 5:
        raise ValueError("fragments nest more than 5 deep")

    def one(match: re.Match[str]) -> str:
        if match.group(1) not in fragments:
            raise ValueError(f"unknown fragment {{{{{match.group(1)}}}}}")
        return _expand_fragments(fragments[match.group(1)], fragments, depth + 1)

    return _FRAGMENT_REF.sub(one, pattern)


class BoilerplateFile(_Strict):
    """lexicons/boilerplate.yaml: what a boilerplate line looks like (documented there)."""

    max_line_chars: int
    fragments: dict[str, str] = {}
    patterns: list[BoilerplatePattern]

    @model_validator(mode="after")
    def _compiles(self) -> BoilerplateFile:
        for item in self.patterns:
            try:
                re.compile(_expand_fragments(item.pattern, self.fragments))
            except (re.error, ValueError) as exc:
                raise ValueError(f"pattern {item.pattern[:60]!r}: {exc}") from None
        return self

    def expanded(self) -> list[tuple[str, BoilerplatePattern]]:
        """Every pattern with its `{{fragment}}` references filled in."""
        return [(_expand_fragments(p.pattern, self.fragments), p) for p in self.patterns]


@lru_cache(maxsize=1)
def boilerplate() -> BoilerplateFile:
    """Patterns of boilerplate lines (cookie banners, share bars, bylines, captions...)."""
    return _validated("boilerplate.yaml", BoilerplateFile, _load("boilerplate.yaml"))


def _check_regexes(values: list[str]) -> list[str]:
    for value in values:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"pattern {value[:60]!r}: {exc}") from None
    return values


class HtmlFile(_Strict):
    """lexicons/html.yaml: how the HTML reader tells teaser lists and page furniture apart."""

    # Regexes searched in an element's "class id" (lower-case) that mark a list of teasers.
    teaser_containers: list[str]
    # Regexes matched against a whole heading's text that announce a list of teasers.
    teaser_headings: list[str]
    # Regexes searched in "class id" that mark navigation: nothing inside becomes a teaser.
    navigation: list[str]
    # Regexes searched in "class id" that mark furniture removed before text extraction.
    furniture: list[str]
    # Tags removed whole before anything is read (their text is never page text).
    drop_tags: list[str]
    # Tags removed before text extraction (navigation, page header and footer, forms).
    furniture_tags: list[str]
    # Regexes searched in "class id" that mark an item's summary (its lede).
    lede_classes: list[str]
    min_headline_words: int
    max_headline_words: int
    max_headline_chars: int
    max_lede_chars: int
    max_teasers: int

    @field_validator("teaser_containers", "teaser_headings", "navigation", "furniture",
                     "lede_classes")
    @classmethod
    def _compiles(cls, values: list[str]) -> list[str]:
        return _check_regexes(values)


@lru_cache(maxsize=1)
def html() -> HtmlFile:
    """Class/id patterns and limits of the HTML reader."""
    return _validated("html.yaml", HtmlFile, _load("html.yaml"))

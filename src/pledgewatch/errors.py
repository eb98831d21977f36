"""Errors that end a command with a clear one-line message instead of a traceback."""
from __future__ import annotations


class PledgewatchError(Exception):
    """Base of every error the CLI reports as one line on stderr with a non-zero exit."""

    exit_code = 2


class InputError(PledgewatchError):
    """An input cannot be read as text: missing, empty, binary, wrongly encoded or too large."""


class LexiconError(PledgewatchError):
    """A lexicon data file does not match its schema."""

    exit_code = 3


class EvalError(PledgewatchError):
    """A gold or prediction file for `pledgewatch eval` is missing or not in a scorable shape."""


class ModelError(PledgewatchError):
    """The English spaCy model is missing or not the pinned version (an installation problem)."""

    exit_code = 3


class StoreError(PledgewatchError):
    """The database cannot be opened, migrated or written (a bad URL, a locked or read-only
    file, a server that does not answer)."""

    exit_code = 4

"""Turn untrusted bytes into text, or say in one line why they are not text."""
from __future__ import annotations

import unicodedata

from pledgewatch.errors import InputError
from pledgewatch.settings import MAX_BINARY_RATIO

# Typographic variants folded to ASCII so that curly and straight quotes find the same things.
# The mapping keeps string length, so character offsets stay valid for the original text.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2212": "-", "\u00a0": " ", "\u2009": " ",
    "\u202f": " ",
})


def fold_typography(text: str) -> str:
    """Same-length ASCII folding of quotes, dashes and spaces (offsets are preserved)."""
    return text.translate(_FOLD)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode `data` as UTF-8 (BOM allowed) and NFC-normalise it.

    Raises InputError for empty, binary or non-UTF-8 input: a wrong guess at an encoding would
    silently corrupt country names, so we refuse rather than replace.
    """
    if not data.strip():
        raise InputError(f"{name}: empty input")
    sample = data[:65536]
    if b"\x00" in sample:
        raise InputError(f"{name}: binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 (byte {exc.start}); convert it to UTF-8 first") from None
    controls = sum(1 for ch in text[:65536] if unicodedata.category(ch) == "Cc"
                   and ch not in "\n\r\t\f")
    if controls > MAX_BINARY_RATIO * min(len(text), 65536):
        raise InputError(f"{name}: binary file (too many control characters), not text")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))

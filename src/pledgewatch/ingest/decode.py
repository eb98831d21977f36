"""Turn untrusted bytes into text, or say in one line why they are not text."""
from __future__ import annotations

import codecs
import unicodedata

from pledgewatch.errors import InputError
from pledgewatch.settings import CHARSET_SAMPLE_BYTES, MAX_BINARY_RATIO, MAX_CHARSET_CHAOS

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


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("'\"")).name
    except LookupError:
        return None


def _detect(data: bytes, name: str) -> str:
    """Decode bytes that are not UTF-8 with charset-normalizer's best guess, or refuse."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:CHARSET_SAMPLE_BYTES]).best()
    if best is None or best.percent_chaos > MAX_CHARSET_CHAOS:
        raise InputError(f"{name}: cannot tell the text encoding (not UTF-8, and no other "
                         "encoding reads cleanly); convert it to UTF-8 first")
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise InputError(f"{name}: not valid {best.encoding} past byte "
                         f"{CHARSET_SAMPLE_BYTES}; convert it to UTF-8 first") from None


def decode_bytes(data: bytes, name: str, declared: str | None = None) -> str:
    """Decode untrusted bytes to NFC text with Unix newlines.

    The order is: a byte-order mark; UTF-8 (a non-ASCII text that decodes as UTF-8 almost
    surely is UTF-8, whatever a header claims); the charset the source declared (HTTP header
    or <meta>), if it decodes cleanly; then charset-normalizer's detection. Binary data (NUL
    bytes outside UTF-16/32, too many control characters) is refused, never "decoded".
    """
    if not data.strip():
        raise InputError(f"{name}: empty input")
    text: str | None = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"{name}: starts with a {codec} byte-order mark but is not "
                                 f"valid {codec}") from None
            break
    if text is None:
        if b"\x00" in data[:65536]:
            raise InputError(f"{name}: binary file (contains NUL bytes), not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            codec = _known_codec(declared)
            if codec and codec != "utf-8":
                try:
                    text = data.decode(codec)
                except UnicodeDecodeError:
                    text = None
            if text is None:
                text = _detect(data, name)
    if not text.strip():
        raise InputError(f"{name}: empty input")
    controls = sum(1 for ch in text[:65536] if unicodedata.category(ch) == "Cc"
                   and ch not in "\n\r\t\f")
    if controls > MAX_BINARY_RATIO * min(len(text), 65536):
        raise InputError(f"{name}: binary file (too many control characters), not text")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))

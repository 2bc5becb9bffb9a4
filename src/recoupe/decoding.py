"""Bytes -> text: byte order marks honoured, strict decoding, mojibake repaired, line ends normalised.

A file that is not text fails with an `InputError(source, reason)`. The text
returned is the original that every later offset points into.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import ftfy
from ftfy.badness import BADNESS_RE
from ftfy.chardata import CONTROL_CHARS

from recoupe.errors import InputError

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters never found in text (tab, newlines and form feed excepted).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# ftfy without the fixes that would rewrite legitimate text: curly quotes and
# ligatures stay as the outlet wrote them.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False)
# Characters on which some step of `_FTFY` acts: HTML entities (&), C1 controls, line
# separators ftfy rewrites, surrogates, and the control characters it removes (ESC included).
_FTFY_TOUCHES = re.compile(
    "[&\x80-\x9f\r\u2028\u2029\ud800-\udfff" + "".join(re.escape(chr(c)) for c in sorted(CONTROL_CHARS)) + "]"
)
# ftfy fixes a text line by line; its mojibake test has one pattern anchored at the text's
# start, which in a line-by-line reading is any line's start.
_LINE_START_MOJIBAKE = re.compile("^[ÃÂ] ", re.MULTILINE)
# ftfy's mojibake pattern (`ftfy.badness.BADNESS_RE`, ftfy 6.3.1) matches at most this many
# characters, one of them at least outside ASCII (every class and literal of it is).
BADNESS_WIDTH = 7
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# UTF-8 read as a Windows code page, left by ftfy when a line mixes broken and
# intact accents (dev 017: "Ă©" for "é" next to a correct "è"). Each broken
# pair is re-decoded alone; a space after the lead byte stands for a lost 0xA0.
_MOJIBAKE_CODECS = ("cp1250", "cp1252")
# A document needs at least this many broken pairs before we touch it: one odd
# pair can be a real name; dev 017 has dozens.
_MIN_MOJIBAKE_PAIRS = 3


def decode(source: str, data: bytes, declared: str | None = None, *, container: bool = False) -> str:
    """Bytes -> repaired text: BOMs honoured, strict decoding, mojibake fixed, line ends normalised.

    A `container` (JSON Lines) may hold binary bytes in one record: its lines are
    checked one by one, so the whole file is not refused for them."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            width = 4 if "32" in encoding else 2 if "16" in encoding else 1
            if len(body) % width:
                raise InputError(source, f"truncated {encoding.upper()} text: {len(body)} bytes after the BOM is not a multiple of {width}")
            text = _strict(source, body, encoding)
            break
    else:
        if b"\x00" in data and not container:
            raise InputError(source, "binary file (NUL bytes) or UTF-16 without a byte order mark")
        text = _decode_without_bom(source, data, declared)
    if container:
        return text.replace("\r\n", "\n")  # each record's fields are checked and repaired alone
    if CONTROL_CHARACTERS.search(text):
        raise InputError(source, "binary file (control characters in decoded text)")
    return repair(text)


def _strict(source: str, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(source, f"invalid {encoding.upper()}: {error.reason} at byte {error.start}") from None


def _decode_without_bom(source: str, data: bytes, declared: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    for encoding in filter(None, (declared, "cp1252")):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError(source, f"undecodable: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) nor cp1252")


def repair(text: str) -> str:
    """Fix mojibake (ftfy, then leftover UTF-8-as-cp1250/cp1252 pairs) and normalise line ends."""
    if not ftfy_leaves_alone(text):
        text = ftfy.fix_text(text, _FTFY)
    for encoding in _MOJIBAKE_CODECS:
        text = _fix_mojibake_pairs(text, encoding)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def ftfy_leaves_alone(text: str) -> bool:
    """True only when `ftfy.fix_text(text, _FTFY)` returns `text` unchanged, checked over the whole text at once.

    ftfy reads a text line by line, each through every fix in Python: most of ingest's
    time on clean text. Each fix is the identity here: no entity to unescape, no
    character it rewrites or removes, no mojibake by its own test (on the whole text,
    which any line's match is part of, and at line starts), already in NFC."""
    return (
        not _FTFY_TOUCHES.search(text)
        and not looks_bad(text)
        and not _LINE_START_MOJIBAKE.search(text)
        and unicodedata.is_normalized("NFC", text)
    )


def looks_bad(text: str) -> bool:
    """`ftfy.badness.is_bad(text)`, searched only around non-ASCII characters.

    A match holds a non-ASCII character and is at most BADNESS_WIDTH long, so it lies
    within that reach of one; on French text that is a few windows instead of every
    position of a pattern of some forty alternatives (its search was most of ingest)."""
    reach = BADNESS_WIDTH - 1
    start = end = -1
    for match in _NON_ASCII.finditer(text):
        position = match.start()
        if position - reach > end:
            if end >= 0 and BADNESS_RE.search(text, start, end):
                return True
            start = max(0, position - reach)
        end = position + reach + 1
    return end >= 0 and BADNESS_RE.search(text, start, end) is not None


def _mojibake_pattern(encoding: str) -> re.Pattern[str]:
    def chars(low: int, high: int) -> str:
        decoded = bytes(range(low, high + 1)).decode(encoding, errors="ignore")
        return re.escape(decoded)

    return re.compile(f"([{chars(0xC2, 0xDF)}])([{chars(0x80, 0xBF)}]| )")


_MOJIBAKE_PATTERNS = {encoding: _mojibake_pattern(encoding) for encoding in _MOJIBAKE_CODECS}


def _fix_mojibake_pairs(text: str, encoding: str) -> str:
    pattern = _MOJIBAKE_PATTERNS[encoding]

    def fix(match: re.Match[str]) -> str:
        lead, follower = match.groups()
        raw = lead.encode(encoding) + (b"\xa0" if follower == " " else follower.encode(encoding))
        try:
            char = raw.decode("utf-8")
        except UnicodeDecodeError:
            return match.group(0)
        if not char.isalpha():
            return match.group(0)
        return char + " " if follower == " " else char

    pairs = [m for m in pattern.finditer(text) if m.group(2) != " "]
    if len(pairs) < _MIN_MOJIBAKE_PAIRS:
        return text
    return pattern.sub(fix, text)

"""decoding.py: bytes -> repaired text, or an InputError naming why not."""

from __future__ import annotations

import codecs
import re

import pytest

from recoupe.decoding import decode, repair
from recoupe.errors import InputError


def test_decoding_strips_the_utf8_bom():
    assert decode("a.txt", codecs.BOM_UTF8 + "Crue à Sommières".encode()) == "Crue à Sommières"


def test_decoding_uses_the_declared_charset_before_cp1252():
    data = "Москва".encode("koi8-r")
    assert decode("a.html", data, "koi8-r") == "Москва"


def test_decoding_falls_back_to_cp1252_when_nothing_is_declared():
    assert decode("a.txt", "Le préfet".encode("cp1252")) == "Le préfet"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (codecs.BOM_UTF16_LE + b"abc", "truncated UTF-16-LE"),
        (b"abc\x00def", "NUL bytes"),
        (b"abc\x01def", "control characters"),
    ],
)
def test_decoding_refuses_what_is_not_text(data, reason):
    with pytest.raises(InputError, match=reason):
        decode("a.bin", data)


def test_repair_normalises_line_ends():
    assert repair("un\r\ndeux\rtrois") == "un\ndeux\ntrois"


# -- the fast path past ftfy ------------------------------------------------------------

import re._parser as sre_parser  # noqa: E402 - the width of ftfy's pattern, read as the engine reads it

import ftfy  # noqa: E402
from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES, is_bad  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from recoupe.decoding import _FTFY, BADNESS_WIDTH, ftfy_leaves_alone, looks_bad  # noqa: E402

# Letters of French and Russian news, mojibake of them (UTF-8 read as cp1252 and cp1250),
# entities, odd line ends, decomposed accents, controls ftfy removes, and plain ASCII.
_TRICKY = st.lists(
    st.sampled_from(
        list("abcdeE .,;:!?'-\n«»’“”–—…éèêàçôîûÉÀÇœŒ°²€™ÃÂâ©®±¤¦§¨ªº¬­ĂĹ")
        + ["Ã©", "Ã¨", "Ã ", "Â ", "â€™", "Ă©", "\u0301", "&amp;", "&#233;", "\r\n", "\r", "\u2028", "\x85", "\ufeff",
           "Ð¿Ñ€Ð¸", "вЂ", "ГўВЂВ", "Москва"]
    ),
    max_size=60,
).map("".join)


def test_ftfys_mojibake_pattern_is_as_narrow_as_the_fast_path_assumes():
    assert sre_parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags).getwidth()[1] <= BADNESS_WIDTH
    for name, characters in MOJIBAKE_CATEGORIES.items():
        assert not re.search(f"[{characters}]", "".join(map(chr, range(128)))), name


@settings(max_examples=3000, deadline=None)
@given(_TRICKY)
def test_looks_bad_is_ftfys_test(text):
    assert looks_bad(text) == is_bad(text)


@settings(max_examples=3000, deadline=None)
@given(_TRICKY)
def test_text_left_alone_is_text_ftfy_would_not_change(text):
    if ftfy_leaves_alone(text):
        assert ftfy.fix_text(text, _FTFY) == text


def test_repair_still_fixes_mojibake_and_entities_past_the_fast_path():
    assert not ftfy_leaves_alone("Le prÃ©fet a parlÃ© &amp; rÃ©pondu")
    assert repair("Le prÃ©fet a parlÃ©") == "Le préfet a parlé"
    assert repair("Ã  Paris\nÃ  Lyon") == ftfy.fix_text("Ã  Paris\nÃ  Lyon", _FTFY)
    assert ftfy_leaves_alone("Le préfet a parlé à Sommières, « sans délai ».")

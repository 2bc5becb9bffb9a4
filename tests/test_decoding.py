"""decoding.py: bytes -> repaired text, or an InputError naming why not."""

from __future__ import annotations

import codecs

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

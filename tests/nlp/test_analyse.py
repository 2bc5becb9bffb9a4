"""Analysis in bounded pieces: a text longer than spaCy accepts is parsed piece by piece, offsets kept."""

from __future__ import annotations

import dataclasses

import pytest

from recoupe.model import RawDocument, SourceFormat
from recoupe.nlp.analyse import analyse, text_pieces
from recoupe.pipeline import run
from recoupe.settings import AnalysisSettings, Settings
from recoupe.store import open_store

from factories import body_document


@pytest.mark.parametrize("limit", [10, 25, 1000])
def test_text_pieces_cover_the_text_at_line_ends_within_the_limit(limit):
    text = "".join(f"Ligne {i} du texte, assez longue pour couper.\n" for i in range(100))
    pieces = text_pieces(text, limit)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
    assert all(end - start <= limit for start, end in pieces)
    if limit >= 100:
        assert all(text[end - 1] == "\n" for _, end in pieces[:-1])


def test_text_pieces_cut_a_text_without_spaces_at_the_limit():
    assert text_pieces("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]


PARAGRAPH = (
    "« Nous fermons le pont {i} », a déclaré mardi le maire de Sommières, Pierre Fabre. "
    "Selon la préfecture du Gard, {n} habitants auraient été évacués des quais.\n"
)


@pytest.mark.model
def test_a_long_text_is_analysed_in_pieces_with_offsets_into_the_whole(tools):
    text = "Crue à Sommières\n\n" + "".join(PARAGRAPH.format(i=i, n=100 + i) for i in range(40))
    document = body_document(text)
    settings = AnalysisSettings(piece_chars=1000)
    [pieced] = analyse([document], tools.toolkit, settings)
    assert len(text) > 5 * settings.piece_chars
    for claim in pieced.claims:
        assert claim.span.text(document) == claim.text
    for mention in pieced.mentions:
        assert text[mention.span.start : mention.span.end].strip()
    last_line = text.rstrip("\n").rsplit("\n", 1)[1]
    assert any(text[s.start : s.end] in last_line for s in pieced.sentences[-2:])
    [whole] = analyse([document], tools.toolkit, AnalysisSettings())
    assert len(pieced.claims) == len(whole.claims) and len(pieced.figures) == len(whole.figures)


@pytest.mark.model
def test_a_text_over_the_parser_limit_is_stored_and_a_failing_document_fails_alone(tools):
    nlp = tools.toolkit.pipelines["fr"]
    limit = nlp.max_length
    text = "Crue à Sommières\n\n" + "".join(PARAGRAPH.format(i=i, n=100 + i) for i in range(30))
    short = "Marseille : grève\n\nEnviron 1 500 dockers ont manifesté mardi sur le port de Marseille, selon la CGT.\n"
    raws = [
        RawDocument("long.txt", text, SourceFormat.TEXT, language="fr"),
        RawDocument("short.txt", short, SourceFormat.TEXT, language="fr"),
    ]
    nlp.max_length = 2000  # stands for spaCy's 1,000,000 (E088) at a test's size
    try:
        pieced = dataclasses.replace(Settings(), analysis=AnalysisSettings(piece_chars=1500))
        report = run(raws, tools=tools, store=open_store("memory://"), settings=pieced)
        assert report.stored == 2 and report.failures == []
        unpieced = dataclasses.replace(Settings(), analysis=AnalysisSettings(piece_chars=100_000))
        report = run(raws, tools=tools, store=open_store("memory://"), settings=unpieced)
        assert report.stored == 1
        assert [(f.source, f.reason.split(" (")[0]) for f in report.failures] == [("long.txt", "analysis failed")]
        assert "E088" in report.failures[0].reason
    finally:
        nlp.max_length = limit

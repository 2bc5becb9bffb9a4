"""Analysis in bounded pieces: a text longer than spaCy accepts is parsed piece by piece, offsets kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from recoupe.model import RawDocument, SourceFormat
from recoupe.nlp.analyse import analyse, light_parse, long_pieces, text_pieces
from recoupe.nlp.quotes import claim_id
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



@pytest.mark.model
def test_an_over_long_text_file_and_jsonl_record_are_stored_beside_good_ones(tools, tmp_path):
    """Issue 13's reproduction at a test's size: an over-long .txt and JSON Lines record in a folder with good articles."""
    import json

    nlp = tools.toolkit.pipelines["fr"]
    limit = nlp.max_length
    long_text = "Crue à Sommières\n\n" + "".join(PARAGRAPH.format(i=i, n=100 + i) for i in range(30))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "big.txt").write_text(long_text, encoding="utf-8")
    records = [{"text": long_text.replace("Sommières", "Quissac"), "url": "https://example.org/long"},
               {"text": "Grève au port\n\nLa police a compté 300 manifestants mardi à Marseille.\n", "url": "https://example.org/short"}]
    (folder / "feed.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    (folder / "good.txt").write_text("Marseille : grève\n\nEnviron 1 500 dockers ont manifesté mardi, selon la CGT.\n", encoding="utf-8")
    nlp.max_length = 2000  # stands for spaCy's 1,000,000 (E088) at a test's size
    try:
        pieced = dataclasses.replace(Settings(), analysis=AnalysisSettings(piece_chars=1500))
        report = run([str(folder)], tools=tools, store=open_store("memory://"), settings=pieced)
    finally:
        nlp.max_length = limit
    assert report.failures == [] and report.stored == 4

# Paragraphs of the kind that made analysis super-linear (issue 13): quotes, named and pronoun
# speakers, "selon", conditionals, places, counts and days, each naming someone met before.
GROWTH_PARAGRAPHS = (
    "« Le pont restera fermé jusqu'à jeudi », a déclaré mardi le maire de Sommières, Pierre Fabre.",
    "Selon la préfecture du Gard, 120 habitants auraient été évacués des quais dans la nuit.",
    "Le préfet, Jean Lambert, a démenti ce chiffre : il parle de 80 personnes. Il a ajouté que l'eau baissait.",
    "« Nous ne lâcherons rien », a affirmé Karim Benali, secrétaire du syndicat des dockers de Marseille.",
    "La police a compté 300 manifestants mercredi ; la CGT en revendique 1 500, d'après son communiqué.",
    "Le ministre de l'Intérieur aurait promis des renforts, a indiqué son entourage à l'AFP lundi soir.",
    "D'après Météo-France, les pluies devraient cesser vendredi sur les Cévennes et l'Hérault.",
    "Pierre Fabre a assuré qu'aucune victime n'était à déplorer. Il a remercié les pompiers de Nîmes.",
)


def _work_of(call) -> int:
    """Python and C function calls made while `call()` runs: a count of work that, unlike a clock,
    does not move with the load of the machine."""
    import sys

    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        calls += event in ("call", "c_call")

    sys.setprofile(count)
    try:
        call()
    finally:
        sys.setprofile(None)
    return calls


def test_work_count_sees_a_quadratic_scan():
    """The measure the growth test relies on: a scan of every pair grows four times when its input doubles."""

    def pairs(n):
        return sum(1 for a in range(n) for b in range(n) if abs(a - b) < 2)

    assert _work_of(lambda: pairs(200)) >= 3.5 * _work_of(lambda: pairs(100))


def _analysis_work(doc, toolkit):
    from recoupe.nlp.analyse import analyse_doc

    document = body_document(doc.text, id="long")
    result = []
    work = _work_of(lambda: result.append(analyse_doc(doc, document, toolkit.rules["fr"], toolkit.gazetteer)))
    return work, result[0]


@pytest.mark.model
def test_analysis_work_at_most_doubles_when_the_text_doubles(tools):
    """Extractors do work linear in the text: twice the paragraphs make at most 2.3 times as many
    function calls (a stage scanning every mention or hedge for every claim makes about 4 times as many).

    Calls are counted, not timed, so a loaded machine cannot fail the test. The paragraphs are parsed
    once and joined (`Doc.from_docs`), so only Recoupe's extractors are counted, not spaCy."""
    from itertools import cycle, islice

    from spacy.tokens import Doc

    parsed = list(tools.toolkit.pipelines["fr"].pipe(p + "\n" for p in GROWTH_PARAGRAPHS))  # one paragraph a line

    def joined(count: int) -> Doc:
        return Doc.from_docs(list(islice(cycle(parsed), count)), ensure_whitespace=True)

    small_work, small = _analysis_work(joined(160), tools.toolkit)
    large_work, large = _analysis_work(joined(320), tools.toolkit)
    assert len(small.claims) >= 100 and len(large.claims) >= 1.9 * len(small.claims)  # the text has substance, twice over
    assert len(large.mentions) >= 1.9 * len(small.mentions)
    assert large_work <= 2.3 * small_work, (small_work, large_work)


# Each paragraph names its own people, places, days and counts, so that a span shifted by the
# wrong offset points at other words.
PIECE_PARAGRAPHS = (
    "« Nous fermons le pont de Sommières », a déclaré mardi le maire, Pierre Fabre.",
    "Selon la préfecture du Gard, 120 habitants auraient été évacués des quais de Nîmes.",
    "Le ministre Gérald Darmanin a affirmé jeudi que 300 gendarmes étaient arrivés à Alès.",
    "D'après Météo-France, les pluies devraient cesser vendredi sur les Cévennes.",
    "« Personne n'est blessé », a assuré Karim Benali, le secrétaire du syndicat à Marseille.",
)


def _piece_text(rounds: int) -> str:
    return "Crue dans le Gard\n\n" + "".join(p + "\n\n" for _ in range(rounds) for p in PIECE_PARAGRAPHS)


def _assert_spans_exact(analysis, document) -> None:
    text = document.text
    assert all(text[m.span.start : m.span.end] == m.text for m in analysis.mentions)
    assert all(text[p.span.start : p.span.end] == p.mention for p in analysis.places)
    assert all(text[t.span.start : t.span.end] == t.text for t in analysis.times)
    assert all(text[f.span.start : f.span.end] == f.text for f in analysis.figures)
    for claim in analysis.claims:
        assert text[claim.span.start : claim.span.end] == claim.text
        assert claim.id == claim_id(document.id, claim.span.start, claim.span.end)
        assert claim.cue is not None and 0 <= claim.cue.start < claim.cue.end <= len(text)
    for hedge in analysis.hedges:
        assert hedge.sentence.start <= hedge.span.start < hedge.span.end <= hedge.sentence.end
    for sentence in analysis.sentences:
        assert text[sentence.start : sentence.end] == text[sentence.start : sentence.end].strip() != ""
    assert all(s.document_id == document.id for s in analysis.sentences)


@pytest.mark.model
def test_pieces_are_parsed_alone_and_their_spans_shifted_exactly(tools):
    """Each piece is a spaCy doc of its own; its spans, moved by the piece's offset, point at the
    same words as when the text is analysed whole (the paragraphs stand alone, so the parse agrees)."""
    document = body_document(_piece_text(4))
    settings = AnalysisSettings(piece_chars=400, full_parse_chars=10**6)
    pieces = text_pieces(document.text, settings.piece_chars)
    assert len(pieces) >= 5
    [pieced] = analyse([document], tools.toolkit, settings)
    [whole] = analyse([document], tools.toolkit, AnalysisSettings())
    _assert_spans_exact(pieced, document)
    last_start = pieces[-1][0]
    assert any(m.span.start >= last_start for m in pieced.mentions)  # the last piece's spans are shifted too
    assert any(c.span.start >= last_start for c in pieced.claims)

    def spans(analysis, name):
        return sorted((x.span.start, x.span.end) for x in getattr(analysis, name))

    for name in ("mentions", "places", "times", "figures", "claims"):
        assert spans(pieced, name) == spans(whole, name), name
    assert [(c.span, c.speaker.name if c.speaker else None, c.hedged) for c in pieced.claims] == [
        (c.span, c.speaker.name if c.speaker else None, c.hedged) for c in whole.claims
    ]


@pytest.mark.model
def test_past_full_parse_chars_a_text_is_parsed_lightly_with_names_and_exact_spans(tools):
    """Past `full_parse_chars` the pieces have no tags or dependencies, but names, places,
    days, counts and sentences are still found, at the right offsets."""
    document = body_document(_piece_text(4))
    settings = AnalysisSettings(piece_chars=400, full_parse_chars=600)
    pieces = long_pieces(document.text, settings)
    assert pieces[0][2] and not pieces[-1][2] and pieces[0][1] <= 600
    light_start = next(start for start, _, full in pieces if not full)
    [light] = analyse([document], tools.toolkit, settings)
    _assert_spans_exact(light, document)
    later = [m for m in light.mentions if m.span.start >= light_start]
    assert {"Pierre Fabre", "Gérald Darmanin", "Karim Benali"} <= {m.text for m in later}
    assert any(p.span.start >= light_start and p.name == "Nîmes" for p in light.places)
    assert any(t.span.start >= light_start for t in light.times)
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", document.text) if m.start() >= light_start]
    assert [(s.start, s.end) for s in light.sentences if s.start >= light_start] == lines  # one sentence a paragraph
    doc = light_parse(tools.toolkit.pipelines["fr"], document.text[light_start:])
    assert not doc.has_annotation("DEP") and doc.has_annotation("ENT_IOB")


def test_words_and_spaces_read_from_the_arrays_are_the_tokens_own():
    import spacy

    from recoupe.nlp.analyse import _words_and_spaces

    doc = spacy.blank("fr").make_doc("« L'eau monte », a-t-il dit.  Ça\n\nva à 3,5 m ? x\u0301 🙂 fin")
    assert _words_and_spaces(doc) == ([t.text for t in doc], [bool(t.whitespace_) for t in doc])


@pytest.mark.model
@pytest.mark.parametrize(
    "settings",
    [AnalysisSettings(), AnalysisSettings(piece_chars=400, full_parse_chars=600)],
    ids=["whole", "pieces, the last ones lightly parsed"],
)
def test_redating_gives_what_analysis_against_that_day_gives_without_a_parse(tools, settings):
    """A document stating no day, analysed, then re-dated against the day its event infers, equals
    the document analysed against that day; re-dating reads the kept phrases, never a pipeline."""
    from recoupe.nlp.analyse import Toolkit, redate

    document = body_document(_piece_text(4), published=None)
    thursday = dt.date(2024, 10, 17)
    [first] = analyse([document], tools.toolkit, settings)
    assert first.times == () and first.time_phrases  # relative days only: nothing resolves without a day
    [expected] = analyse([document], tools.toolkit, settings, references={document.id: thursday})
    unparsable = {code: None for code in tools.toolkit.pipelines}  # calling any of them raises
    toolkit = Toolkit(tools.toolkit.languages, unparsable, tools.toolkit.gazetteer, tools.toolkit.default_language)
    redated = redate(first, document, toolkit, thursday)
    assert redated == expected
    assert {t.text for t in redated.times} >= {"mardi", "jeudi", "vendredi"}
    with pytest.raises(ValueError, match="no time phrases"):
        redate(dataclasses.replace(first, time_phrases=None), document, toolkit, thursday)

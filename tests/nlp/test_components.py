from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy

from recoupe.lang import load_language
from recoupe.nlp import load_pipeline
from recoupe.nlp.components import JOIN_MARKS, LINE_STARTS, join_lone_marks, mark_line_starts


@pytest.fixture(scope="module")
def blank_fr():
    return spacy.blank("fr")


def starts(nlp, text: str) -> list[str]:
    """Tokens the component marks as sentence starts (besides the first)."""
    doc = mark_line_starts(nlp.make_doc(text))
    return [t.text for t in doc[1:] if t.is_sent_start]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Drones sur Koursk\nLe gouverneur a parlé.", ["Le"]),
        ("Titre\n\n  \nLe gouverneur a parlé.", ["Le"]),
        ("12h30 Premier fait.\n12h45 Second fait.", ["12h45"]),
        ("Il a parlé.\n« Nous tenons », dit-il.", ["«"]),
        ("Il n'a pas dit\nqui était là.", []),  # a hard-wrapped sentence
        ("« Nous tenons »\na-t-il dit.", []),  # the incise under its quote
        ("Une phrase. Une autre.", []),  # no line break: left to the parser
    ],
)
def test_components_mark_line_starts(blank_fr, text, expected):
    assert starts(blank_fr, text) == expected


def test_components_pin_the_token_after_an_opening_quote(blank_fr):
    doc = mark_line_starts(blank_fr.make_doc("Il a parlé.\n« Nous tenons », dit-il."))
    quote = next(t for t in doc if t.text == "«")
    assert quote.is_sent_start is True
    assert doc[quote.i + 1].is_sent_start is False


def test_components_blank_pipeline_keeps_line_starts():
    from recoupe.lang import LanguageResources
    from recoupe.lang.records import Meta

    nlp = load_pipeline(LanguageResources("xx", meta=Meta(name="Blank", blank="en")))
    assert nlp.pipe_names.index(LINE_STARTS) < nlp.pipe_names.index("sentencizer")
    assert [s.text.strip() for s in nlp("Drones over Kursk\nThe governor spoke. He left").sents] == [
        "Drones over Kursk",
        "The governor spoke.",
        "He left",
    ]


@pytest.mark.model
def test_components_surround_the_parser(nlp_fr):
    parser = nlp_fr.pipe_names.index("parser")
    assert nlp_fr.pipe_names[parser - 1 : parser + 2] == [LINE_STARTS, "parser", JOIN_MARKS]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Crue historique à Kherson\nLe gouverneur a annoncé deux blessés.",
            ["Crue historique à Kherson", "Le gouverneur a annoncé deux blessés."],
        ),
        (
            "Il est parti.\n« Nous irons jusqu'au bout », a déclaré le ministre.",
            ["Il est parti.", "« Nous irons jusqu'au bout », a déclaré le ministre."],
        ),
        ("« Nous irons »\na-t-il dit.", ["« Nous irons »\na-t-il dit."]),
    ],
)
def test_components_parser_keeps_line_starts(nlp_fr, text, expected):
    assert [s.text.strip() for s in nlp_fr(text).sents] == expected


@pytest.mark.model
@pytest.mark.parametrize(
    "line",
    [
        "(AFP) Le ministre est venu.",
        "« Nous irons », a-t-il dit.",
        "– Le ministre est venu.",
        "• À lire aussi : la crue",
    ],
)
def test_components_keep_an_opening_mark_with_its_line(nlp_fr, line):
    sentences = [s.text.strip() for s in nlp_fr(f"Titre sans point\n{line}").sents]
    assert sentences[0] == "Titre sans point"
    assert sentences[1].startswith(line[:3])


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "ending"),
    [
        ('Il a parlé de la crue." \nLe maire a répondu.', 'crue."'),  # a closing quote after its stop
        (  # an opening quote glued to its first word
            'Il a jugé ces accusations "inacceptables". "Rien ne le prouve", a-t-il dit.',
            '"Rien ne le prouve", a-t-il dit.',
        ),
    ],
)
def test_components_join_lone_marks_to_their_sentence(nlp_fr, text, ending):
    sentences = [s.text.strip() for s in nlp_fr(text).sents]
    assert not [s for s in sentences if len(s) == 1]
    assert any(s.endswith(ending) for s in sentences)


def test_components_join_marks_needs_a_parse(blank_fr):
    doc = blank_fr.make_doc("« \nNous irons")
    assert join_lone_marks(doc) is doc


GLUED = re.compile(r"\n\s*[^\sa-zà-ÿ]")


@pytest.mark.model
def test_components_no_sentence_runs_into_a_new_line_on_the_seeds(nlp_fr):
    """Measured on seeds + dev: 98 of 940 sentences ran on past a line break without the components, 0 with
    them; 41 sentences were punctuation alone, 1 with them (a "," alone on its line)."""
    corpus = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "seeds" / "articles"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus/seeds is not available")
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    sentences = [s for doc in nlp_fr.pipe(texts) for s in doc.sents]
    assert [s.text[:60] for s in sentences if GLUED.search(s.text.strip())] == []
    marks_alone = [s.text for s in sentences if all(t.is_punct or t.is_space for t in s) and not s.text.isspace()]
    assert marks_alone == []

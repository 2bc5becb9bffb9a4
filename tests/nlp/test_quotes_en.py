"""English claims under the same rules as French, with lang/en/ data (en_core_web_sm parses)."""

from __future__ import annotations

import pytest

from recoupe.lang import load_language
from recoupe.model import Document, Polarity, Segment, SegmentKind, SourceFormat
from recoupe.nlp.entities import Rules, find_mentions
from recoupe.nlp.hedges import find_hedges
from recoupe.nlp.quote_lexicon import QuoteLexicon
from recoupe.nlp.quotes import find_claims

pytestmark = pytest.mark.model

EN = load_language("en")
LEXICON = QuoteLexicon.from_resources(EN)
ENTITIES = Rules.from_resources(EN)


def claims(nlp_en, text: str):
    document = Document(
        id="d", content_hash="h", source="t.txt", text=text, format=SourceFormat.TEXT,
        segments=(Segment(0, len(text), SegmentKind.BODY),), language="en",
    )
    doc = nlp_en(text)
    return find_claims(doc, document, find_mentions(doc, document, ENTITIES), find_hedges(doc, document, EN), LEXICON)


def said(found) -> list[tuple[str, str]]:
    return [(c.speaker.name if c.speaker else "", c.text) for c in found]


def test_quotes_en_subject_after_a_closing_quote(nlp_en):
    found = claims(nlp_en, "“A fuel tank exploded near the ferry pier,” the regional rail operator said.")
    assert said(found) == [("regional rail operator", "A fuel tank exploded near the ferry pier")]


def test_quotes_en_incise_with_the_subject_first_takes_the_sentence_before(nlp_en):
    text = "Bus services were halted, while ferries were to restart at noon, Mayor Tomas Lind said on Telegram."
    ((speaker, content),) = said(claims(nlp_en, text))
    assert speaker.endswith("Tomas Lind") and content.startswith("Bus services were halted")


def test_quotes_en_inverted_said_name(nlp_en):
    found = claims(nlp_en, "Police made more than 80 arrests overnight, said Interior Minister Clara Voss.")
    assert [s for s, _ in said(found)] == ["Clara Voss"]  # narrowed to the person's name, as in French


def test_quotes_en_told_takes_the_clause_never_the_audience(nlp_en):
    found = claims(nlp_en, "“Nothing justifies this,” Senator Ana Ruiz told reporters. Ruiz told the crowd that the bridge would reopen.")
    assert ("Ana Ruiz", "Nothing justifies this") in said(found)
    assert all("reporters" not in text and text != "the crowd" for _, text in said(found))
    assert any(text.startswith("the bridge would reopen") for _, text in said(found))


def test_quotes_en_possessive_spokesman_is_the_speaker(nlp_en):
    found = claims(nlp_en, "The ministry's spokesman said the convoy had reached the border.")
    assert said(found) == [("ministry's spokesman", "the convoy had reached the border")]


def test_quotes_en_according_to_attributes_without_hedging(nlp_en):
    # "according to X" names the source; like "selon X" it is no hedge by itself (issue 10)
    (claim,) = claims(nlp_en, "According to the port authority, two cranes collapsed in the storm.")
    assert claim.speaker.name == "port authority" and not claim.hedged
    (claim,) = claims(nlp_en, "According to the port authority, two cranes reportedly collapsed in the storm.")
    assert claim.speaker.name == "port authority" and claim.hedged


def test_quotes_en_denied_is_a_denial(nlp_en):
    (claim,) = claims(nlp_en, "The army denied any involvement in the blast.")
    assert claim.polarity is Polarity.DENY and claim.speaker.name == "army"


@pytest.mark.parametrize(
    "text",
    [
        "The governor said the dam had reportedly been breached.",
        "The governor said the dam had allegedly been breached.",
        "The governor said the dam had been breached, a claim that could not be independently verified.",
        "The governor said an unconfirmed breach had flooded the valley.",
        "The governor claimed the dam had been breached.",
    ],
)
def test_quotes_en_hedged_claims(nlp_en, text):
    (claim,) = claims(nlp_en, text)
    assert claim.hedged, text


def test_quotes_en_plain_claim_is_not_hedged(nlp_en):
    (claim,) = claims(nlp_en, "The governor said the dam had been breached.")
    assert not claim.hedged and claim.polarity is Polarity.ASSERT


def test_quotes_en_dates_and_numbers_are_not_speakers(nlp_en):
    found = claims(nlp_en, "On Tuesday, 2,000 people fled, officials said.")
    assert [s for s, _ in said(found)] == ["officials"]


def test_quotes_en_a_verb_after_a_quote_with_its_own_clause_reports_both(nlp_en):
    text = (
        "“The case is closed,” the spokesman said. “He will leave the country.” "
        "The spokesman added that the army did not know where he was."
    )
    found = said(claims(nlp_en, text))
    assert ("spokesman", "He will leave the country") in found
    assert ("spokesman", "the army did not know where he was") in found


def test_quotes_en_according_to_a_possessive_credits_the_possessed(nlp_en):
    (claim,) = claims(nlp_en, "According to Ukraine’s state power company, the damage is impossible to repair.")
    assert claim.speaker.name == "Ukraine’s state power company"


def test_quotes_en_a_pronoun_takes_an_untagged_possessive_name_not_a_thing(nlp_en):
    text = (
        "The plane crashed on Wednesday, officials said. "
        "Markov’s most recent public appearance was in a video released on Monday, in which he announced a new campaign."
    )
    (claim,) = [c for c in claims(nlp_en, text) if "campaign" in c.text]
    assert claim.speaker.name == "Markov"


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        ("The ministry announced on Saturday that the rebel commander had agreed to leave the country in a deal "
         "apparently brokered by the neighbouring president.", False),
        ("The ministry said the bridge was apparently damaged by a drone.", True),
    ],
)
def test_quotes_en_a_hedge_on_a_noun_modifier_does_not_hedge_the_claim(nlp_en, text, hedged):
    """"a deal apparently brokered by X": the adverb doubts who brokered the deal, not what the ministry announced."""
    (claim,) = claims(nlp_en, text)
    assert claim.hedged is hedged

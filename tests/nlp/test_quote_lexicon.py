"""quote_lexicon.py: the French data attribution reads, compiled once."""

from __future__ import annotations

from recoupe.lang import LanguageResources, load_language
from recoupe.lang.records import RelativeDates, Speakers
from recoupe.model import SpeakerKind
from recoupe.nlp.quote_lexicon import KIND_NAMES, QuoteLexicon


def test_quote_lexicon_tries_longest_attribution_cue_first():
    lexicon = QuoteLexicon.from_resources(load_language("fr"))
    lengths = [len(c) for c in lexicon.attribution_cues]
    assert lengths and lengths == sorted(lengths, reverse=True)


def test_quote_lexicon_kinds_follow_kind_names_and_are_lower_case():
    resources = LanguageResources("xx", speakers=Speakers(kinds={"media": ("TASS", "Interfax")}))
    lexicon = QuoteLexicon.from_resources(resources)
    assert [k for k, _ in lexicon.kinds] == [SpeakerKind(n) for n in KIND_NAMES]
    assert dict(lexicon.kinds)[SpeakerKind.MEDIA] == frozenset({"tass", "interfax"})


def test_quote_lexicon_time_words_come_from_relative_dates():
    lexicon = QuoteLexicon.from_resources(LanguageResources("xx", relative_dates=RelativeDates(weekdays={"Lundi": 0}, months={"mars": 3})))
    assert lexicon.time_words == frozenset({"lundi", "mars"})

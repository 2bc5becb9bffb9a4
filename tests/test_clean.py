from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from recoupe.clean import NoiseRules, build_language_detector, clean, masked_text
from recoupe.lang import load_language
from recoupe.model import Document, PartialDate, RawDocument, SegmentKind, SourceFormat
from recoupe.settings import CleanSettings

SETTINGS = CleanSettings()
TITLE = "Crue du Vidourle : Sommières sous les eaux"
BODY = (
    "Le Vidourle est sorti de son lit dans la nuit de mercredi à jeudi à Sommières, dans le Gard.",
    "Selon la préfecture du Gard, 120 personnes ont été évacuées dans la nuit par les pompiers.",
    "« La montée des eaux a été très rapide », a déclaré le maire de Sommières jeudi matin.",
)


@pytest.fixture(scope="module")
def detector():
    return build_language_detector(("fr", "en", "de"))


def cleaned(text: str, fr, detector, **raw) -> Document:
    raw.setdefault("format", SourceFormat.TEXT)
    return clean(RawDocument(source="mem.txt", text=text, **raw), NoiseRules.from_resources(fr), detector, SETTINGS)


def article(*extra_before: str, extra_after: tuple[str, ...] = ()) -> str:
    return "\n\n".join((*extra_before, TITLE, *BODY, *extra_after))


def assert_article_intact(document) -> None:
    assert document.title == TITLE
    for sentence in BODY:
        assert sentence in document.cleaned_text


def test_clean_every_segment_points_into_the_original(fr, detector):
    document = cleaned(article(), fr, detector)
    kinds = [s.kind for s in document.segments]
    assert kinds == [SegmentKind.TITLE] + [SegmentKind.BODY] * 3
    for segment in document.segments:
        assert document.text[segment.start : segment.end] == document.segment_text(segment)
        assert document.segment_text(segment) == document.segment_text(segment).strip()
    assert document.cleaned_text == "\n\n".join((TITLE, *BODY))


def test_clean_ids_hash_url_and_text_never_the_path(fr, detector):
    text = article()
    document = cleaned(text, fr, detector)
    assert document.id == hashlib.sha256(f"\0{text}".encode()).hexdigest()[:16]
    assert document.content_hash == hashlib.sha256(text.encode()).hexdigest()[:16]
    for spelling in ("./mem.txt", "/abs/dir/../mem.txt", "other.txt"):
        same = clean(RawDocument(source=spelling, text=text, format=SourceFormat.TEXT), NoiseRules.from_resources(fr), detector, SETTINGS)
        assert same.id == document.id
    elsewhere = cleaned(text, fr, detector, url="https://example.org/a")
    assert elsewhere.content_hash == document.content_hash and elsewhere.id != document.id


def test_masked_text_keeps_length_newlines_and_only_segments(fr, detector):
    text = article(extra_after=("Commenter cet article",))
    document = cleaned(text, fr, detector)
    masked = masked_text(document)
    assert len(masked) == len(text)
    assert [i for i, c in enumerate(text) if c == "\n"] == [i for i, c in enumerate(masked) if c == "\n"]
    assert "Commenter" not in masked
    for segment in document.segments:
        assert masked[segment.start : segment.end] == document.segment_text(segment)


@pytest.mark.parametrize(
    "noise",
    [
        "AFP",
        ">> Le suivi minute par minute de la crue",
        "Video: watson",
        "Plus de «International»",
        "• À lire aussi: Les crues cévenoles expliquées",
        "Les images de la crue sont impressionnantes 👇",
        "12.03.2024, 15:1313.03.2024, 08:12",
        "Comme nous voulons continuer à modérer personnellement les débats de commentaires, nous fermons.",
        "Make this article seo compatible,Let there be subheadings for the article",
    ],
)
def test_clean_drops_boilerplate_line(fr, detector, noise):
    text = "\n\n".join((TITLE, BODY[0], noise, *BODY[1:]))
    document = cleaned(text, fr, detector)
    assert noise not in document.cleaned_text
    assert_article_intact(document)


@pytest.mark.parametrize(
    "credit",
    [
        ("CNN’s", "Simone McCarthy", ",", "Mick Krever", ", Anna Chernova and Tim Lister,", "Lauren Kent", ", Katharina Krebs and Yulia Kesaieva contributed reporting."),
        ("CNN’s Anna Chernova and Tim Lister contributed reporting.",),
        ("Reporting by Pavel Polityuk in Kyiv; Editing by Alex Richardson",),
        ("(Reportage Gleb Stolyarov; version française Jean Terzian, édité par Blandine Hénault)",),
    ],
    ids=["split-list", "one-line", "reuters", "reuters-fr"],
)
def test_clean_drops_reporter_credits_with_the_names_above(fr, detector, credit):
    document = cleaned(article(extra_after=credit), fr, detector)
    assert document.cleaned_text == "\n\n".join((TITLE, *BODY))


@pytest.mark.parametrize("byline", ["Par Jean Dupont et Marie Martin", "Par Anne de La Tour, AFP"])
def test_clean_drops_byline(fr, detector, byline):
    document = cleaned("\n\n".join((TITLE, byline, *BODY)), fr, detector)
    assert byline not in document.cleaned_text
    assert_article_intact(document)


@pytest.mark.parametrize(
    "line",
    [
        "Par ailleurs, les pompiers restent mobilisés",  # lower-case words: no byline
        "Par la suite",
        "Reporting by the local press, the prefect said, was exaggerated.",  # a sentence, no credit
    ],
)
def test_clean_keeps_lines_that_only_look_like_credits(fr, detector, line):
    document = cleaned("\n\n".join((TITLE, BODY[0], line, *BODY[1:])), fr, detector)
    assert line in document.cleaned_text


def test_clean_english_byline_goes(detector):
    english = load_language("en")
    text = "Flood in southern France\n\nBy Simone McCarthy and Tim Lister, CNN\n\nThe river burst its banks on Thursday morning, the authorities said."
    document = clean(RawDocument(source="en.txt", text=text, format=SourceFormat.TEXT), NoiseRules.from_resources(english), detector, SETTINGS)
    assert "McCarthy" not in document.cleaned_text and "river burst" in document.cleaned_text


def test_clean_drops_embedded_tweet_text_and_credit(fr, detector):
    tweet = ("Le fleuve déborde, images impressionnantes… https://t.co/abc123 pic.twitter.com/XyZ789", "– Pompiers du Gard (@Pompiers_30) 17 octobre 2024")
    document = cleaned(article(extra_after=tweet), fr, detector)
    assert "t.co" not in document.cleaned_text and "@Pompiers_30" not in document.cleaned_text
    assert_article_intact(document)


def test_clean_drops_post_text_above_a_credit_without_link(fr, detector):
    text = article(extra_after=("[ 🇫🇷 GARD | CRUE ]", "— Météo Sud (@MeteoSud) October 17, 2024", "La suite du récit."))
    document = cleaned(text, fr, detector)
    assert "GARD | CRUE" not in document.cleaned_text and "La suite du récit." in document.cleaned_text


@pytest.mark.parametrize(
    "repeat",
    [
        TITLE,  # exact repeat
        "Crue du Vidourle Sommières sous les eaux",  # punctuation lost
        "Crue du Vidourle : Sommières sous les",  # truncated
        "Crue du Vidourle : la ville de Sommières sous les eaux",  # lightly edited
    ],
)
def test_clean_drops_repeated_headline(fr, detector, repeat):
    document = cleaned("\n\n".join((TITLE, repeat, *BODY)), fr, detector)
    assert [s.kind for s in document.segments].count(SegmentKind.TITLE) == 1
    assert len(document.segments) == 4


def test_clean_drops_navigation_above_title(fr, detector):
    document = cleaned("International\nRussie\n\n" + article(), fr, detector)
    assert document.segments[0].kind is SegmentKind.TITLE
    assert_article_intact(document)


def test_clean_skips_header_token_in_title(fr, detector):
    document = cleaned(" date 2024-10 " + article(), fr, detector)
    assert document.segment_text(document.segments[0]) == TITLE


def test_clean_drops_teasers_after_agency_signature(fr, detector):
    text = article(extra_after=("Fin de la dépêche, a conclu le maire. (ats/afp)", "Autre sujet : la sécheresse menace", "Un long chapeau de teaser pour un autre article du site."))
    document = cleaned(text, fr, detector)
    assert "(ats/afp)" in document.cleaned_text
    assert "sécheresse" not in document.cleaned_text and "teaser" not in document.cleaned_text


@pytest.mark.parametrize("marker", ["Commentaires", "0 Commentaires", "Commenter cet article"])
def test_clean_drops_everything_after_comment_marker(fr, detector, marker):
    document = cleaned(article(extra_after=(marker, "Connectez-vous pour réagir.", "Jean: super article")), fr, detector)
    assert "Jean" not in document.cleaned_text and marker not in document.cleaned_text
    assert_article_intact(document)


@pytest.mark.parametrize("fragment", ["fr-02", "L’article"])
def test_clean_drops_trailing_fragment(fr, detector, fragment):
    document = cleaned(article() + "\n\n" + fragment, fr, detector)
    assert fragment not in document.cleaned_text
    assert_article_intact(document)


def test_clean_keeps_short_subheading_inside_article(fr, detector):
    text = "\n\n".join((TITLE, BODY[0], "Écoles fermées", *BODY[1:]))
    assert "Écoles fermées" in cleaned(text, fr, detector).cleaned_text


def test_clean_splits_live_blog_into_lead_and_entries(fr, detector):
    text = "\n".join(
        (
            "Le Gard est en vigilance rouge : suivez notre direct sur la crue du Vidourle et ses conséquences.",
            "14h05 : La préfecture dément toute disparition",
            "« Aucune personne n'est portée disparue », a indiqué la préfecture.",
            "9h45 : Les écoles fermées",
            "Le maire a annoncé la fermeture des écoles jusqu'à lundi.",
            "Commenter cet article",
        )
    )
    document = cleaned(text, fr, detector)
    assert [(s.kind, s.time) for s in document.segments] == [
        (SegmentKind.LEAD, None),
        (SegmentKind.ENTRY, "14:05"),
        (SegmentKind.ENTRY, "09:45"),
    ]
    entry = document.segment_text(document.segments[1])
    assert entry.startswith("La préfecture dément") and entry.endswith("a indiqué la préfecture.")
    assert document.text[: document.segments[1].start].endswith("14h05 : ")  # the stamp is Segment.time


def test_clean_single_time_is_not_a_live_blog(fr, detector):
    text = article(extra_after=("10h30 : heure à laquelle la digue a cédé, selon les pompiers.",))
    assert all(s.kind is not SegmentKind.ENTRY for s in cleaned(text, fr, detector).segments)


def test_clean_published_from_post_date_when_weekday_matches(fr, detector):
    # 17 October 2024 was a Thursday; BODY says "jeudi".
    credit = "– Pompiers du Gard (@Pompiers_30) 17 octobre 2024"
    document = cleaned(article(extra_after=("Images du centre-ville. pic.twitter.com/XyZ789", credit)), fr, detector)
    assert document.published == PartialDate(2024, 10, 17)


def test_clean_post_date_on_another_weekday_is_not_published(fr, detector):
    credit = "– Pompiers du Gard (@Pompiers_30) 15 octobre 2024"  # a Tuesday: never named
    document = cleaned(article(extra_after=("Images. pic.twitter.com/XyZ789", credit)), fr, detector)
    assert document.published is None


def test_clean_keeps_stated_published(fr, detector):
    document = cleaned(article(), fr, detector, published=PartialDate(2024, 10))
    assert document.published == PartialDate(2024, 10)


def test_clean_language_per_live_blog_entry_and_short_segments_inherit(fr, detector):
    english = "The river burst its banks on Thursday morning, the local authorities said in a statement."
    french = "Le Vidourle est sorti de son lit à Sommières, selon la préfecture du Gard, qui a évacué les quais."
    text = "\n".join((TITLE, BODY[0], f"10h05 : {english}", f"09h40 : {french}", "09h10 : OK"))
    document = cleaned(text, fr, detector)
    by_time = {s.time: s.language for s in document.segments if s.kind is SegmentKind.ENTRY}
    assert by_time == {"10:05": "en", "09:40": "fr", "09:10": "fr"}  # "OK" is too short to tell: inherits


def test_clean_article_paragraphs_share_the_document_language(fr, detector):
    english = "The river burst its banks on Thursday morning, the local authorities said in a statement."
    document = cleaned("\n\n".join((TITLE, *BODY, english)), fr, detector)
    assert document.language == "fr"
    assert {s.language for s in document.segments} == {"fr"}


def test_clean_container_title_is_kept_when_declared(fr, detector):
    body = "\n\n".join(BODY)
    document = cleaned(f"{TITLE}\n\n{body}", fr, detector, format=SourceFormat.JSONL, title=TITLE, language="fr")
    assert document.title == TITLE and document.segments[0].kind is SegmentKind.TITLE
    assert document.language == "fr"


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        (PartialDate(2024, 2), PartialDate(2024, 2, 19)),
        (PartialDate(2024), PartialDate(2024, 2, 19)),
        (PartialDate(2024, 3), PartialDate(2024, 3)),  # the dateline disagrees: the stated month stays
        (None, None),  # no year to anchor the dateline
    ],
)
def test_clean_dateline_refines_stated_month(fr, detector, stated, expected):
    text = "\n\n".join((TITLE, "LONDRES, 19 février (Reuters) - " + BODY[0], *BODY[1:]))
    assert cleaned(text, fr, detector, published=stated).published == expected


@pytest.mark.parametrize(
    ("first", "second", "times"),
    [
        ("7h05 : Début", "23h59 : Fin", ["07:05", "23:59"]),
        ("7:05 - Début", "23:59 – Fin", ["07:05", "23:59"]),
        ("7h05 : Début", "27h99 : pas une heure", None),  # one valid time is not a live blog
    ],
)
def test_clean_entry_times_are_normalised_and_validated(fr, detector, first, second, times):
    document = cleaned("\n".join(("Le chapeau du direct sur la crue du Vidourle, mis à jour en continu.", first, "Texte.", second, "Texte.")), fr, detector)
    found = [s.time for s in document.segments if s.kind is SegmentKind.ENTRY]
    assert found == (times or [])


def test_clean_english_entry_times_read_meridiem(detector):
    english = load_language("en")
    text = "Live updates on the flood in southern France, refreshed as news comes in.\n11:58 a.m. — First\nText.\n1:05 p.m. — Second\nText."
    document = clean(RawDocument(source="en.txt", text=text, format=SourceFormat.TEXT), NoiseRules.from_resources(english), detector, SETTINGS)
    assert [s.time for s in document.segments if s.kind is SegmentKind.ENTRY] == ["11:58", "13:05"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n   \n",
        "Commenter cet article",
        "International\nRussie",
        " date 2024-03 ",
        "Titre\r\nseul",
        "10h00 : a\n11h00 : b\n",
        "– X (@x) 12 mars 2024",
        "Un mot",
    ],
)
def test_clean_odd_inputs_keep_segment_invariants(fr, detector, text):
    document = cleaned(text, fr, detector)
    previous_end = 0
    for segment in document.segments:
        assert previous_end <= segment.start < segment.end <= len(text)
        assert document.segment_text(segment).strip() == document.segment_text(segment)
        previous_end = segment.end
    assert len(masked_text(document)) == len(text)


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_examples_ingest_and_clean_as_documented(fr, detector):
    from recoupe.ingest import iter_sources, read_source
    from recoupe.settings import IngestSettings

    documents = {
        Path(raw.source).name + raw.source.partition("#")[2]: clean(raw, NoiseRules.from_resources(fr), detector, SETTINGS)
        for source in iter_sources([str(EXAMPLES)])
        for raw in read_source(source, IngestSettings())
    }
    assert len(documents) == 9  # 6 texts, 2 JSONL records, 1 HTML page; README.md skipped
    live = documents["04_crue_gard_direct.txt"]
    assert [s.time for s in live.segments if s.kind is SegmentKind.ENTRY] == ["14:05", "11:30", "09:45", "07:12"]
    tweet = documents["02_crue_sommieres_gazette.txt"]
    assert "pic.twitter" not in tweet.cleaned_text and tweet.published == PartialDate(2024, 10, 17)
    strike = documents["05_greve_port_marseille.txt"]
    assert strike.published == PartialDate(2024, 11, 12) and "Berre" not in strike.cleaned_text
    original, copy = documents["01_crue_sommieres_midi.txt"], documents["03_crue_sommieres_copie.txt"]
    assert original.content_hash != copy.content_hash and len(original.segments) == len(copy.segments)
    assert all(d.language == "fr" for d in documents.values())

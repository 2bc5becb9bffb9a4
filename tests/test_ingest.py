from __future__ import annotations

import codecs
import gzip
import io
import json
import os
from pathlib import Path

import pytest

from recoupe.errors import InputError
from recoupe.decoding import repair
from recoupe.formats import date_from_url
from recoupe.ingest import iter_sources, read_contents, read_source
from recoupe.model import PartialDate, SourceFormat
from recoupe.settings import IngestSettings

SETTINGS = IngestSettings()
ARTICLE = "Crue à Sommières\n\nLe Vidourle a débordé jeudi, a indiqué la préfecture du Gard.\n"


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


def test_iter_sources_expands_directories_sorted_skipping_hidden_and_non_news(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/2.txt", "a.html", ".hidden.txt", ".git/x.txt", "README.md", "c.jsonl"):
        write(tmp_path, name, "x")
    found = list(iter_sources([str(tmp_path), "https://example.org/feed.xml"]))
    names = [Path(p).relative_to(tmp_path).as_posix() for p in found[:-1]]
    assert names == ["a.html", "b/2.txt", "c.jsonl"]
    assert found[-1] == "https://example.org/feed.xml"


def test_iter_sources_passes_named_files_through(tmp_path):
    path = write(tmp_path, "notes.md", "x")
    assert list(iter_sources([path])) == [path]


def test_text_first_line_is_title_and_crlf_normalised(tmp_path):
    [doc] = read_source(write(tmp_path, "a.txt", ARTICLE.replace("\n", "\r\n")), SETTINGS)
    assert doc.format is SourceFormat.TEXT
    assert doc.title == "Crue à Sommières"
    assert "\r" not in doc.text and doc.text.startswith("Crue à Sommières\n\n")


@pytest.mark.parametrize(
    ("header", "published"),
    [(" date 2024-03 ", PartialDate(2024, 3)), (" date 2024-03-12 ", PartialDate(2024, 3, 12)), ("date 2023 ", PartialDate(2023))],
)
def test_text_header_gives_published_with_its_precision_and_leaves_title(tmp_path, header, published):
    [doc] = read_source(write(tmp_path, "a.txt", header + ARTICLE), SETTINGS)
    assert doc.published == published
    assert doc.title == "Crue à Sommières"
    assert doc.text.startswith(header)  # the original is kept; cleaning skips the header


def test_text_stamps_give_published_then_updated(tmp_path):
    text = "Titre de l'article\n\nChapeau.\n12.03.2024, 15:1313.03.2024, 08:12\nCorps."
    [doc] = read_source(write(tmp_path, "a.txt", text), SETTINGS)
    assert doc.published == PartialDate(2024, 3, 12)
    assert doc.updated == PartialDate(2024, 3, 13)


def test_text_long_first_sentence_is_not_a_title(tmp_path):
    [doc] = read_source(write(tmp_path, "a.txt", "Le Vidourle a débordé jeudi à Sommières.\nSuite."), SETTINGS)
    assert doc.title is None


def test_text_embedded_post_date_is_not_published(tmp_path):
    text = "Titre\n\nCorps du texte.\n\n– Anton (@anton) 12 mars 2024\n"
    [doc] = read_source(write(tmp_path, "a.txt", text), SETTINGS)
    assert doc.published is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.journaldequebec.com/2023/09/10/le-maroc-pleure", PartialDate(2023, 9, 10)),
        ("https://www.cnews.fr/monde/2023-08-23/le-patron", PartialDate(2023, 8, 23)),
        ("https://www.20minutes.fr/monde/4045828-20230717-guerre-ukraine", PartialDate(2023, 7, 17)),
        ("https://mingooland.com/2023/07/blasts-reported", PartialDate(2023, 7)),
        ("https://m.rtl.be/info/1407343", None),
        ("https://example.org/2023/13/45/x", None),
    ],
)
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


def test_repair_fixes_utf8_read_as_cp1250_next_to_intact_accents():
    broken = "Le patron Evgu\u0102\u00a9ni s\u2019est \u0102\u00a9cras\u0102\u00a9 pr\u00e8s de Moscou \u0102 bord, premi\u00e8res r\u0102\u00a9actions"
    assert repair(broken) == "Le patron Evguéni s’est écrasé près de Moscou à bord, premières réactions"


def test_repair_leaves_curly_quotes_alone():
    assert repair("« l’attaque »\r\nfin") == "« l’attaque »\nfin"


def test_html_main_text_title_date_and_sitename(tmp_path):
    page = """<!DOCTYPE html><html lang="fr"><head><title>Crue - Le Midi</title>
    <meta property="og:title" content="Crue à Sommières"><meta property="og:site_name" content="Le Midi">
    <meta property="article:published_time" content="2024-10-17T08:00:00+02:00"></head>
    <body><nav>Accueil International</nav><article><h1>Crue à Sommières</h1>
    <p>Le Vidourle est sorti de son lit jeudi matin à Sommières, a indiqué la préfecture du Gard, qui a ouvert un centre d'accueil.</p>
    <p>Selon les pompiers, 120 personnes ont été évacuées dans la nuit, dont une trentaine par hélicoptère.</p></article></body></html>"""
    [doc] = read_source(write(tmp_path, "a.html", page), SETTINGS)
    assert doc.format is SourceFormat.HTML
    assert doc.title == "Crue à Sommières" and doc.outlet == "Le Midi" and doc.language == "fr"
    assert doc.published == PartialDate(2024, 10, 17)
    assert doc.text.startswith("Crue à Sommières\n") and "120 personnes" in doc.text
    assert "Accueil" not in doc.text


def test_jsonl_keeps_good_lines_and_names_the_bad_one(tmp_path):
    lines = [
        json.dumps({"title": "Crue", "text": "Le Vidourle a débordé.", "url": "https://x.fr/2024/10/17/crue", "outlet": "x.fr", "language": "FR"}),
        "{not json",
        json.dumps({"text": "Grève au port.", "published": "2024-11"}),
        json.dumps({"title": "Sans texte"}),
    ]
    path = write(tmp_path, "a.jsonl", "\n".join(lines))
    contents = read_contents(path, SETTINGS)
    first, second = contents.documents
    assert first.text == "Crue\n\nLe Vidourle a débordé." and first.published == PartialDate(2024, 10, 17)
    assert first.language == "fr" and first.source == f"{path}#1"
    assert second.published == PartialDate(2024, 11) and second.title is None
    assert [f.source for f in contents.failures] == [f"{path}:2", f"{path}:4"]
    assert "invalid JSON" in contents.failures[0].reason
    assert len(read_source(path, SETTINGS)) == 2


def test_jsonl_with_only_bad_lines_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no valid JSON Lines record"):
        read_source(write(tmp_path, "a.jsonl", "{bad\n[1]\n"), SETTINGS)


def _warc(records: list[tuple[str, str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, content_type, payload in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers))
    return buffer.getvalue()


def test_warc_html_responses_become_documents(tmp_path):
    page = "<html><body><article><h1>Grève à Fos</h1><p>Les dockers du port de Marseille ont reconduit mardi leur grève, selon la CGT, qui réclame le retrait du projet.</p></article></body></html>"
    data = _warc([
        ("https://x.fr/2024/11/12/greve.html", "text/html; charset=utf-8", page.encode()),
        ("https://x.fr/logo.png", "image/png", b"\x89PNG"),
    ])
    [doc] = read_source(write(tmp_path, "a.warc.gz", data), SETTINGS)
    assert doc.format is SourceFormat.HTML and doc.url == "https://x.fr/2024/11/12/greve.html"
    assert doc.published == PartialDate(2024, 11, 12) and "dockers" in doc.text


def test_feed_entries_become_documents(tmp_path):
    rss = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Le Midi</title><language>fr-FR</language>
    <item><title>Crue à Sommières</title><link>https://x.fr/crue</link><pubDate>Thu, 17 Oct 2024 08:00:00 +0200</pubDate>
    <description>&lt;p&gt;Le Vidourle a débordé.&lt;/p&gt;&lt;p&gt;120 évacués.&lt;/p&gt;</description></item>
    <item><title>Grève à Fos</title><link>https://x.fr/greve</link><description>Les dockers bloquent le port.</description></item>
    </channel></rss>"""
    first, second = read_source(write(tmp_path, "a.rss", rss), SETTINGS)
    assert first.format is SourceFormat.FEED and first.outlet == "Le Midi" and first.language == "fr"
    assert first.text == "Crue à Sommières\n\nLe Vidourle a débordé.\n120 évacués."
    assert first.published == PartialDate(2024, 10, 17)
    assert second.source.endswith("#2") and second.published is None


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("controls.txt", b"abc\x01\x02\x03def", "binary file"),
        ("truncated16.txt", codecs.BOM_UTF16_LE + "Crue".encode("utf-16-le") + b"\x00\xd8\x41", "truncated UTF-16"),
        ("odd16.txt", codecs.BOM_UTF16_LE + "Crue".encode("utf-16-le")[:-1], "truncated UTF-16"),
        ("bad8.txt", codecs.BOM_UTF8 + b"caf\xc3", "invalid UTF-8"),
        ("undecodable.txt", b"caf\xc3\x81\x8d\x90", "undecodable"),
        ("gzip.warc.gz", gzip.compress(b"not a warc record"), "WARC"),
    ],
)
def test_bad_input_raises_input_error_with_reason(tmp_path, name, data, reason):
    path = write(tmp_path, name, data)
    with pytest.raises(InputError) as caught:
        read_source(path, SETTINGS)
    assert reason in caught.value.reason
    assert caught.value.source == path
    assert "\n" not in str(caught.value)


def test_utf16_with_bom_is_decoded(tmp_path):
    data = codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le")
    [doc] = read_source(write(tmp_path, "a.txt", data), SETTINGS)
    assert doc.title == "Crue à Sommières"


def test_latin1_file_falls_back_to_cp1252(tmp_path):
    [doc] = read_source(write(tmp_path, "a.txt", ARTICLE.encode("cp1252")), SETTINGS)
    assert doc.title == "Crue à Sommières"


def test_oversized_file_is_refused_without_reading_it(tmp_path):
    path = write(tmp_path, "big.txt", ARTICLE * 10)
    with pytest.raises(InputError, match="too large"):
        read_source(path, IngestSettings(max_bytes=100))


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_source(str(tmp_path / "absent.txt"), SETTINGS)


def test_unreadable_directory_entry_is_an_input_error(tmp_path):
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(InputError, match="cannot read"):
        read_source(str(tmp_path / "dir.txt"), SETTINGS)


def test_html_declared_charset_decodes_legacy_page(tmp_path):
    page = """<html><head><meta charset="iso-8859-15"><title>Grève</title></head><body><article><p>Les dockers de Fos ont reconduit la grève mardi, selon la CGT, qui réclame 50 € de prime et le retrait du projet.</p></article></body></html>"""
    [doc] = read_source(write(tmp_path, "a.html", page.encode("iso-8859-15")), SETTINGS)
    assert "50 €" in doc.text


class _FakeResponse(io.BytesIO):
    def __init__(self, data: bytes, content_type: str) -> None:
        super().__init__(data)
        self.headers = {"Content-Type": content_type}

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def test_url_is_fetched_with_timeout_and_sniffed(monkeypatch):
    calls = []

    def fake_urlopen(request, timeout):
        calls.append((request.full_url, timeout))
        return _FakeResponse(b"<html><body><article><p>" + "Le Vidourle a débordé jeudi à Sommières, selon la préfecture du Gard, qui a évacué 120 personnes.".encode() + b"</p></article></body></html>", "text/html; charset=utf-8")

    monkeypatch.setattr("urllib.request.urlopen", fake_urlopen)
    [doc] = read_source("https://x.fr/2024/10/17/crue", IngestSettings(timeout_seconds=3))
    assert calls == [("https://x.fr/2024/10/17/crue", 3)]
    assert doc.format is SourceFormat.HTML and doc.url == "https://x.fr/2024/10/17/crue"
    assert doc.published == PartialDate(2024, 10, 17)


def test_url_failure_is_an_input_error(monkeypatch):
    import urllib.error

    def failing(request, timeout):
        raise urllib.error.URLError("timed out")

    monkeypatch.setattr("urllib.request.urlopen", failing)
    with pytest.raises(InputError, match="cannot fetch: timed out"):
        read_source("https://x.fr/a", SETTINGS)


def test_dev_017_mojibake_is_repaired_to_match_its_original_002(dev_dir):
    [broken] = read_source(str(dev_dir / "articles" / "017.txt"), SETTINGS)
    [original] = read_source(str(dev_dir / "articles" / "002.txt"), SETTINGS)
    assert not any(marker in broken.text for marker in ("Ă", "Ã", "Â"))
    # 017 republishes 002: once repaired, its accented words are 002's
    words = {w for w in broken.text.replace("’", "'").split() if not w.isascii()}
    assert len(words) > 20
    known = set(original.text.replace("’", "'").split())
    assert len(words & known) / len(words) >= 0.8


def test_atom_feed_without_extension_is_sniffed(tmp_path):
    atom = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>La Gazette</title>
    <entry><title>Grève à Fos</title><link href="https://x.fr/2024/11/12/greve"/><updated>2024-11-12T18:00:00Z</updated>
    <content type="html">&lt;p&gt;Les dockers bloquent le port.&lt;/p&gt;</content></entry></feed>"""
    [doc] = read_source(write(tmp_path, "feed", atom), SETTINGS)
    assert doc.format is SourceFormat.FEED and doc.outlet == "La Gazette"
    assert doc.text == "Grève à Fos\n\nLes dockers bloquent le port."
    assert doc.published == doc.updated == PartialDate(2024, 11, 12)


# --- what a folder holds besides news files ---------------------------------

from recoupe.ingest import scan_sources  # noqa: E402


def _scan(paths, **settings):
    return scan_sources([str(p) for p in paths], IngestSettings(**settings))


def _names(found, root):
    return [Path(p).relative_to(root).as_posix() for p in found]


def test_scan_reports_unsupported_files_with_their_reason(tmp_path):
    for name in ("a.txt", "b.pdf", "noextension", "c.html"):
        write(tmp_path, name, "x")
    listing = _scan([tmp_path])
    assert _names(listing.sources, tmp_path) == ["a.txt", "c.html"]
    reasons = {Path(s.source).name: s.reason for s in listing.skipped}
    assert reasons.keys() == {"b.pdf", "noextension"}
    assert "unsupported format (.pdf" in reasons["b.pdf"] and "no extension" in reasons["noextension"]


def test_scan_include_and_exclude_globs_choose_files(tmp_path):
    (tmp_path / "old").mkdir()
    for name in ("a.txt", "notes.md", "old/b.txt", "c.draft.txt"):
        write(tmp_path, name, "x")
    listing = _scan([tmp_path], include=("*.txt", "*.md"), exclude=("*.draft.txt", "old/*"))
    assert _names(listing.sources, tmp_path) == ["a.txt", "notes.md"]
    assert {Path(s.source).name: s.reason for s in listing.skipped} == {
        "b.txt": "matches an --exclude pattern",
        "c.draft.txt": "matches an --exclude pattern",
    }


def test_scan_skips_a_fifo_in_a_folder_with_a_message(tmp_path):
    os.mkfifo(tmp_path / "x.txt")
    write(tmp_path, "a.txt", ARTICLE)
    listing = _scan([tmp_path])
    assert _names(listing.sources, tmp_path) == ["a.txt"]
    assert [(Path(s.source).name, s.reason) for s in listing.skipped] == [("x.txt", "not a regular file (FIFO)")]


def test_a_fifo_named_explicitly_fails_at_once_instead_of_hanging(tmp_path):
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"not a regular file \(FIFO\)"):
        read_contents(str(fifo), SETTINGS)  # opened without blocking: no writer is needed


def test_scan_follows_symlinks_only_inside_the_input_folders(tmp_path):
    outside = tmp_path / "outside"
    inside = tmp_path / "in"
    outside.mkdir()
    inside.mkdir()
    write(outside, "secret.txt", "root:x:0:0")
    write(inside, "a.txt", ARTICLE)
    (inside / "passwd.txt").symlink_to(outside / "secret.txt")
    (inside / "alias.txt").symlink_to(inside / "a.txt")
    (inside / "loop").symlink_to(inside, target_is_directory=True)
    listing = _scan([inside])
    assert _names(listing.sources, inside) == ["a.txt", "alias.txt"]  # the loop is not entered twice
    assert [(Path(s.source).name, s.reason.split(" (")[0]) for s in listing.skipped] == [
        ("passwd.txt", "symlink to outside the input folders")
    ]
    followed = _scan([inside], follow_links=True)
    assert "passwd.txt" in _names(followed.sources, inside)


def test_scan_a_symlink_into_another_input_folder_is_followed(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    write(second, "x.txt", ARTICLE)
    (first / "link.txt").symlink_to(second / "x.txt")
    listing = _scan([first, second])
    assert [Path(p).name for p in listing.sources] == ["link.txt", "x.txt"] and listing.skipped == ()


def test_jsonl_line_with_a_nul_byte_fails_alone(tmp_path):
    good = json.dumps({"text": ARTICLE})
    path = write(tmp_path, "a.jsonl", (good + "\n").encode() + b'{"text": "\x00\x01 binaire"}\n' + (good + "\n").encode())
    contents = read_contents(path, SETTINGS)
    assert len(contents.documents) == 2
    assert [f.source.rsplit(":", 1)[1] for f in contents.failures] == ["2"]


def test_jsonl_line_nested_too_deeply_fails_alone(tmp_path):
    deep = "[" * 200_000 + "]" * 200_000
    path = write(tmp_path, "a.jsonl", f"{deep}\n{json.dumps({'text': ARTICLE})}\n")
    contents = read_contents(path, SETTINGS)
    assert len(contents.documents) == 1
    assert [(f.source.rsplit(":", 1)[1], f.reason) for f in contents.failures] == [("1", "invalid JSON: nested too deeply")]


def test_jsonl_escaped_control_characters_in_text_fail_alone(tmp_path):
    path = write(tmp_path, "a.jsonl", json.dumps({"text": "a\u0000b " * 10}) + "\n" + json.dumps({"text": ARTICLE}) + "\n")
    contents = read_contents(path, SETTINGS)
    assert len(contents.documents) == 1 and "control characters" in contents.failures[0].reason

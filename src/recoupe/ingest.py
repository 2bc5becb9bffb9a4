"""Files, directories and URLs -> `RawDocument`s: decoding, formats, source metadata.

Every failure is an `InputError(source, reason)` with a one-line reason, so a
batch can log it and go on. Parts of a container (a JSONL line, a WARC record)
fail alone: `read_contents` returns them next to the documents that were read.
`RawDocument.text` is the decoded original with mojibake repaired and line ends
normalised; every later offset points into it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html.parser
import io
import json
import logging
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import ftfy

from recoupe.errors import InputError
from recoupe.model import InputFailure, PartialDate, RawDocument, SourceContents, SourceFormat
from recoupe.settings import IngestSettings

log = logging.getLogger(__name__)

_URL = re.compile(r"^https?://", re.IGNORECASE)
_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters never found in text (tab, newlines and form feed excepted).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# ftfy without the fixes that would rewrite legitimate text: curly quotes and
# ligatures stay as the outlet wrote them.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False)
# UTF-8 read as a Windows code page, left by ftfy when a line mixes broken and
# intact accents (dev 017: "Ă©" for "é" next to a correct "è"). Each broken
# pair is re-decoded alone; a space after the lead byte stands for a lost 0xA0.
_MOJIBAKE_CODECS = ("cp1250", "cp1252")
# A document needs at least this many broken pairs before we touch it: one odd
# pair can be a real name; dev 017 has dozens.
_MIN_MOJIBAKE_PAIRS = 3

# " date 2024-03 Title": header tokens written at the start of plain-text files.
_HEADER = re.compile(r"^[ \t]*date[ \t]+(\d{4}(?:-\d{2}){0,2})(?:[ \t]+|$)")
# "12.03.2024, 15:1313.03.2024, 08:12": published stamp, then updated stamp.
_STAMP = re.compile(r"(\d{2})\.(\d{2})\.(\d{4}),\s*\d{1,2}:\d{2}")
_STAMP_LINES = 20  # stamps sit next to the title; later ones are quoted dates
# Dates in URLs: /2023/09/10/, /2023-08-23/, -20230717-, /2023/07/.
_URL_DATE = re.compile(r"(?<![\d])((?:19|20)\d{2})[/-](\d{2})(?:[/-](\d{2}))?(?![\d])")
_URL_COMPACT_DATE = re.compile(r"(?<![\d])((?:19|20)\d{2})(\d{2})(\d{2})(?![\d])")
# A title longer than this, or ending like a sentence, is the lead paragraph.
_TITLE_MAX_CHARS = 200

_EXTENSIONS = {
    ".txt": SourceFormat.TEXT,
    ".text": SourceFormat.TEXT,
    ".html": SourceFormat.HTML,
    ".htm": SourceFormat.HTML,
    ".jsonl": SourceFormat.JSONL,
    ".ndjson": SourceFormat.JSONL,
    ".warc": SourceFormat.WARC,
    ".rss": SourceFormat.FEED,
    ".atom": SourceFormat.FEED,
}


def iter_sources(paths: Iterable[str]) -> Iterator[str]:
    """Expand directories recursively (sorted; hidden files and non-news files such as README.md skipped).

    Files and URLs named explicitly pass through whatever their extension.
    """
    for path in paths:
        if _URL.match(path) or not Path(path).is_dir():
            yield path
            continue
        yield from _walk(path)


def _walk(directory: str) -> Iterator[str]:
    """Files in name order, sub-directories in place; symlinked directories are not followed (no loops)."""
    for entry in sorted(os.scandir(directory), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path)
        elif _news_file(entry.name):
            yield entry.path


def _news_file(name: str) -> bool:
    name = name.lower()
    return name.endswith((".warc.gz", ".xml")) or os.path.splitext(name)[1] in _EXTENSIONS


def read_source(source: str, settings: IngestSettings) -> list[RawDocument]:
    """The documents of one file or URL; failed parts of a container are logged and skipped."""
    contents = read_contents(source, settings)
    for failure in contents.failures:
        log.warning("%s: %s", failure.source, failure.reason)
    return list(contents.documents)


def read_contents(source: str, settings: IngestSettings) -> SourceContents:
    """The documents of one file or URL, and the container parts that could not be read."""
    data, content_type = _fetch(source, settings) if _URL.match(source) else (_read_file(source, settings), "")
    if not data.strip():
        raise InputError(source, "empty file")
    source_format = _guess_format(source, data, content_type)
    if source_format is SourceFormat.WARC:
        return _read_warc(source, data)
    if source_format is SourceFormat.FEED:
        return SourceContents(tuple(_read_feed(source, data)))
    declared = _html_charset(data) if source_format is SourceFormat.HTML else None
    text = decode(source, data, declared or _charset(content_type))
    if not text.strip():
        raise InputError(source, "empty file (whitespace only)")
    url = source if _URL.match(source) else None
    if source_format is SourceFormat.HTML:
        return SourceContents((_read_html(source, text, url),))
    if source_format is SourceFormat.JSONL:
        return _read_jsonl(source, text)
    return SourceContents((_read_text(source, text, url),))


def with_url(raw: RawDocument, url: str) -> RawDocument:
    """Attach a URL known from elsewhere (a label file, a crawl log); its date refines `published`."""
    return replace(raw, url=url, published=_merge_dates(raw.published, date_from_url(url)))


# --- bytes ---------------------------------------------------------------


def _read_file(path: str, settings: IngestSettings) -> bytes:
    try:
        size = os.stat(path).st_size
        if size > settings.max_bytes:
            raise InputError(path, f"file too large: {size} bytes > ingest.max_bytes={settings.max_bytes}")
        with open(path, "rb") as handle:
            data = handle.read(settings.max_bytes + 1)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from None
    if len(data) > settings.max_bytes:  # grew while we read it
        raise InputError(path, f"file too large: > ingest.max_bytes={settings.max_bytes}")
    return data


def _fetch(url: str, settings: IngestSettings) -> tuple[bytes, str]:
    request = urllib.request.Request(url, headers={"User-Agent": "recoupe/0.1"})
    try:
        with urllib.request.urlopen(request, timeout=settings.timeout_seconds) as response:
            data = response.read(settings.max_bytes + 1)
            content_type = response.headers.get("Content-Type", "")
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise InputError(url, f"cannot fetch: {getattr(error, 'reason', error)}") from None
    if len(data) > settings.max_bytes:
        raise InputError(url, f"response too large: > ingest.max_bytes={settings.max_bytes}")
    return data, content_type


def decode(source: str, data: bytes, declared: str | None = None) -> str:
    """Bytes -> repaired text: BOMs honoured, strict decoding, mojibake fixed, line ends normalised."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            width = 4 if "32" in encoding else 2 if "16" in encoding else 1
            if len(body) % width:
                raise InputError(source, f"truncated {encoding.upper()} text: {len(body)} bytes after the BOM is not a multiple of {width}")
            text = _strict(source, body, encoding)
            break
    else:
        if b"\x00" in data:
            raise InputError(source, "binary file (NUL bytes) or UTF-16 without a byte order mark")
        text = _decode_without_bom(source, data, declared)
    if _CONTROL.search(text):
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
    text = ftfy.fix_text(text, _FTFY)
    for encoding in _MOJIBAKE_CODECS:
        text = _fix_mojibake_pairs(text, encoding)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _mojibake_pattern(encoding: str) -> re.Pattern[str]:
    def chars(low: int, high: int) -> str:
        decoded = bytes(range(low, high + 1)).decode(encoding, errors="ignore")
        return re.escape(decoded)

    return re.compile(f"([{chars(0xC2, 0xDF)}])([{chars(0x80, 0xBF)}]| )")


def _fix_mojibake_pairs(text: str, encoding: str) -> str:
    pattern = _mojibake_pattern(encoding)

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


# --- formats -------------------------------------------------------------


def _guess_format(source: str, data: bytes, content_type: str) -> SourceFormat:
    path = source.split("?", 1)[0].lower()
    if path.endswith(".warc.gz"):
        return SourceFormat.WARC
    suffix = os.path.splitext(path)[1]
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"warc/") or data[:2] == b"\x1f\x8b":
        return SourceFormat.WARC
    if b"<rss" in head or b"<feed" in head or ("xml" in content_type and b"<html" not in head):
        return SourceFormat.FEED
    if head.startswith((b"<!doctype html", b"<html")) or "html" in content_type:
        return SourceFormat.HTML
    return SourceFormat.TEXT


def _read_text(source: str, text: str, url: str | None) -> RawDocument:
    """Plain text like the seeds: header tokens, first line as title, stamps near the top."""
    lines = text.split("\n")
    first = next((line for line in lines if line.strip()), "")
    header = _HEADER.match(first)
    title_line = first[header.end() :] if header else first
    published = _partial_iso(header.group(1)) if header else None
    updated = None
    stamps = [_stamp_date(m) for m in _STAMP.finditer("\n".join(lines[:_STAMP_LINES]))]
    stamps = [s for s in stamps if s is not None]
    if stamps:
        published = _merge_dates(published, stamps[0])
        updated = stamps[1] if len(stamps) > 1 else None
    published = _merge_dates(published, date_from_url(url))
    return RawDocument(
        source=source,
        text=text,
        format=SourceFormat.TEXT,
        title=title_line.strip() if looks_like_title(title_line) else None,
        url=url,
        published=published,
        updated=updated,
    )


def looks_like_title(line: str) -> bool:
    """A headline is short and does not end like a sentence ("?" and "!" may)."""
    line = line.strip()
    return 0 < len(line) <= _TITLE_MAX_CHARS and not line.endswith((".", ",", ";", ":"))


def _read_html(source: str, text: str, url: str | None) -> RawDocument:
    from trafilatura import bare_extraction  # imports lxml and htmldate: only when HTML is met

    extracted = bare_extraction(
        text,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = (extracted.text if extracted else "") or ""
    if not body.strip():
        raise InputError(source, "HTML page without article text")
    title = (extracted.title or "").strip() or None
    language = _html_language(text)
    published = _partial_iso(extracted.date) if extracted.date else None
    return RawDocument(
        source=source,
        text=_with_title(repair(body), title),
        format=SourceFormat.HTML,
        title=title,
        outlet=extracted.sitename or extracted.hostname or None,
        url=url or extracted.url or None,
        published=_merge_dates(published, date_from_url(url)),
        language=language,
    )


_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.IGNORECASE)


def _html_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes; used only when the bytes are not UTF-8."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


_HTML_LANG = re.compile(r"<html[^>]*\slang=[\"']?([a-zA-Z]{2})", re.IGNORECASE)


def _html_language(text: str) -> str | None:
    match = _HTML_LANG.search(text[:4096])
    return match.group(1).lower() if match else None


def _with_title(body: str, title: str | None) -> str:
    """Put the title in the text, so that it can be cited, unless the body already opens with it."""
    if not title or body.lstrip().startswith(title):
        return body
    return f"{title}\n\n{body}"


_JSONL_FIELDS = ("text", "title", "url", "published", "outlet", "language")


def _read_jsonl(source: str, text: str) -> SourceContents:
    documents: list[RawDocument] = []
    failures: list[InputFailure] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            documents.append(_jsonl_document(f"{source}#{number}", line))
        except InputError as error:
            failures.append(InputFailure(where, error.reason))
    if not documents and failures:
        raise InputError(source, f"no valid JSON Lines record ({len(failures)} bad lines; first: {failures[0].reason})")
    return SourceContents(tuple(documents), tuple(failures))


def _jsonl_document(source: str, line: str) -> RawDocument:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(source, f"invalid JSON: {error.msg} at column {error.colno}") from None
    if not isinstance(record, dict):
        raise InputError(source, "a JSON Lines record must be an object")
    values = {name: record.get(name) for name in _JSONL_FIELDS}
    wrong = [name for name, value in values.items() if value is not None and not isinstance(value, str)]
    if wrong:
        raise InputError(source, f"fields must be strings: {', '.join(wrong)}")
    body = values["text"]
    if not body or not body.strip():
        raise InputError(source, "record without text")
    published = _partial_iso(values["published"]) if values["published"] else None
    if values["published"] and published is None:
        raise InputError(source, f"published is not an ISO date: {values['published']!r}")
    title = (values["title"] or "").strip() or None
    return RawDocument(
        source=source,
        text=_with_title(repair(body), title),
        format=SourceFormat.JSONL,
        title=title,
        outlet=values["outlet"],
        url=values["url"],
        published=_merge_dates(published, date_from_url(values["url"])),
        language=values["language"].lower() if values["language"] else None,
    )


def _read_warc(source: str, data: bytes) -> SourceContents:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    documents: list[RawDocument] = []
    failures: list[InputFailure] = []
    try:
        for number, record in enumerate(ArchiveIterator(io.BytesIO(data)), start=1):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            if "html" not in content_type.lower():
                continue
            part = f"{source}#{number}"
            url = record.rec_headers.get_header("WARC-Target-URI")
            try:
                payload = record.content_stream().read()
                charset = _charset(content_type)
                documents.append(_read_html(part, decode(part, payload, charset), url))
            except InputError as error:
                failures.append(InputFailure(part, error.reason))
    except (ArchiveLoadFailed, ValueError, EOFError, OSError) as error:
        if not documents:
            raise InputError(source, f"not a readable WARC file: {error}") from None
        failures.append(InputFailure(source, f"WARC file cut short: {error}"))
    if not documents and not failures:
        raise InputError(source, "WARC file without HTML responses")
    return SourceContents(tuple(documents), tuple(failures))


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset=([\w-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _read_feed(source: str, data: bytes) -> list[RawDocument]:
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        reason = getattr(feed, "bozo_exception", None)
        raise InputError(source, f"not an RSS/Atom feed with entries{f': {reason}' if reason else ''}")
    outlet = feed.feed.get("title") or None
    documents = []
    for number, entry in enumerate(feed.entries, start=1):
        content = entry.get("content") or []
        markup = content[0].get("value", "") if content else entry.get("summary", "")
        body = repair(html_to_text(markup))
        title = (entry.get("title") or "").strip() or None
        if not body.strip() and not title:
            continue
        url = entry.get("link")
        # feedparser maps a missing `updated` to `published` (with a warning): read each only when present
        updated = _struct_date(entry.get("updated_parsed")) if "updated" in entry else None
        published = (_struct_date(entry.get("published_parsed")) if "published" in entry else None) or updated
        documents.append(
            RawDocument(
                source=f"{source}#{number}",
                text=_with_title(body, title),
                format=SourceFormat.FEED,
                title=title,
                outlet=outlet,
                url=url,
                published=_merge_dates(published, date_from_url(url)),
                updated=updated,
                language=(feed.feed.get("language") or "")[:2].lower() or None,
            )
        )
    if not documents:
        raise InputError(source, "feed entries have neither title nor text")
    return documents


class _TextExtractor(html.parser.HTMLParser):
    """Text of an HTML fragment, one line per block element."""

    _BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Plain text of a feed entry's HTML: blocks become lines, blank runs collapse."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n")]
    return "\n".join(line for line in lines if line)


# --- dates ---------------------------------------------------------------


def date_from_url(url: str | None) -> PartialDate | None:
    """The date a URL path carries (/2023/09/10/, -20230717-, /2023/07/), as precise as written."""
    if not url:
        return None
    path = re.sub(r"^https?://[^/]+", "", url)
    for match in _URL_DATE.finditer(path):
        date = _valid(*match.groups())
        if date:
            return date
    for match in _URL_COMPACT_DATE.finditer(path):
        date = _valid(*match.groups())
        if date:
            return date
    return None


def _valid(year: str, month: str | None, day: str | None) -> PartialDate | None:
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    if not 1990 <= int(year) <= dt.date.today().year + 1:
        return None
    return PartialDate(int(year), int(month) if month else None, int(day) if day else None)


def _partial_iso(value: str) -> PartialDate | None:
    match = re.match(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    return _valid(*match.groups()) if match else None


def _stamp_date(match: re.Match[str]) -> PartialDate | None:
    day, month, year = match.groups()
    return _valid(year, month, day)


def _struct_date(value: time.struct_time | None) -> PartialDate | None:
    return PartialDate(value.tm_year, value.tm_mon, value.tm_mday) if value else None


def _finer(a: PartialDate, b: PartialDate) -> PartialDate | None:
    """The more precise of two compatible dates; None when they disagree."""
    pairs = ((a.year, b.year), (a.month, b.month), (a.day, b.day))
    if any(x is not None and y is not None and x != y for x, y in pairs):
        return None
    return a if (a.month, a.day).count(None) <= (b.month, b.day).count(None) else b


def _merge_dates(first: PartialDate | None, second: PartialDate | None) -> PartialDate | None:
    """The first date refined by the second when they agree (a header month by a URL day); the first wins a conflict."""
    if first is None or second is None:
        return first or second
    return _finer(first, second) or first

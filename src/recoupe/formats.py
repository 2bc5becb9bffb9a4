"""One reader per source format (plain text, HTML, JSON Lines, WARC, RSS/Atom) -> `RawDocument`s.

Each reader also takes the metadata its format carries: title, outlet, URL,
language, and the published date, refined by the date a URL path carries.
Container readers (JSON Lines, WARC) return `SourceContents`: a bad record
fails alone, next to the documents that were read.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import io
import json
import os
import re
import time

from recoupe.decoding import CONTROL_CHARACTERS as _CONTROL
from recoupe.decoding import decode, repair
from recoupe.errors import InputError
from recoupe.model import InputFailure, PartialDate, RawDocument, SourceContents, SourceFormat

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

EXTENSIONS = {
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


def guess_format(source: str, data: bytes, content_type: str) -> SourceFormat:
    path = source.split("?", 1)[0].lower()
    if path.endswith(".warc.gz"):
        return SourceFormat.WARC
    suffix = os.path.splitext(path)[1]
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"warc/") or data[:2] == b"\x1f\x8b":
        return SourceFormat.WARC
    if b"<rss" in head or b"<feed" in head or ("xml" in content_type and b"<html" not in head):
        return SourceFormat.FEED
    if head.startswith((b"<!doctype html", b"<html")) or "html" in content_type:
        return SourceFormat.HTML
    return SourceFormat.TEXT


def read_text(source: str, text: str, url: str | None) -> RawDocument:
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
        published = merge_dates(published, stamps[0])
        updated = stamps[1] if len(stamps) > 1 else None
    published = merge_dates(published, date_from_url(url))
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


def read_html(source: str, text: str, url: str | None) -> RawDocument:
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
        published=merge_dates(published, date_from_url(url)),
        language=language,
    )


_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.IGNORECASE)


def html_charset(data: bytes) -> str | None:
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


def read_jsonl(source: str, text: str) -> SourceContents:
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
        except Exception as error:  # noqa: BLE001 - one record fails alone, whatever breaks
            failures.append(InputFailure(where, f"unreadable record ({type(error).__name__}: {error})"))
    if not documents and failures:
        raise InputError(source, f"no valid JSON Lines record ({len(failures)} bad lines; first: {failures[0].reason})")
    return SourceContents(tuple(documents), tuple(failures))


def _jsonl_document(source: str, line: str) -> RawDocument:
    if _CONTROL.search(line):
        raise InputError(source, "binary data (NUL or control characters) in the record")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(source, f"invalid JSON: {error.msg} at column {error.colno}") from None
    except RecursionError:
        raise InputError(source, "invalid JSON: nested too deeply") from None
    if not isinstance(record, dict):
        raise InputError(source, "a JSON Lines record must be an object")
    values = {name: record.get(name) for name in _JSONL_FIELDS}
    wrong = [name for name, value in values.items() if value is not None and not isinstance(value, str)]
    if wrong:
        raise InputError(source, f"fields must be strings: {', '.join(wrong)}")
    body = values["text"]
    if not body or not body.strip():
        raise InputError(source, "record without text")
    if _CONTROL.search(body):
        raise InputError(source, "binary data (NUL or control characters) in the text")
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
        published=merge_dates(published, date_from_url(values["url"])),
        language=values["language"].lower() if values["language"] else None,
    )


def read_warc(source: str, data: bytes) -> SourceContents:
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
                charset = content_type_charset(content_type)
                documents.append(read_html(part, decode(part, payload, charset), url))
            except InputError as error:
                failures.append(InputFailure(part, error.reason))
            except Exception as error:  # noqa: BLE001 - one record fails alone, whatever breaks
                failures.append(InputFailure(part, f"unreadable record ({type(error).__name__}: {error})"))
    except (ArchiveLoadFailed, ValueError, EOFError, OSError) as error:
        if not documents:
            raise InputError(source, f"not a readable WARC file: {error}") from None
        failures.append(InputFailure(source, f"WARC file cut short: {error}"))
    if not documents and not failures:
        raise InputError(source, "WARC file without HTML responses")
    return SourceContents(tuple(documents), tuple(failures))


def content_type_charset(content_type: str) -> str | None:
    match = re.search(r"charset=([\w-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def read_feed(source: str, data: bytes) -> list[RawDocument]:
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
                published=merge_dates(published, date_from_url(url)),
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


def merge_dates(first: PartialDate | None, second: PartialDate | None) -> PartialDate | None:
    """The first date refined by the second when they agree (a header month by a URL day); the first wins a conflict."""
    if first is None or second is None:
        return first or second
    return _finer(first, second) or first

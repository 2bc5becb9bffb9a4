"""Files, directories and URLs -> `RawDocument`s: decoding, formats, source metadata.

Every failure is an `InputError(source, reason)` with a one-line reason, so a
batch can log it and go on. Parts of a container (a JSONL line, a WARC record)
fail alone: `read_contents` returns them next to the documents that were read.
`RawDocument.text` is the decoded original with mojibake repaired and line ends
normalised; every later offset points into it.

This module finds and reads the bytes and picks the format; `decoding.py` turns
bytes into text, `formats.py` holds one reader per format.
"""

from __future__ import annotations

import logging
import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from recoupe.decoding import decode, repair
from recoupe.errors import InputError
from recoupe.formats import (
    EXTENSIONS,
    content_type_charset,
    date_from_url,
    guess_format,
    html_charset,
    html_to_text,
    looks_like_title,
    merge_dates,
    read_feed,
    read_html,
    read_jsonl,
    read_text,
    read_warc,
)
from recoupe.model import RawDocument, SourceContents, SourceFormat
from recoupe.settings import IngestSettings

__all__ = [  # decode, repair, html_to_text, looks_like_title and date_from_url are re-exported
    "iter_sources", "read_source", "read_contents", "with_url",
    "decode", "repair", "html_to_text", "looks_like_title", "date_from_url",
]

log = logging.getLogger(__name__)

_URL = re.compile(r"^https?://", re.IGNORECASE)


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
    return name.endswith((".warc.gz", ".xml")) or os.path.splitext(name)[1] in EXTENSIONS


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
    source_format = guess_format(source, data, content_type)
    if source_format is SourceFormat.WARC:
        return read_warc(source, data)
    if source_format is SourceFormat.FEED:
        return SourceContents(tuple(read_feed(source, data)))
    declared = html_charset(data) if source_format is SourceFormat.HTML else None
    text = decode(source, data, declared or content_type_charset(content_type))
    if not text.strip():
        raise InputError(source, "empty file (whitespace only)")
    url = source if _URL.match(source) else None
    if source_format is SourceFormat.HTML:
        return SourceContents((read_html(source, text, url),))
    if source_format is SourceFormat.JSONL:
        return read_jsonl(source, text)
    return SourceContents((read_text(source, text, url),))


def with_url(raw: RawDocument, url: str) -> RawDocument:
    """Attach a URL known from elsewhere (a label file, a crawl log); its date refines `published`."""
    return replace(raw, url=url, published=merge_dates(raw.published, date_from_url(url)))


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

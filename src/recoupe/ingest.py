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

import fnmatch
import logging
import os
import re
import stat
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from recoupe.decoding import decode
from recoupe.errors import InputError
from recoupe.formats import (
    EXTENSIONS,
    content_type_charset,
    date_from_url,
    guess_format,
    html_charset,
    merge_dates,
    read_feed,
    read_html,
    read_jsonl,
    read_text,
    read_warc,
)
from recoupe.model import InputFailure, RawDocument, SourceContents, SourceFormat, SourceList
from recoupe.settings import IngestSettings

__all__ = ["iter_sources", "scan_sources", "read_source", "read_contents", "with_url"]

log = logging.getLogger(__name__)

_URL = re.compile(r"^https?://", re.IGNORECASE)


def iter_sources(paths: Iterable[str], settings: IngestSettings | None = None) -> Iterator[str]:
    """The sources `scan_sources` selects, in order; what it skips is dropped silently."""
    yield from scan_sources(paths, settings or IngestSettings()).sources


def scan_sources(paths: Iterable[str], settings: IngestSettings) -> SourceList:
    """Expand directories recursively (sorted), and say why each file left out was left out.

    Hidden files are skipped quietly; files of a format Recoupe does not read,
    files the `include`/`exclude` globs leave out, non-regular files (FIFOs,
    devices, sockets) and symlinks pointing outside the input folders (unless
    `follow_links`) are skipped with a reason. Files and URLs named explicitly
    pass through whatever their extension.
    """
    sources: list[str] = []
    skipped: list[InputFailure] = []
    named = list(paths)
    roots = [os.path.realpath(p) for p in named if not _URL.match(p) and os.path.isdir(p)]
    for path in named:
        if _URL.match(path) or not os.path.isdir(path):
            sources.append(path)
            continue
        for found, reason in _walk(path, roots, settings):
            if reason is None:
                sources.append(found)
            else:
                skipped.append(InputFailure(found, reason))
    return SourceList(tuple(sources), tuple(skipped))


def _walk(directory: str, roots: list[str], settings: IngestSettings, seen: set[str] | None = None, top: str | None = None) -> Iterator[tuple[str, str | None]]:
    """(path, None) for a file to read, (path, reason) for one skipped; in name order, sub-directories in place.

    A symlinked directory is entered only when it stays inside an input folder
    (or with `follow_links`), and never twice (no loops)."""
    seen = set() if seen is None else seen
    top = top or directory
    real = os.path.realpath(directory)
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as error:
        yield directory, f"cannot list folder: {error.strerror or error}"
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() and not settings.follow_links and not _inside(os.path.realpath(entry.path), roots):
            yield entry.path, "symlink to outside the input folders (--follow-links reads it)"
            continue
        try:
            mode = entry.stat().st_mode
        except OSError as error:
            yield entry.path, f"{error.strerror or error}"
            continue
        if stat.S_ISDIR(mode):
            yield from _walk(entry.path, roots, settings, seen, top)
        elif not stat.S_ISREG(mode):
            yield entry.path, f"not a regular file ({_file_kind(mode)})"
        else:
            yield entry.path, _selection_reason(entry.path, top, settings)


def _inside(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device")):
        if test(mode):
            return name
    return "special file"


def _selection_reason(path: str, root: str, settings: IngestSettings) -> str | None:
    """None: read it; otherwise why it is left out."""
    relative = os.path.relpath(path, root)
    name = os.path.basename(path)
    if settings.include:
        if not any(_glob(relative, name, pattern) for pattern in settings.include):
            return "matches no --include pattern"
    elif not _news_file(name):
        return f"unsupported format ({os.path.splitext(name)[1] or 'no extension'}; --include reads it as text)"
    if any(_glob(relative, name, pattern) for pattern in settings.exclude):
        return "matches an --exclude pattern"
    return None


def _glob(relative: str, name: str, pattern: str) -> bool:
    """A pattern with a slash matches the path below the input folder, one without matches the file name."""
    return fnmatch.fnmatch(relative if "/" in pattern else name, pattern)


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
    jsonl = source_format is SourceFormat.JSONL
    text = decode(source, data, declared or content_type_charset(content_type), container=jsonl)
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
    """The bytes of a regular file; a FIFO or device fails at once (opened without blocking, checked before reading)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from None
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise InputError(path, "cannot read: is a folder")
        if not stat.S_ISREG(status.st_mode):
            raise InputError(path, f"not a regular file ({_file_kind(status.st_mode)})")
        if status.st_size > settings.max_bytes:
            raise InputError(path, f"file too large: {status.st_size} bytes > ingest.max_bytes={settings.max_bytes}")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(settings.max_bytes + 1)
    except InputError:
        raise
    except OSError as error:
        raise InputError(path, f"cannot read: {error.strerror or error}") from None
    finally:
        os.close(descriptor)
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

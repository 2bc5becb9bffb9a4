"""Score cleaning against seeds gold.json (noise gone, article kept, live-blog entries, published
dates) and published dates against dev labels.json."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from recoupe.evaluate import normalise
from recoupe.model import Document, SegmentKind

_GOLD_TIME = re.compile(r"^(\d{1,2})\s*[h:]\s*(\d{2})$")


@dataclass(frozen=True, slots=True)
class CleaningScores:
    noise_total: int = 0
    noise_removed: int = 0
    keep_total: int = 0
    keep_kept: int = 0
    liveblog_entries_expected: int = 0
    liveblog_entries_found: int = 0
    published_total: int = 0
    published_right: int = 0
    liveblog_entries_extra: int = 0  # entries found that gold does not list
    liveblog_leads_expected: int = 0
    liveblog_leads_found: int = 0
    documents_missing: int = 0  # gold documents with no cleaned document

    def lines(self) -> list[str]:
        return [
            f"noise removed      {self.noise_removed}/{self.noise_total}",
            f"keep kept          {self.keep_kept}/{self.keep_total}",
            f"live-blog entries  {self.liveblog_entries_found}/{self.liveblog_entries_expected} (extra {self.liveblog_entries_extra})",
            f"live-blog leads    {self.liveblog_leads_found}/{self.liveblog_leads_expected}",
            f"published right    {self.published_right}/{self.published_total}",
            f"documents missing  {self.documents_missing}",
        ]


def score_cleaning(documents: list[Document], gold: dict) -> CleaningScores:
    """Compare each gold document with the cleaned document of the same file name."""
    by_name = {Path(d.source).name: d for d in documents}
    counts = dict.fromkeys(CleaningScores.__slots__, 0)
    for name, expected in gold["documents"].items():
        document = by_name.get(name)
        if document is None:
            counts["documents_missing"] += 1
            continue
        cleaned = normalise(document.cleaned_text)
        noise = [normalise(s) for s in expected.get("noise", [])]
        keep = [normalise(s) for s in expected.get("keep", [])]
        counts["noise_total"] += len(noise)
        counts["noise_removed"] += sum(s not in cleaned for s in noise)
        counts["keep_total"] += len(keep)
        counts["keep_kept"] += sum(s in cleaned for s in keep)
        wanted = {_time(t) for t in expected.get("liveblog_entries", [])}
        found = {s.time for s in document.segments if s.kind is SegmentKind.ENTRY}
        counts["liveblog_entries_expected"] += len(wanted)
        counts["liveblog_entries_found"] += len(wanted & found)
        counts["liveblog_entries_extra"] += len(found - wanted)
        if expected.get("liveblog"):
            counts["liveblog_leads_expected"] += 1
            counts["liveblog_leads_found"] += any(s.kind is SegmentKind.LEAD for s in document.segments)
        if "published" in expected:
            counts["published_total"] += 1
            stated = document.published.iso() if document.published else None
            counts["published_right"] += stated == expected["published"]
    return CleaningScores(**counts)


def _time(value: str) -> str:
    """Gold writes "11h58"; segments carry "11:58"."""
    match = _GOLD_TIME.match(value.strip())
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else value


@dataclass(frozen=True, slots=True)
class PublishedScores:
    total: int = 0
    right: int = 0
    wrong: tuple[str, ...] = ()  # "file: found != expected"

    def lines(self) -> list[str]:
        return [f"published right    {self.right}/{self.total}", *(f"  {w}" for w in self.wrong)]


def score_published(documents: list[Document], labels: list[dict]) -> PublishedScores:
    """Dev labels.json: `published` is what the URL or the text states (a day, a month, or null)."""
    by_name = {Path(d.source).name: d for d in documents}
    right, wrong = 0, []
    for label in labels:
        document = by_name.get(label["file"])
        found = document.published.iso() if document and document.published else None
        if found == label["published"]:
            right += 1
        else:
            wrong.append(f"{label['file']}: {found} != {label['published']}")
    return PublishedScores(len(labels), right, tuple(wrong))


def clean_corpus(path: Path) -> list[Document]:
    """Ingest and clean `path/articles` alone (no NLP): enough for these scores, in seconds."""
    from recoupe.clean import NoiseRules, build_language_detector, clean
    from recoupe.ingest import iter_sources, read_source, with_url
    from recoupe.lang import load_language
    from recoupe.settings import CleanSettings, IngestSettings

    urls = {}
    if (path / "labels.json").exists():
        urls = {label["file"]: label["url"] for label in json.loads((path / "labels.json").read_text(encoding="utf-8"))}
    rules, detector = NoiseRules.from_resources(load_language("fr")), build_language_detector()
    documents = []
    for source in iter_sources([str(path / "articles")]):
        for raw in read_source(source, IngestSettings()):
            url = urls.get(Path(source).name)
            documents.append(clean(with_url(raw, url) if url else raw, rules, detector, CleanSettings()))
    return documents


if __name__ == "__main__":  # python -m recoupe.evaluate.cleaning ../shared/corpus/seeds ../shared/corpus/dev
    for corpus in map(Path, sys.argv[1:]):
        documents = clean_corpus(corpus)
        print(f"# {corpus}")
        if (corpus / "gold.json").exists():
            print("\n".join(score_cleaning(documents, json.loads((corpus / "gold.json").read_text(encoding="utf-8"))).lines()))
        if (corpus / "labels.json").exists():
            print("\n".join(score_published(documents, json.loads((corpus / "labels.json").read_text(encoding="utf-8"))).lines()))

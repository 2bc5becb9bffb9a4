"""What gold cannot score and a person should read: places, dates and claims per document and event.

`recoupe eval` prints it for corpora whose labels give events but no places,
dates or claims (dev), so a reader can check them: no wrong country, no date
outside its event, claims found for every event.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from recoupe.evaluate.analysis import place_summary
from recoupe.model import Analysis, CorpusResults, DateRange, Document, EventRole


@dataclass(frozen=True, slots=True)
class ReadingSummary:
    documents: tuple[str, ...]  # one line per document: its dates
    places: tuple[str, ...]  # one line per document: its places
    claims_per_event: tuple[tuple[str, int], ...]  # (event title, claims) for every event

    @property
    def events_without_claims(self) -> int:
        return sum(1 for _, count in self.claims_per_event if count == 0)

    def lines(self) -> list[str]:
        out = [f"events with claims  {len(self.claims_per_event) - self.events_without_claims}/{len(self.claims_per_event)}"]
        out += [f"  {count:3d} claims  {title[:70]}" for title, count in self.claims_per_event]
        out.append("places by document:")
        out += [f"  {line}" for line in self.places]
        out.append("dates by document:")
        out += [f"  {line}" for line in self.documents]
        return out


def read_corpus(documents: Sequence[Document], analyses: Sequence[Analysis], results: CorpusResults) -> ReadingSummary:
    by_id = {a.document_id: a for a in analyses}
    dates = []
    for document in documents:
        analysis = by_id.get(document.id)
        values = dict.fromkeys(f"{t.text!r} -> {_iso(t.value)}" for t in (analysis.times if analysis else ()))
        stated = document.published.iso() if document.published else "-"
        dates.append(f"{Path(document.source).name} (published {stated}): " + ("; ".join(values) or "-"))
    reporting = {(l.event_id, l.document_id) for l in results.event_links if l.role is not EventRole.BACKGROUND}
    claims = Counter({event.id: 0 for event in results.events})
    for event_id, document_id in reporting:
        analysis = by_id.get(document_id)
        claims[event_id] += len(analysis.claims) if analysis else 0
    titles = {event.id: event.title for event in results.events}
    return ReadingSummary(
        documents=tuple(dates),
        places=tuple(place_summary(documents, analyses)),
        claims_per_event=tuple((titles[e], claims[e]) for e in sorted(titles, key=lambda e: -claims[e])),
    )


def _iso(value) -> str:
    return value.iso() if isinstance(value, DateRange) else value.isoformat()

"""Relations derived from stored values, computed the same way by every store and export.

Pure functions over model values: which event a claim or a document belongs
to, and which document a copy reproduces. No database here.
"""

from __future__ import annotations

from collections.abc import Iterable

from recoupe.model import Analysis, Claim, CopyLink, CorpusResults, EventRole
from recoupe.store.listing import claim_owners, claim_refs


def claim_events(analyses: Iterable[Analysis], results: CorpusResults) -> dict[str, str]:
    """Claim id -> the one event it belongs to, for claims that belong to one.

    In order of precedence: the event of a proposition holding the claim; the
    event of a link whose span contains the claim (a live-blog entry, a
    background paragraph); the document's main event; any event it is linked to
    (`store.listing.claim_owners`, which the SQL stores run on their claims table)."""
    return claim_owners(claim_refs(analyses), results)


def event_claims(event_id: str, analyses: Iterable[Analysis], results: CorpusResults) -> list[Claim]:
    """The claims `claim_events` gives to this event, by document order then offset."""
    analyses = list(analyses)
    owners = claim_events(analyses, results)
    return [claim for a in analyses for claim in sorted(a.claims, key=lambda c: c.span.start) if owners.get(claim.id) == event_id]


def event_documents(event_id: str, results: CorpusResults) -> set[str]:
    """Ids of the documents linked to the event, whatever the role."""
    return {link.document_id for link in results.event_links if link.event_id == event_id}


def main_events(results: CorpusResults) -> dict[str, str]:
    """Document id -> the event its lead reports (a link with role MAIN)."""
    out: dict[str, str] = {}
    for link in results.event_links:
        if link.role is EventRole.MAIN:
            out.setdefault(link.document_id, link.event_id)
    return out


def originals(copies: Iterable[CopyLink]) -> dict[str, CopyLink]:
    """Copy document id -> the link to the original it reproduces (one per copy).

    A document that copies both an original and another copy of it shows the
    original: the most similar link among those whose original copies nothing."""
    links = list(copies)
    is_copy = {link.copy for link in links}
    out: dict[str, CopyLink] = {}
    for link in links:
        best = out.get(link.copy)
        rank = (link.original not in is_copy, link.similarity)
        if best is None or rank > (best.original not in is_copy, best.similarity):
            out[link.copy] = link
    return out

"""A copy detector's index kept in a store: what it held in memory, looked up by key.

`StoredCopies` is a `copies.CopyIndex` over a `Store`: for each new document the
detector asks for the held document of its signature, those sharing a band key
and the postings of its anchor pairs (`Store.copy_matches`), the counts of the
anchors it weighs (`Store.anchor_counts`), and reads the few documents it compares
(`Store.document`), never every stored document. What a batch adds (and forgets,
beyond `CopySettings.max_documents`) stays pending in memory, answered beside the
store's rows, until it is saved with the batch (`DocumentBatch.copy_index`), so the
detector decides exactly as it would holding every document in memory.

`open_copies` checks that the stored index was built with today's settings and
has been given every stored document; otherwise it rebuilds it once, streaming
the stored documents a page at a time (a store made before the index existed, or
filled by another path).
"""

from __future__ import annotations

import hashlib
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from itertools import islice

from recoupe.copies import CopyDetector, Profile
from recoupe.errors import StoreError
from recoupe.model import CopyEntry, CopyIndexUpdate, CopyMatches, Document, DocumentBatch
from recoupe.store import Store

# Stored documents read at a time when the index is rebuilt.
PAGE = 1000
# Profiles of stored documents kept between look-ups (about 20 KB each).
CACHED_PROFILES = 4096


def fingerprint(detector: CopyDetector) -> str:
    """What the stored keys depend on: the copy settings, the name folding and the calendar anchors."""
    calendar = detector.calendar
    parts = [repr(detector.settings), detector.names.version, repr(sorted(calendar.words.items())), repr([p.pattern for p in calendar.clock])]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=12).hexdigest()


class StoredCopies:
    """`copies.CopyIndex` over a store; `update()` is this batch's change, saved with the batch."""

    def __init__(self, store: Store, detector: CopyDetector) -> None:
        self._store = store
        self._detector = detector
        self._fingerprint = fingerprint(detector)
        state = store.copy_index()
        self._held, self._arrivals, self._seen = state.held, state.arrivals, state.seen
        self._cache: OrderedDict[str, Profile] = OrderedDict()
        self._begin()

    def _begin(self) -> None:
        self._added: dict[str, tuple[CopyEntry, Profile]] = {}
        self._forgotten: dict[str, CopyEntry] = {}
        self._signatures: dict[str, str | None] = {}  # set by this batch (None: its holder was forgotten)
        self._bands: dict[int, dict[str, None]] = {}
        self._pairs: dict[int, list[str]] = {}
        self._anchors: Counter[int] = Counter()  # this batch's change to the anchor counts
        self._given = 0
        self._stored_exact: tuple[str, str | None] = ("", None)

    # copies.CopyIndex

    def holds(self, document_id: str) -> bool:
        """Among this batch's: a run gives only documents not stored before, a rebuild each stored one once."""
        return document_id in self._added and document_id not in self._forgotten

    def held(self) -> int:
        return self._held

    def arrivals(self) -> int:
        return self._arrivals

    def matches(self, signature: str, bands: Sequence[int], pairs: Iterable[int]) -> CopyMatches:
        pairs = list(pairs)
        stored = self._store.copy_matches(signature, bands, pairs)
        self._stored_exact = (signature, stored.exact)
        gone = self._forgotten
        arrivals = {i: a for i, a in stored.arrivals.items() if i not in gone}
        arrivals.update((i, entry.arrival) for i, (entry, _) in self._added.items() if i not in gone)
        if signature in self._signatures:
            exact = self._signatures[signature]
        else:
            exact = stored.exact if stored.exact not in gone else None
        banded = dict.fromkeys(i for i in stored.banded if i not in gone)
        for key in bands:
            banded.update(dict.fromkeys(i for i in self._bands.get(key, ()) if i not in gone))
        postings: dict[int, tuple[str, ...]] = {}
        for pair in pairs:
            ids = [i for i in (*stored.postings.get(pair, ()), *self._pairs.get(pair, ())) if i not in gone]
            if ids:
                postings[pair] = tuple(ids)
        return CopyMatches(exact, tuple(banded), postings, arrivals)

    def anchor_counts(self, anchors: Iterable[int]) -> Mapping[int, int]:
        anchors = set(anchors)
        counts = Counter(self._store.anchor_counts(anchors))
        for anchor in anchors & self._anchors.keys():
            counts[anchor] += self._anchors[anchor]
        return {a: n for a, n in counts.items() if n > 0}

    def profiles(self, arrivals: Mapping[str, int]) -> dict[str, Profile]:
        out: dict[str, Profile] = {}
        for document_id, arrival in arrivals.items():
            if document_id in self._added:
                out[document_id] = self._added[document_id][1]
                continue
            out[document_id] = self._stored_profile(document_id, arrival)
        return out

    def add(self, profile: Profile, bands: Sequence[int], pairs: Sequence[int]) -> None:
        key = profile.document_id
        signature = None
        if self._holder(profile.signature) is None:
            signature = profile.signature
            self._signatures[signature] = key
        entry = CopyEntry(key, profile.arrival, signature, tuple(bands), tuple(pairs), tuple(dict.fromkeys(profile.anchors)))
        self._added[key] = (entry, profile)
        self._anchors.update(entry.anchors)
        for band in bands:
            self._bands.setdefault(band, {})[key] = None
        for pair in pairs:
            self._pairs.setdefault(pair, []).append(key)
        self._held += 1
        self._arrivals = profile.arrival + 1

    def forget_oldest(self) -> None:
        oldest = next(
            (e for e in self._store.oldest_copies(len(self._forgotten) + 1) if e.document_id not in self._forgotten),
            None,
        )
        if oldest is None:  # every stored entry is gone: the oldest of this batch
            entry, profile = next((e, p) for i, (e, p) in self._added.items() if i not in self._forgotten)
        else:
            profile = self._stored_profile(oldest.document_id, oldest.arrival)
            entry = CopyEntry(oldest.document_id, oldest.arrival, oldest.signature, anchors=tuple(dict.fromkeys(profile.anchors)))
        self._forgotten[entry.document_id] = entry
        self._anchors.subtract(entry.anchors)
        if entry.signature is not None:
            self._signatures[entry.signature] = None
        self._held -= 1

    # this batch

    def given(self, documents: int) -> None:
        """Count stored documents given to the detector (held or not: too short ones are not)."""
        self._given += documents

    def update(self) -> CopyIndexUpdate:
        return CopyIndexUpdate(
            added=tuple(entry for entry, _ in self._added.values()),
            forgotten=tuple(self._forgotten.values()),
            seen=self._seen + self._given,
            arrivals=self._arrivals,
            fingerprint=self._fingerprint,
        )

    def saved(self) -> None:
        """The pending update is in the store: lookups go to it from now on."""
        for document_id, (_, profile) in self._added.items():
            self._remember(document_id, profile)
        for document_id in self._forgotten:
            self._cache.pop(document_id, None)
        self._seen += self._given
        self._begin()

    def _holder(self, signature: str) -> str | None:
        if signature in self._signatures:
            return self._signatures[signature]
        known, exact = self._stored_exact
        if known != signature:
            exact = self._store.copy_matches(signature, (), ()).exact
        return None if exact in self._forgotten else exact

    def _stored_profile(self, document_id: str, arrival: int) -> Profile:
        profile = self._cache.get(document_id)
        if profile is not None and profile.arrival == arrival:
            self._cache.move_to_end(document_id)
            return profile
        document = self._store.document(document_id)
        if document is None:
            raise StoreError(f"the copy index holds {document_id!r}, which is not stored")
        profile = self._detector.profile(document, arrival)
        self._remember(document_id, profile)
        return profile

    def _remember(self, document_id: str, profile: Profile) -> None:
        self._cache[document_id] = profile
        self._cache.move_to_end(document_id)
        while len(self._cache) > CACHED_PROFILES:
            self._cache.popitem(last=False)


def open_copies(store: Store, detector: CopyDetector) -> StoredCopies:
    """The store's copy index, made `detector`'s index; rebuilt first when it is stale (other
    settings, or stored documents it was never given): emptied, then given every stored document,
    a page of `PAGE` at a time, one transaction each (the links found again are stored already).
    A crash midway leaves it stale: the next run rebuilds it again."""
    index = StoredCopies(store, detector)
    state = store.copy_index()
    stored = store.counts().documents
    if state.fingerprint != index._fingerprint or state.seen != stored:
        store.save_batch(DocumentBatch((), copy_index=CopyIndexUpdate(fingerprint=index._fingerprint, reset=True)))
        index = StoredCopies(store, detector)
        detector.index = index
        stored = store.documents() if stored else iter(())
        while page := list(islice(stored, PAGE)):
            detector.add(page)
            index.given(len(page))
            store.save_batch(DocumentBatch((), copy_index=index.update()))
            index.saved()
    detector.index = index
    return index

"""Contradictions and figure histories worded in the reader's language, at display time.

The model stores what was found (kind, subject, the two statements); the
sentence saying why it is a contradiction comes from the page's message
catalogue (`messages.yaml`: `reason_*`, `subject_*`, `frame_*`), so one stored
result reads in French or in English.
"""

from __future__ import annotations

from collections.abc import Mapping

from recoupe.model import Contradiction, ContradictionKind, Document, Statement

EXCERPT_CHARS = 60


def reason(contradiction: Contradiction, messages: Mapping[str, str], documents: Mapping[str, Document]) -> str:
    """One sentence naming both sources and what they disagree on."""
    sentence = _sentence(contradiction, messages, documents)
    return sentence[:1].upper() + sentence[1:]


def _sentence(contradiction: Contradiction, messages: Mapping[str, str], documents: Mapping[str, Document]) -> str:
    a = source_name(contradiction.a, messages, documents)
    b = source_name(contradiction.b, messages, documents)
    if contradiction.kind is ContradictionKind.FIGURE:
        return messages["reason_figure"].format(
            subject=subject_name(contradiction.subject, messages), a=a, b=b,
            value_a=_value(contradiction.a), value_b=_value(contradiction.b),
        )
    if contradiction.kind is ContradictionKind.DENIAL:
        return messages["reason_denial"].format(a=a, b=b, frame=frame_name(contradiction.subject, messages))
    frame_a, _, frame_b = contradiction.subject.partition(":")
    return messages["reason_status"].format(
        a=a, b=b, frame_a=frame_name(frame_a, messages), frame_b=frame_name(frame_b or frame_a, messages)
    )


def source_name(statement: Statement, messages: Mapping[str, str], documents: Mapping[str, Document]) -> str:
    """The credited speaker, else the outlet speaking in its own voice."""
    if statement.speaker:
        return statement.speaker
    document = documents.get(statement.span.document_id)
    outlet = document.outlet if document is not None and document.outlet else messages["reason_outlet"]
    return outlet


def subject_name(subject: str, messages: Mapping[str, str]) -> str:
    return messages.get(f"subject_{subject}") or messages.get(f"category_{subject}") or subject


def frame_name(frame: str, messages: Mapping[str, str]) -> str:
    return messages.get(f"frame_{frame}", frame)


def _value(statement: Statement) -> str:
    """The figure as written, else the start of the statement, quoted."""
    text = " ".join((statement.figure.text if statement.figure is not None else statement.text).split())
    if len(text) > EXCERPT_CHARS:
        text = text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"
    return f"\u00ab\u202f{text}\u202f\u00bb"

"""``roles``: actor1 and actor2 the actor lexicon gives around one trigger word (for the
actor tests; not a test module)."""

from __future__ import annotations

from incidents.actors import ActorLexicon, assign_roles


def roles(lexicon: ActorLexicon, text: str, trigger: str) -> tuple[str | None, str | None]:
    """Names of actor1 and actor2 for the first ``trigger`` in ``text`` (one sentence)."""
    mentions = lexicon.find(text)
    start = text.index(trigger)
    r = assign_roles(text, mentions, trigger_start=start, trigger_end=start + len(trigger),
                     sentence_start=0, sentence_end=len(text))
    return (r.actor1.actor.name if r.actor1 else None, r.actor2.actor.name if r.actor2 else None)

"""What work a step does: its action and the data it acts on.

"Capture the prospect's contact details in the marketing tool" and "Type the
customer's contact details into the billing system" do the same work: both
*enter* *contact details*. :func:`work_of` reads a step name as a consultant
does:

- the **action** is the verb the name starts with, with its inflection and a
  leading ``re-`` taken off ("Re-entered" → enter), a particle that belongs to it
  read with it ("key in", "set up", "follow up"), and synonyms merged (capture,
  record, key in, type, copy, transfer… → enter; verify, validate, review… →
  check; the lists are in :mod:`procmap.model.names`);
- the **data object** is the rest, up to where the name says *where* the work
  happens (in, into, on, at, via, using… the CRM), without *whose* it is (a
  possessive, "the prospect's", or a customer-side party word, "customer contact
  details"), without the names of the systems that do it, and with each word in
  its dictionary form (simplemma, a lemmatiser that ships its data: "addresses"
  → address) and data synonyms merged (data, information → details).

Steps with the same action and object are the same work; steps with the same
data but another action ("enter" and "check" contact details) are not.
:func:`read_as` forgives a misspelt data word ("adress"): a word the dictionary
does not know is read as the most alike known word of another step with the
same action, if they are alike enough; two known words ("contact",
"contract") are never one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from procmap.model.names import (
    FILLERS,
    NOUNS,
    PARTICLES,
    PARTIES,
    PHRASAL_VERBS,
    PLACES,
    STOP_WORDS,
    VERBS,
)

_WORD = re.compile(r"[a-z][a-z'-]*")
_VERB_WORDS = frozenset(VERBS) | {verb for verb, _ in PHRASAL_VERBS}


@dataclass(frozen=True)
class Work:
    """The work of a step: what it does (``action``) to which data (``object``)."""

    action: str
    """The verb, in its base form with synonyms merged: "enter", "check", "follow up"."""
    object: str
    """The data, as sorted dictionary forms: "contact detail"; for comparing."""
    said: str
    """The data as the name says it, without where nor a possessive: "contact details"."""

    @property
    def key(self) -> str:
        """Action and object as one text of words, for grouping similar work."""
        return f"{self.action} {self.object}"

    def __str__(self) -> str:
        return f"{self.action} {self.said}"


def work_of(name: str, systems: Iterable[str] = ()) -> Work | None:
    """The work a step named ``name`` does, or None without both a verb and an object.

    ``systems`` are names of systems (the map's system actors): where they stand
    in the object they say where the work is done, not what it is.

    >>> str(work_of("Re-enter the prospect's contact details in the CRM"))
    'enter contact details'
    >>> work_of("Key in the client data").key
    'enter details'
    >>> work_of("Approve") is None
    True
    """
    tokens = [t.strip("-") for t in _WORD.findall(name.lower().replace("\u2019", "'"))]
    tokens = [t for t in tokens if t and t not in FILLERS]
    if len(tokens) < 2:
        return None
    base = _verb(tokens[0])
    rest = tokens[1:]
    if (base, rest[0]) in PHRASAL_VERBS:
        action, rest = PHRASAL_VERBS[base, rest[0]], rest[1:]
    elif rest[0] in PARTICLES:
        action, rest = f"{VERBS.get(base, base)} {rest[0]}", rest[1:]
    else:
        action = VERBS.get(base, base)
    said = _object_words(rest, systems)
    words = [w for w in said if _lemma(w) not in PARTIES] or said
    lemmas = {NOUNS.get(lemma, lemma) for lemma in map(_lemma, words)}
    if not lemmas:
        return None
    return Work(action, " ".join(sorted(lemmas)), " ".join(said))


def read_as(works: Iterable[Work], threshold: float) -> dict[Work, str]:
    """The key each work is read as, its misspelt data words read as known words.

    A data word the dictionary does not know becomes the known word of another
    work with the same action that is most alike (rapidfuzz's ``ratio``, at least
    ``threshold`` of 100); other words stay.

    >>> works = [work_of("Enter the address"), work_of("Key in the adress")]
    >>> sorted(set(read_as(works, 85).values()))
    ['enter address']
    """
    from rapidfuzz import fuzz
    from rapidfuzz.process import extractOne

    by_action: dict[str, list[Work]] = defaultdict(list)
    for work in works:
        by_action[work.action].append(work)
    keys: dict[Work, str] = {}
    for action, same in by_action.items():
        vocabulary = sorted({w for work in same for w in work.object.split() if _known(w)})
        for work in same:
            words = work.object.split()
            if all(map(_known, words)):
                keys[work] = work.key
                continue
            read = set()
            for word in words:
                best = None if _known(word) else extractOne(
                    word, vocabulary, scorer=fuzz.ratio, score_cutoff=threshold)
                read.add(best[0] if best else word)
            keys[work] = f"{action} {' '.join(sorted(read))}"
    return keys


def _object_words(tokens: list[str], systems: Iterable[str]) -> list[str]:
    """The words naming the data: up to where the work happens, without a possessive."""
    words: list[str] = []
    for token in tokens:
        if token in PLACES:
            if words:  # "… in the CRM": the rest says where
                break
            continue  # "follow up on the order"
        if token.endswith(("'s", "'")):  # the prospect's, the customers'
            continue
        if token not in STOP_WORDS:
            words.append(token.rstrip("'"))
    for system in systems:
        words = _without(words, system.lower().split())
    return words


def _without(words: list[str], phrase: list[str]) -> list[str]:
    """``words`` without the first run of ``phrase`` in them (a system's name)."""
    n = len(phrase)
    for i in range(len(words) - n + 1):
        if n and words[i:i + n] == phrase and len(words) > n:
            return words[:i] + words[i + n:]
    return words


@cache
def _verb(word: str) -> str:
    """The base form of a verb, without a repeating ``re-``: re-entered → enter."""
    if word.startswith("re-") and len(word) > 4:
        return _lemma(word[3:])
    lemma = _lemma(word)
    if (lemma not in _VERB_WORDS and word.startswith("re") and len(word) > 2
            and _lemma(word[2:]) in _VERB_WORDS):
        return _lemma(word[2:])  # rekey, retype, recheck; not record, review, register
    return lemma


@cache
def _known(word: str) -> bool:
    """Whether the dictionary knows the word (else it may be misspelt, or a name)."""
    import simplemma

    return bool(simplemma.is_known(word, lang="en"))


@cache
def _lemma(word: str) -> str:
    """The dictionary form of a word (English), from simplemma's shipped tables."""
    import simplemma

    return str(simplemma.lemmatize(word, lang="en")).lower()

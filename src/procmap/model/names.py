"""Names of steps and processes: ids made from words, names reduced to what they mean,
and groups of similar names among many.

:func:`slug` makes an id from words (``Send the invite`` → ``send-the-invite``);
:func:`normalise` reduces a step name to what it means for comparing names (the
workshop merge); the word lists below (verb synonyms, phrasal verbs, parties,
places) are also what :mod:`procmap.model.work` reads a step's work with, for the
redundant-work rule; :func:`similar_groups` groups similar
names without comparing every pair: on whole catalogs (a thousand maps of fifty
steps are 50,000 names) identical names are one entry already, and distinct
names are compared only within blocks that share a word that is not common, so
the work grows with the number of names, not with its square.
"""

from __future__ import annotations

import re
from collections import defaultdict

STOP_WORDS = frozenset([
    "a", "an", "the", "of", "for", "to", "and", "or", "in", "on", "at", "by", "with", "from",
    "into", "our", "their", "its", "his", "her", "it", "is", "be", "all", "any", "new",
])
VERBS = {  # synonyms of the verb a step name starts with (keying data in again is entering it)
    **dict.fromkeys(
        ["enter", "capture", "record", "input", "key", "register", "log", "type", "rekey",
         "re-key", "copy", "transfer", "note"],
        "enter",
    ),
    **dict.fromkeys(["check", "verify", "validate", "review", "inspect", "examine"], "check"),
    **dict.fromkeys(["send", "email", "mail", "e-mail", "forward"], "send"),
    **dict.fromkeys(["create", "open", "set-up", "setup"], "create"),
    **dict.fromkeys(["update", "change", "amend", "edit", "modify"], "update"),
    **dict.fromkeys(["approve", "authorise", "authorize", "sign-off"], "approve"),
}
PHRASAL_VERBS = {  # a verb and the particle after it, as one verb
    ("key", "in"): "enter", ("type", "in"): "enter", ("fill", "in"): "enter",
    ("put", "in"): "enter", ("write", "down"): "enter", ("note", "down"): "enter",
    ("copy", "over"): "enter", ("set", "up"): "create", ("sign", "off"): "approve",
    ("send", "out"): "send", ("send", "on"): "send", ("pass", "on"): "send",
    ("check", "over"): "check", ("look", "over"): "check",
}
PARTICLES = frozenset(["up", "down", "out", "off", "over", "back"])
"""Particles that always belong to the verb before them ("follow up", "call back")."""
NOUNS = {
    **dict.fromkeys(["details", "detail", "data", "information", "info", "particulars"], "details"),
    **dict.fromkeys(["client", "customer"], "customer"),
}
PARTIES = frozenset([
    "customer", "client", "prospect", "buyer", "consumer", "applicant", "member", "patient",
    "caller", "guest", "user", "subscriber", "policyholder", "shopper",
])
"""Whose data it is, when the customer's: "customer contact details" are contact details.
A supplier's or an employee's data is other data, so those words stay."""
PLACES = frozenset(["in", "into", "on", "onto", "at", "within", "inside", "via", "through", "using"])
"""Words after which a step name says where the work happens (the system or tool)."""
FILLERS = frozenset(["again", "also", "then", "manually", "please"])
"""Words that say nothing of the work ("again", "manually")."""


def slug(text: str, *, keep: str = "") -> str:
    """An id from words: lower case, runs of anything but letters, digits and ``keep`` as ``-``.

    >>> slug("Send the invite!")
    'send-the-invite'
    >>> slug("T02 Check receipt.", keep="_.:")
    't02-check-receipt'
    """
    value = re.sub(rf"[^a-z0-9{re.escape(keep)}]+", "-", text.lower())
    return value.strip("-" + keep.replace("_", ""))


def normalise(name: str, *, keep_digits: bool = False) -> str:
    """A step name reduced to what it means, for comparing names.

    Lower case, no punctuation (nor digits), no stop words, singular, synonyms
    merged (verbs only in first place, where step names put them: "Record
    customer data" is "enter customer details", "Update the lead record" keeps
    its noun), each word once, sorted.
    """
    pattern = r"[a-z0-9][a-z0-9-]*" if keep_digits else r"[a-z][a-z-]*"
    words = [w for w in re.findall(pattern, name.lower()) if w not in STOP_WORDS]
    tokens = set()
    for i, word in enumerate(words):
        stem = word.rstrip("s") if len(word) > 3 else word
        synonyms = {**NOUNS, **VERBS} if i == 0 else NOUNS
        tokens.add(synonyms.get(word, synonyms.get(stem, stem)))
    return " ".join(sorted(tokens))


COMMON_SHARE = 50
"""A word in more than one name in this many (and in more than ``MIN_COMMON``) is common."""
MIN_COMMON = 200


def similar_groups(names: list[str], threshold: float) -> list[list[str]]:
    """``names`` grouped so that each pair scoring at least ``threshold`` shares a group.

    Names are texts of words separated by spaces (already normalised); the score
    is rapidfuzz's ``ratio`` (0..100). Two names are compared only if they share
    a word that is in at most max(``MIN_COMMON``, 1/``COMMON_SHARE`` of the
    names): a pair that shares only common words ("customer", "send") is missed,
    which a similarity of 85 on names of a few words almost never allows anyway.
    Groups are the connected pairs (union-find), in the order of their first name.

    >>> similar_groups(["customer details enter", "customer detail enter", "invoice send"], 85)
    [['customer details enter', 'customer detail enter'], ['invoice send']]
    """
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    parent = list(range(len(names)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(names):
        for word in set(name.split()):
            index[word].append(i)
    limit = max(MIN_COMMON, len(names) // COMMON_SHARE)
    for members in index.values():
        if len(members) < 2 or len(members) > limit:
            continue
        block = [names[i] for i in members]
        scores = cdist(block, block, scorer=fuzz.ratio, score_cutoff=threshold, workers=1)
        for a, b in zip(*scores.nonzero(), strict=True):
            if a < b:
                parent[find(members[a])] = find(members[b])
    groups: dict[int, list[str]] = defaultdict(list)
    for i, name in enumerate(names):
        groups[find(i)].append(name)
    return list(groups.values())

"""Groups of similar names among many, without comparing every pair.

Used by the redundant-work rule on whole catalogs (a thousand maps of fifty
steps are 50,000 names): identical names are one entry already, and distinct
names are compared only within blocks that share a word that is not common,
so the work grows with the number of names, not with its square.
"""

from __future__ import annotations

from collections import defaultdict

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

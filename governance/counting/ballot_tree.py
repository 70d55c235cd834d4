"""A prefix tree ("ballot tree") of the distinct rankings, stored implicitly.

The distinct rankings are sorted lexicographically, so all rankings sharing a prefix form one
contiguous slice. A tree node is therefore just ``(lo, hi, depth)``: the slice
``rankings[lo:hi]`` of rankings that agree on their first ``depth`` preferences. Its children
(grouped by the preference at position ``depth``) are found with one binary search each, and
the number of ballots below a node is a difference of cumulative weights.

Both STV counters walk this tree lazily: a node is only expanded when the candidate at its
position stops being a continuing candidate, so shared prefixes are processed once for all
ballots below them and untouched subtrees cost nothing.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate

from governance.counting.model import GroupedBallots

# One child of a tree node: (candidate at position `depth`, lo, hi) - the child covers
# rankings[lo:hi] and has depth + 1.
Child = tuple[int, int, int]
# A ranking as stored in the tree: bytes (one byte per preference) when there are at most 256
# candidates - bytes compare with memcmp, which makes sorting several times faster than
# tuples - otherwise the tuple itself. Both index to ints and slice to prefixes.
Ranking = bytes | tuple[int, ...]

_SINGLE_BYTE = [bytes((value,)) for value in range(256)]


class BallotTree:
    """Sorted distinct rankings with cumulative weights; see the module docstring."""

    __slots__ = ("_compact", "_cumulative", "rankings", "size")

    def __init__(self, grouped: GroupedBallots, candidate_count: int) -> None:
        self._compact = candidate_count <= 256
        keys: list[Ranking] = (
            [bytes(ranking) for ranking in grouped.rankings]
            if self._compact
            else list(grouped.rankings)
        )
        pairs = sorted(zip(keys, grouped.weights, strict=True))
        self.rankings: list[Ranking] = [ranking for ranking, _ in pairs]
        self._cumulative: list[int] = [0, *accumulate(weight for _, weight in pairs)]
        self.size = len(pairs)

    def weight(self, lo: int, hi: int) -> int:
        """Number of ballots whose ranking lies in ``rankings[lo:hi]``."""
        return self._cumulative[hi] - self._cumulative[lo]

    def children(self, lo: int, hi: int, depth: int) -> tuple[int, list[Child]]:
        """Split the node ``(lo, hi, depth)`` by the preference at position ``depth``.

        Returns ``(ending, children)``: the number of ballots whose ranking has exactly
        ``depth`` preferences (they end at this node) and the children in candidate order.
        """
        rankings = self.rankings
        cumulative = self._cumulative
        compact = self._compact
        ending = 0
        i = lo
        if i < hi and len(rankings[i]) == depth:
            # Rankings are distinct, so at most one ranking equals the shared prefix, and it
            # sorts first.
            ending = cumulative[i + 1] - cumulative[i]
            i += 1
        children: list[Child] = []
        while i < hi:
            ranking = rankings[i]
            candidate = ranking[depth]
            j = i + 1
            if j < hi and rankings[j][depth] == candidate:
                # The first ranking after the prefix + candidate block.
                if not compact:
                    bound: Ranking = (*ranking[:depth], candidate + 1)
                    j = bisect_left(rankings, bound, j + 1, hi)
                elif candidate == 255:
                    j = hi
                else:
                    j = bisect_left(
                        rankings, ranking[:depth] + _SINGLE_BYTE[candidate + 1], j + 1, hi
                    )
            children.append((candidate, i, j))
            i = j
        return ending, children

"""Meek STV: Hill, Wichmann & Woodall, "Algorithm 123 - Single transferable vote by Meek's
method", The Computer Journal 30(3), 1987, in the fixed-point arithmetic of the Proportional
Representation Foundation's reference Meek rule (9 decimal places, omega = 10**-6).

Every candidate has a keep value: 1 while hopeful, 0 once excluded or withdrawn (withdrawn
candidates have keep value 0 from the start), and for elected candidates the fraction of each
vote reaching them that they keep. Each round:

1. Distribute votes. Every ballot starts with weight 1; in order of preference each candidate
   receives ``weight x keep value`` (rounded *up* to 9 places) and the weight is reduced by
   that amount. What is left after the last preference is excess (exhausted).
2. Quota = sum of all candidates' votes / (seats + 1), truncated to 9 places, plus 10**-9 -
   i.e. the quota falls as votes are exhausted ("quota recomputed each iteration with excess").
3. Every hopeful candidate with votes >= quota is elected; if any is, the round ends.
4. Total surplus = sum over elected candidates of (votes - quota). If it is below omega, or
   did not decrease since the previous iteration (a stable state), the iteration has
   converged; otherwise each elected candidate's keep value becomes
   ``keep x quota / votes`` (each product and quotient rounded up to 9 places) and we go
   back to 1.
5. Converged with no-one newly elected: the hopeful candidate with the fewest votes is
   excluded (keep value 0). Candidates within the total surplus of the lowest are tied; ties
   are broken by looking back at earlier rounds, then by seeded lot.

The count ends when all seats are filled or the elected plus hopeful candidates are no more
than the seats, in which case every hopeful candidate is elected.

Speed: the ballots are grouped and held in a ballot tree (:mod:`.ballot_tree`). Within a round
only elected candidates' keep values change, so a ballot's weight only ever depends on the
sequence of *elected* candidates before its first hopeful candidate. The count keeps that
compressed "signature" tree - sequences of elected candidates, with the ballots passing
through each and the ballots ending at each hopeful - and an iteration walks only it, which
takes microseconds however many ballots there are. When a candidate is elected or excluded
only the ballot-tree nodes where that candidate was the first hopeful preference are expanded,
so each node of the ballot tree is processed at most once in the whole count. The arithmetic
is identical to distributing every ballot separately (the rounding is per ballot and identical
for ballots with the same signature).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from governance.counting.ballot_tree import BallotTree
from governance.counting.model import Election, group_ballots
from governance.counting.result import (
    ELECTED,
    EXCLUDED,
    HOPEFUL,
    WITHDRAWN,
    CountResult,
    Round,
    fixed_to_decimal,
)
from governance.counting.ties import TieBreaker

METHOD = "meek"
DEFAULT_DECIMAL_PLACES = 9
DEFAULT_TOLERANCE = Decimal("0.000001")

# A ballot-tree node whose ballots wait at a hopeful candidate: (lo, hi, depth) where the
# hopeful candidate is the preference at position depth - 1.
Node = tuple[int, int, int]


class _MeekCount:
    def __init__(
        self, election: Election, seed: int | str, decimal_places: int, tolerance: Decimal
    ) -> None:
        if decimal_places < 1:
            raise ValueError("decimal_places must be at least 1")
        self.election = election
        self.places = decimal_places
        self.one = 10**decimal_places
        # Omega in fixed point, rounded up to a whole unit of the last place.
        scaled_tolerance = Decimal(tolerance).scaleb(decimal_places)
        self.omega = max(1, int(scaled_tolerance.to_integral_value(rounding="ROUND_CEILING")))
        self.tolerance = Decimal(tolerance)

        self.candidate_count = count = len(election.candidates)
        grouped = group_ballots(election.ballots, count)
        self.total_ballots = grouped.total_weight
        self.unique_rankings = len(grouped.rankings)
        self.tree = BallotTree(grouped, count)
        self.ties = TieBreaker(seed)

        self.status = [WITHDRAWN if c in election.withdrawn else HOPEFUL for c in range(count)]
        self.keep = [self.one if status == HOPEFUL else 0 for status in self.status]
        self.elected: list[int] = []

        # Signature tree: node 0 is the root (no elected candidate yet on the ballot). Nodes
        # are created parents first, so index order is a topological order.
        self.sig_parent: list[int] = [-1]
        self.sig_candidate: list[int] = [-1]
        self.sig_through: list[int] = [0]  # ballots reaching this elected candidate
        self.sig_exhausted: list[int] = [0]  # ballots with no further preference
        self.sig_children: list[dict[int, int]] = [{}]
        # For each hopeful candidate: signature node -> ballot-tree nodes / ballots that stop
        # there because this candidate is their first hopeful preference.
        self.waiting_nodes: list[dict[int, list[Node]]] = [{} for _ in range(count)]
        self.waiting_ballots: list[dict[int, int]] = [{} for _ in range(count)]

        self._place(0, self.tree.size, 0, 0)
        # Ballots with no preference for a standing candidate never count.
        self.invalid_ballots = self.sig_exhausted[0]

        self.rounds: list[Round] = []
        self.history: list[list[int]] = []
        self.previous_votes = [0] * count
        self.last_surplus = 0

    # -- signature tree maintenance ----------------------------------------------------------

    def _signature_child(self, parent: int, candidate: int) -> int:
        children = self.sig_children[parent]
        node = children.get(candidate)
        if node is None:
            node = children[candidate] = len(self.sig_parent)
            self.sig_parent.append(parent)
            self.sig_candidate.append(candidate)
            self.sig_through.append(0)
            self.sig_exhausted.append(0)
            self.sig_children.append({})
        return node

    def _wait(self, candidate: int, signature: int, node: Node, ballots: int) -> None:
        """Ballots of ``node`` stop at hopeful ``candidate`` under ``signature``."""
        nodes = self.waiting_nodes[candidate].get(signature)
        if nodes is None:
            self.waiting_nodes[candidate][signature] = [node]
            self.waiting_ballots[candidate][signature] = ballots
        else:
            nodes.append(node)
            self.waiting_ballots[candidate][signature] += ballots

    def _place(self, lo: int, hi: int, depth: int, signature: int) -> None:
        """Route the ballots of tree node (lo, hi, depth) from position ``depth`` onwards:
        skip excluded/withdrawn candidates, descend the signature tree through elected ones,
        and stop at the first hopeful candidate."""
        tree = self.tree
        rankings = tree.rankings
        status = self.status
        stack = [(lo, hi, depth, signature)]
        while stack:
            lo, hi, depth, signature = stack.pop()
            if hi - lo == 1:
                # A single distinct ranking: walk its preferences directly.
                ranking = rankings[lo]
                ballots = tree.weight(lo, hi)
                for position in range(depth, len(ranking)):
                    candidate = ranking[position]
                    state = status[candidate]
                    if state == HOPEFUL:
                        self._wait(candidate, signature, (lo, hi, position + 1), ballots)
                        break
                    if state == ELECTED:
                        signature = self._signature_child(signature, candidate)
                        self.sig_through[signature] += ballots
                else:
                    self.sig_exhausted[signature] += ballots
                continue
            ending, children = tree.children(lo, hi, depth)
            if ending:
                self.sig_exhausted[signature] += ending
            for candidate, child_lo, child_hi in children:
                state = status[candidate]
                if state == HOPEFUL:
                    node = (child_lo, child_hi, depth + 1)
                    self._wait(candidate, signature, node, tree.weight(child_lo, child_hi))
                elif state == ELECTED:
                    child_signature = self._signature_child(signature, candidate)
                    self.sig_through[child_signature] += tree.weight(child_lo, child_hi)
                    stack.append((child_lo, child_hi, depth + 1, child_signature))
                else:
                    stack.append((child_lo, child_hi, depth + 1, signature))

    def _set_status(self, candidate: int, state: str) -> None:
        """A hopeful candidate is elected or excluded: re-route the ballots waiting there."""
        self.status[candidate] = state
        if state == EXCLUDED:
            self.keep[candidate] = 0
        waiting = self.waiting_nodes[candidate]
        self.waiting_nodes[candidate] = {}
        self.waiting_ballots[candidate] = {}
        for signature, nodes in waiting.items():
            target = signature
            if state == ELECTED:
                target = self._signature_child(signature, candidate)
                self.sig_through[target] += sum(self.tree.weight(lo, hi) for lo, hi, _ in nodes)
            for lo, hi, depth in nodes:
                self._place(lo, hi, depth, target)

    # -- one distribution of votes -----------------------------------------------------------

    def _distribute(self) -> tuple[list[int], int]:
        """Votes per candidate and total excess for the current keep values."""
        one = self.one
        keep = self.keep
        parents = self.sig_parent
        candidates = self.sig_candidate
        through = self.sig_through
        votes = [0] * self.candidate_count
        weight = [one] * len(parents)
        for node in range(1, len(parents)):
            arriving = weight[parents[node]]
            candidate = candidates[node]
            kept = -((-arriving * keep[candidate]) // one)  # rounded up
            votes[candidate] += kept * through[node]
            weight[node] = arriving - kept
        for candidate in range(self.candidate_count):
            if self.status[candidate] == HOPEFUL:
                votes[candidate] = sum(
                    weight[signature] * ballots
                    for signature, ballots in self.waiting_ballots[candidate].items()
                )
        excess = sum(w * ended for w, ended in zip(weight, self.sig_exhausted, strict=True))
        return votes, excess - self.invalid_ballots * one

    # -- the count ---------------------------------------------------------------------------

    def run(self) -> CountResult:
        while True:
            newly_elected = self._iterate()
            if self._complete():
                self._fill_remaining_seats()
                break
            if newly_elected:
                continue
            self._exclude_lowest()
            if self._complete():
                self._fill_remaining_seats()
                break
        return self._result()

    def _hopeful(self) -> list[int]:
        return [c for c in range(self.candidate_count) if self.status[c] == HOPEFUL]

    def _complete(self) -> bool:
        seats = self.election.seats
        return len(self.elected) >= seats or len(self.elected) + len(self._hopeful()) <= seats

    def _iterate(self) -> list[int]:
        """Iterate keep values until convergence or an election; record the round."""
        one = self.one
        seats = self.election.seats
        previous_surplus: int | None = None
        iterations = 0
        while True:
            iterations += 1
            votes, exhausted = self._distribute()
            quota = sum(votes) // (seats + 1) + 1
            reaching = [c for c in self._hopeful() if votes[c] >= quota]
            newly_elected = self._limit_to_vacancies(reaching, votes)
            for candidate in newly_elected:
                self._set_status(candidate, ELECTED)
                self.elected.append(candidate)
            surplus = max(0, sum(votes[c] - quota for c in self.elected))
            if newly_elected:
                break
            if surplus < self.omega or (
                previous_surplus is not None and surplus >= previous_surplus
            ):
                break
            previous_surplus = surplus
            for candidate in self.elected:
                if votes[candidate]:
                    scaled = -((-self.keep[candidate] * quota) // one)  # kf x q, rounded up
                    self.keep[candidate] = -((-scaled * one) // votes[candidate])  # / v, up
        self.last_surplus = surplus
        self._record_round(votes, exhausted, quota, surplus, iterations, tuple(newly_elected))
        return newly_elected

    def _limit_to_vacancies(self, reaching: list[int], votes: list[int]) -> list[int]:
        """Order the candidates reaching the quota by votes and never elect more than the
        vacancies (which cannot normally happen: the quota exceeds total / (seats + 1))."""
        ordered = sorted(reaching, key=lambda c: (-votes[c], c))
        vacancies = self.election.seats - len(self.elected)
        if len(ordered) <= vacancies:
            return ordered
        if vacancies <= 0:
            return []
        boundary = votes[ordered[vacancies - 1]]
        chosen = [c for c in ordered if votes[c] > boundary]
        tied = [c for c in ordered if votes[c] == boundary]
        while len(chosen) < vacancies:
            pick = self.ties.choose(
                tied,
                history=self.history,
                lowest=False,
                round_number=len(self.rounds) + 1,
                purpose="election",
            )
            chosen.append(pick)
            tied.remove(pick)
        return chosen

    def _exclude_lowest(self) -> None:
        last = self.rounds[-1]
        votes = self.history[-1]
        surplus = self.last_surplus
        hopeful = self._hopeful()
        fewest = min(votes[c] for c in hopeful)
        tied = [c for c in hopeful if votes[c] <= fewest + surplus]
        candidate = self.ties.choose(
            tied,
            history=self.history[:-1],
            lowest=True,
            round_number=last.number,
            purpose="exclusion",
        )
        self._set_status(candidate, EXCLUDED)
        name = self.election.candidates[candidate]
        self.rounds[-1] = replace(
            last,
            excluded=(candidate,),
            status=tuple(self.status),
            keep_values=tuple(fixed_to_decimal(k, self.places) for k in self.keep),
            note=f"{last.note}; {name} has the fewest votes and is excluded",
        )

    def _fill_remaining_seats(self) -> None:
        vacancies = self.election.seats - len(self.elected)
        if vacancies <= 0:
            return
        votes = self.history[-1]
        ordered = sorted(self._hopeful(), key=lambda c: (-votes[c], c))
        for candidate in ordered:
            self.status[candidate] = ELECTED
            self.elected.append(candidate)
        if ordered:
            last = self.rounds[-1]
            names = ", ".join(self.election.candidates[c] for c in ordered)
            self.rounds[-1] = replace(
                last,
                elected=last.elected + tuple(ordered),
                status=tuple(self.status),
                note=f"{last.note}; {names} elected to fill the remaining seats",
            )

    def _record_round(
        self,
        votes: list[int],
        exhausted: int,
        quota: int,
        surplus: int,
        iterations: int,
        newly_elected: tuple[int, ...],
    ) -> None:
        places = self.places
        transfers = [now - before for now, before in zip(votes, self.previous_votes, strict=True)]
        if not self.rounds:
            transfers = [0] * self.candidate_count
        names = ", ".join(self.election.candidates[c] for c in newly_elected)
        note = (
            f"{names} reached the quota"
            if newly_elected
            else f"Converged after {iterations} iteration(s) (surplus {_text(surplus, places)})"
        )
        self.rounds.append(
            Round(
                number=len(self.rounds) + 1,
                action="iteration",
                subject=None,
                quota=fixed_to_decimal(quota, places),
                votes=tuple(fixed_to_decimal(v, places) for v in votes),
                transfers=tuple(fixed_to_decimal(v, places) for v in transfers),
                exhausted=fixed_to_decimal(exhausted, places),
                rounding_loss=fixed_to_decimal(0, places),
                elected=newly_elected,
                excluded=(),
                status=tuple(self.status),
                note=note,
                surplus=fixed_to_decimal(surplus, places),
                keep_values=tuple(fixed_to_decimal(k, places) for k in self.keep),
                iterations=iterations,
            )
        )
        self.history.append(votes)
        self.previous_votes = votes

    def _result(self) -> CountResult:
        election = self.election
        return CountResult(
            method=METHOD,
            rules=(
                "Meek STV - Hill, Wichmann & Woodall Algorithm 123 (1987) with the PRF reference "
                f"rule's fixed-point arithmetic: {self.places} decimal places, keep values and "
                f"kept votes rounded up, quota = votes/(seats+1) truncated + 10^-{self.places}, "
                f"omega = {_text_decimal(self.tolerance)}; withdrawn candidates keep 0; ties "
                "by look-back then seeded lot"
            ),
            seed=self.ties.seed,
            title=election.title,
            candidates=election.candidates,
            seats=election.seats,
            withdrawn=tuple(sorted(election.withdrawn)),
            elected=tuple(self.elected),
            rounds=tuple(self.rounds),
            ties=tuple(self.ties.ties),
            total_ballots=self.total_ballots,
            invalid_ballots=self.invalid_ballots,
            unique_rankings=self.unique_rankings,
            decimal_places=self.places,
        )


def _text(value: int, places: int) -> str:
    return format(fixed_to_decimal(value, places), "f")


def _text_decimal(value: Decimal) -> str:
    return format(value, "f")


def count_meek(
    election: Election,
    *,
    seed: int | str,
    decimal_places: int = DEFAULT_DECIMAL_PLACES,
    tolerance: Decimal = DEFAULT_TOLERANCE,
) -> CountResult:
    """Count ``election`` by Meek STV (see the module docstring for the rules).

    ``seed`` (use the election id) seeds the lot for ties that looking back at earlier rounds
    cannot break. ``decimal_places`` is the fixed-point precision (9 as in the reference rule)
    and ``tolerance`` the convergence limit omega on the total surplus.
    """
    return _MeekCount(election, seed, decimal_places, tolerance).run()

"""Scottish STV: the Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1,
rules 45-52, counted exactly in five-decimal fixed point (integers scaled by 10**5).

The rules as implemented:

- Rule 45/46 - first stage and quota: valid papers are sorted by first preference; the quota is
  ``floor(valid papers / (seats + 1)) + 1`` (Droop quota).
- Rule 47 - a candidate whose votes equal or exceed the quota at the end of any stage is deemed
  elected. Candidates deemed elected at the same stage are listed by votes, highest first.
- Rule 48 - surplus transfer. *All* ballot papers the elected candidate holds are transferred
  (the Weighted Inclusive Gregory Method; the Order does not use "last parcel" transfers),
  each at ``transfer value = surplus x value of the paper when received / candidate's total
  votes``, calculated to five decimal places with the remainder ignored (truncated). A paper
  that gave the candidate a first preference has value 1. Papers with no next available
  preference are non-transferable; value lost to truncation is reported as ``rounding_loss``.
  The elected candidate keeps exactly the quota.
- Rule 49 - one surplus per stage, the largest first; equal surpluses are ordered by the votes
  at the most recent preceding stage at which the candidates differed, then by lot.
- Rule 50 - when no surplus remains to be transferred, the continuing candidate with the fewest
  votes is excluded and all of their papers are transferred in that stage, each at the value it
  had when received (1 for first preferences). Rule 51 - ties for exclusion: the candidate with
  the fewest votes at the most recent preceding stage at which they differed, then by lot.
- Rule 52 - when the continuing candidates are no more than the vacancies, they are all
  elected and no further transfer is made.

Withdrawn candidates are skipped on every paper from the first stage. Papers with no preference
for a standing candidate are not valid papers: they are reported as ``invalid_ballots`` and do
not count towards the quota.

Speed: identical rankings are grouped, and papers are held per candidate as parcels of ballot
tree nodes ``(lo, hi, depth, value)`` (see :mod:`~governance.counting.ballot_tree`): every
paper under a node has the same history and so the same value, so a transfer moves whole
subtrees with a single multiplication instead of touching each paper.
"""

from __future__ import annotations

from dataclasses import replace

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

METHOD = "scottish"
DECIMAL_PLACES = 5
ONE = 10**DECIMAL_PLACES
RULES = (
    "Scottish STV - Scottish Local Government Elections Order 2007, Schedule 1 rules 45-52: "
    "Droop quota floor(V/(S+1))+1, weighted inclusive Gregory surplus transfers with transfer "
    "values truncated to 5 decimal places, exclusions at current paper values, ties by "
    "look-back then seeded lot"
)

# A parcel entry: the papers of ballot-tree node rankings[lo:hi], whose current holder is the
# preference at position depth - 1, each with the same value (fixed point, ONE == 1.0).
Parcel = tuple[int, int, int, int]


class _ScottishCount:
    def __init__(self, election: Election, seed: int | str) -> None:
        self.election = election
        self.candidate_count = len(election.candidates)
        grouped = group_ballots(election.ballots, self.candidate_count)
        self.total_ballots = grouped.total_weight
        self.unique_rankings = len(grouped.rankings)
        self.tree = BallotTree(grouped, self.candidate_count)
        self.ties = TieBreaker(seed)

        count = self.candidate_count
        self.status = [WITHDRAWN if c in election.withdrawn else HOPEFUL for c in range(count)]
        self.continuing = [status == HOPEFUL for status in self.status]
        self.parcels: list[list[Parcel]] = [[] for _ in range(count)]
        self.votes = [0] * count
        self.exhausted = 0
        self.rounding_loss = 0
        self.quota = 0
        self.invalid_ballots = 0
        self.elected: list[int] = []
        self.awaiting_surplus_transfer: list[int] = []
        self.history: list[list[int]] = []
        self.rounds: list[Round] = []

    # -- moving papers -----------------------------------------------------------------------

    def _distribute(self, lo: int, hi: int, depth: int, value: int, credit: list[int]) -> int:
        """Give the papers of node (lo, hi, depth) to their next available preference.

        Each paper goes, at ``value``, to the first continuing candidate at or after position
        ``depth``; non-continuing candidates are skipped. Returns the number of papers with no
        next available preference (non-transferable).
        """
        tree = self.tree
        rankings = tree.rankings
        continuing = self.continuing
        parcels = self.parcels
        non_transferable = 0
        stack = [(lo, hi, depth)]
        while stack:
            lo, hi, depth = stack.pop()
            if hi - lo == 1:
                # A single distinct ranking: walk its preferences directly.
                ranking = rankings[lo]
                for position in range(depth, len(ranking)):
                    candidate = ranking[position]
                    if continuing[candidate]:
                        parcels[candidate].append((lo, hi, position + 1, value))
                        credit[candidate] += tree.weight(lo, hi) * value
                        break
                else:
                    non_transferable += tree.weight(lo, hi)
                continue
            ending, children = tree.children(lo, hi, depth)
            non_transferable += ending
            for candidate, child_lo, child_hi in children:
                if continuing[candidate]:
                    parcels[candidate].append((child_lo, child_hi, depth + 1, value))
                    credit[candidate] += tree.weight(child_lo, child_hi) * value
                else:
                    stack.append((child_lo, child_hi, depth + 1))
        return non_transferable

    # -- stages ------------------------------------------------------------------------------

    def run(self) -> CountResult:
        self._first_stage()
        seats = self.election.seats
        while True:
            vacancies = seats - len(self.elected)
            if vacancies <= 0:
                break
            continuing = [c for c in range(self.candidate_count) if self.continuing[c]]
            if len(continuing) <= vacancies:
                self._fill_last_vacancies(continuing)
                break
            with_surplus = [c for c in self.awaiting_surplus_transfer if self.votes[c] > self.quota]
            if with_surplus:
                self._transfer_surplus(self._largest_surplus(with_surplus))
            else:
                self.awaiting_surplus_transfer.clear()
                self._exclude(self._lowest(continuing))
        return self._result()

    def _first_stage(self) -> None:
        credit = [0] * self.candidate_count
        invalid = self._distribute(0, self.tree.size, 0, ONE, credit)
        self.invalid_ballots = invalid
        self.votes = credit
        valid = self.total_ballots - invalid
        self.quota = (valid // (self.election.seats + 1) + 1) * ONE
        self._end_stage(
            action="first_preferences",
            subject=None,
            transfers=[0] * self.candidate_count,
            note=(
                f"First preferences of {valid} valid papers; quota = "
                f"floor({valid}/({self.election.seats}+1)) + 1 = {self.quota // ONE}"
            ),
        )

    def _largest_surplus(self, with_surplus: list[int]) -> int:
        largest = max(self.votes[c] for c in with_surplus)
        tied = [c for c in with_surplus if self.votes[c] == largest]
        return self.ties.choose(
            tied,
            history=self.history,
            lowest=False,
            round_number=len(self.rounds) + 1,
            purpose="surplus_order",
        )

    def _lowest(self, continuing: list[int]) -> int:
        fewest = min(self.votes[c] for c in continuing)
        tied = [c for c in continuing if self.votes[c] == fewest]
        return self.ties.choose(
            tied,
            history=self.history,
            lowest=True,
            round_number=len(self.rounds) + 1,
            purpose="exclusion",
        )

    def _transfer_surplus(self, candidate: int) -> None:
        self.awaiting_surplus_transfer.remove(candidate)
        total = self.votes[candidate]
        surplus = total - self.quota
        credit = [0] * self.candidate_count
        non_transferable_value = 0
        for lo, hi, depth, value in self.parcels[candidate]:
            # Rule 48(3): surplus x value when received / total votes, truncated to 5 places.
            transfer_value = surplus * value // total
            papers = self._distribute(lo, hi, depth, transfer_value, credit)
            non_transferable_value += papers * transfer_value
        self.parcels[candidate] = []
        transferred = sum(credit)
        self.exhausted += non_transferable_value
        self.rounding_loss += surplus - transferred - non_transferable_value
        credit[candidate] = -surplus
        name = self.election.candidates[candidate]
        self._apply(credit)
        self._end_stage(
            action="surplus",
            subject=candidate,
            transfers=credit,
            note=(
                f"Surplus of {name} ({_fixed(surplus)}) transferred; a first-preference paper "
                f"moves at {_fixed(surplus * ONE // total)}"
            ),
        )

    def _exclude(self, candidate: int) -> None:
        self.continuing[candidate] = False
        self.status[candidate] = EXCLUDED
        credit = [0] * self.candidate_count
        non_transferable_value = 0
        for lo, hi, depth, value in self.parcels[candidate]:
            papers = self._distribute(lo, hi, depth, value, credit)
            non_transferable_value += papers * value
        self.parcels[candidate] = []
        self.exhausted += non_transferable_value
        credit[candidate] = -self.votes[candidate]
        self._apply(credit)
        name = self.election.candidates[candidate]
        self._end_stage(
            action="exclusion",
            subject=candidate,
            transfers=credit,
            excluded=(candidate,),
            note=f"{name} excluded; papers transferred at their current values",
        )

    def _apply(self, credit: list[int]) -> None:
        votes = self.votes
        for candidate, amount in enumerate(credit):
            if amount:
                votes[candidate] += amount

    def _end_stage(
        self,
        *,
        action: str,
        subject: int | None,
        transfers: list[int],
        note: str,
        excluded: tuple[int, ...] = (),
    ) -> None:
        """Deem elected every continuing candidate at or above the quota (rule 47), then
        record the stage."""
        votes = self.votes
        newly_elected = sorted(
            (
                c
                for c in range(self.candidate_count)
                if self.continuing[c] and votes[c] >= self.quota
            ),
            key=lambda c: (-votes[c], c),
        )
        vacancies = self.election.seats - len(self.elected)
        # Cannot happen with a Droop quota, but never elect more than the vacancies.
        for candidate in newly_elected[:vacancies]:
            self.continuing[candidate] = False
            self.status[candidate] = ELECTED
            self.elected.append(candidate)
            self.awaiting_surplus_transfer.append(candidate)
        self.history.append(list(votes))
        self.rounds.append(
            self._round(
                action=action,
                subject=subject,
                transfers=transfers,
                elected=tuple(newly_elected[:vacancies]),
                excluded=excluded,
                note=note,
            )
        )

    def _fill_last_vacancies(self, continuing: list[int]) -> None:
        """Rule 52: the continuing candidates fill the remaining vacancies without transfer."""
        if not continuing:
            return
        votes = self.votes
        ordered = sorted(continuing, key=lambda c: (-votes[c], c))
        for candidate in ordered:
            self.continuing[candidate] = False
            self.status[candidate] = ELECTED
            self.elected.append(candidate)
        last = self.rounds[-1]
        names = ", ".join(self.election.candidates[c] for c in ordered)
        self.rounds[-1] = replace(
            last,
            elected=last.elected + tuple(ordered),
            status=tuple(self.status),
            note=f"{last.note}. {names} elected to fill the last vacancies (rule 52)",
        )

    def _round(
        self,
        *,
        action: str,
        subject: int | None,
        transfers: list[int],
        elected: tuple[int, ...],
        excluded: tuple[int, ...],
        note: str,
    ) -> Round:
        return Round(
            number=len(self.rounds) + 1,
            action=action,
            subject=subject,
            quota=fixed_to_decimal(self.quota, DECIMAL_PLACES),
            votes=tuple(fixed_to_decimal(v, DECIMAL_PLACES) for v in self.votes),
            transfers=tuple(fixed_to_decimal(v, DECIMAL_PLACES) for v in transfers),
            exhausted=fixed_to_decimal(self.exhausted, DECIMAL_PLACES),
            rounding_loss=fixed_to_decimal(self.rounding_loss, DECIMAL_PLACES),
            elected=elected,
            excluded=excluded,
            status=tuple(self.status),
            note=note,
        )

    def _result(self) -> CountResult:
        election = self.election
        return CountResult(
            method=METHOD,
            rules=RULES,
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
            decimal_places=DECIMAL_PLACES,
        )


def _fixed(value: int) -> str:
    return format(fixed_to_decimal(value, DECIMAL_PLACES), "f")


def count_scottish(election: Election, *, seed: int | str) -> CountResult:
    """Count ``election`` by Scottish STV (see the module docstring for the rules).

    ``seed`` (use the election id) seeds the lot used for ties that looking back at earlier
    stages cannot break.
    """
    return _ScottishCount(election, seed).run()

"""Read and write the BLT ballot file format (Hill, Wichmann & Woodall 1987; OpenSTV, Droop,
ERS and OpaVote use it).

    4 2                  <- number of candidates, number of seats
    -2                   <- optional: withdrawn candidates, each as a negative number
    3 1 3 4 0            <- weight, then candidate numbers in order of preference, then 0
    (b17) 1 2 - 3 0      <- an optional leading ballot id in parentheses is ignored;
                            "-" marks a skipped preference and is ignored
    0                    <- end of ballots
    "Adam"               <- candidate names, one per line, in candidate-number order
    "Basil"
    "Charlotte"
    "Donald Duck"
    "Title of the election"

Details of this implementation:

- The file is read line by line; blank lines and lines starting with ``#`` are ignored, as is
  ``# comment`` text after the numbers of a header, withdrawn or ballot line.
- Candidate numbers are 1-based in the file and 0-based in :class:`~.model.Election`.
- Equal rankings (``1=2``, OpenSTV's extension) are rejected with a :class:`BltError`: no
  method here supports them.
- A quoted string is everything between the first and the last double quote of its line, so
  names may contain spaces and embedded quotes; ``\\"`` and ``\\\\`` are unescaped to ``"`` and
  ``\\``. The writer escapes backslashes and quotes that way. Quoted lines after the title
  (Wichmann's source and comment fields) are accepted and ignored.
- Any malformed input raises :class:`BltError` naming the line.

Round trip: ``parse_blt(write_blt(election)) == election`` for every election whose ballots
have positive weights and whose names have no line breaks; ``write_blt(parse_blt(text))``
therefore parses to the same election as ``text``.
"""

from __future__ import annotations

import re
from pathlib import Path

from governance.counting.model import Ballot, Election

_BALLOT_ID = re.compile(r"^\(([^)]*)\)\s*")
_WHOLE_NUMBER = re.compile(r"^[0-9]+$")


class BltError(ValueError):
    """A malformed BLT file. ``line`` is the 1-based line number the problem was found on."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line is not None else message)


def load_blt(path: str | Path, encoding: str = "utf-8") -> Election:
    """Parse the BLT file at ``path``."""
    return parse_blt(Path(path).read_text(encoding=encoding))


def parse_blt(text: str) -> Election:
    """Parse BLT ``text`` into an :class:`~.model.Election` (see the module docstring)."""
    parser = _Parser(text)
    return parser.parse()


class _Parser:
    def __init__(self, text: str) -> None:
        self.lines = text.removeprefix("\ufeff").splitlines()
        self.position = 0  # index of the next line to read

    def _next_line(self) -> tuple[int, str] | None:
        """Next line that is neither blank nor a comment, as (line number, stripped text)."""
        while self.position < len(self.lines):
            self.position += 1
            stripped = self.lines[self.position - 1].strip()
            if stripped and not stripped.startswith("#"):
                return self.position, stripped
        return None

    def _push_back(self) -> None:
        self.position -= 1

    def parse(self) -> Election:
        candidate_count, seats = self._header()
        withdrawn = self._withdrawn(candidate_count)
        ballots = self._ballots(candidate_count)
        candidates, title = self._names(candidate_count)
        return Election(
            candidates=candidates,
            seats=seats,
            ballots=tuple(ballots),
            withdrawn=frozenset(withdrawn),
            title=title,
        )

    def _header(self) -> tuple[int, int]:
        entry = self._next_line()
        if entry is None:
            raise BltError("empty file: expected a '<candidates> <seats>' header", 1)
        number, text = entry
        tokens = _numbers_part(text).split()
        if len(tokens) != 2 or not all(_WHOLE_NUMBER.match(token) for token in tokens):
            raise BltError(
                f"header must be two whole numbers '<candidates> <seats>', got {text!r}", number
            )
        candidate_count, seats = int(tokens[0]), int(tokens[1])
        if candidate_count < 1:
            raise BltError("the number of candidates must be at least 1", number)
        if seats < 1:
            raise BltError("the number of seats must be at least 1", number)
        return candidate_count, seats

    def _withdrawn(self, candidate_count: int) -> set[int]:
        entry = self._next_line()
        if entry is None:
            raise BltError("no ballots: expected ballot lines and a 0 line", len(self.lines))
        number, text = entry
        tokens = _numbers_part(text).split()
        if not tokens or not tokens[0].startswith("-") or tokens[0] == "-":
            self._push_back()
            return set()
        withdrawn: set[int] = set()
        for word in tokens:
            if not (word.startswith("-") and _WHOLE_NUMBER.match(word[1:])):
                raise BltError(
                    f"withdrawn candidates must be negative candidate numbers, got {word!r}",
                    number,
                )
            candidate = int(word[1:])
            if not 1 <= candidate <= candidate_count:
                raise BltError(
                    f"withdrawn candidate {candidate} is not a candidate number "
                    f"1..{candidate_count}",
                    number,
                )
            withdrawn.add(candidate - 1)
        return withdrawn

    def _ballots(self, candidate_count: int) -> list[Ballot]:
        ballots: list[Ballot] = []
        while True:
            entry = self._next_line()
            if entry is None:
                raise BltError("missing the 0 line that ends the ballots", len(self.lines))
            number, text = entry
            if text.startswith('"'):
                raise BltError(
                    "missing the 0 line that ends the ballots (found a quoted name)", number
                )
            id_match = _BALLOT_ID.match(text)
            if id_match:
                text = text[id_match.end() :]
            tokens = _numbers_part(text).split()
            if not tokens:
                raise BltError("ballot id without a ballot", number)
            if tokens == ["0"] and not id_match:
                return ballots
            ballots.append(self._ballot(tokens, candidate_count, number))

    @staticmethod
    def _ballot(tokens: list[str], candidate_count: int, number: int) -> Ballot:
        weight_text = tokens[0]
        if not _WHOLE_NUMBER.match(weight_text):
            raise BltError(f"ballot weight {weight_text!r} is not a whole number", number)
        weight = int(weight_text)
        if weight == 0:
            raise BltError("ballot weight must be positive (a lone 0 ends the ballots)", number)
        if "0" not in tokens[1:]:
            raise BltError("ballot does not end with 0", number)
        end = tokens.index("0", 1)
        if end != len(tokens) - 1:
            raise BltError(f"unexpected {' '.join(tokens[end + 1 :])!r} after the ending 0", number)
        ranking: list[int] = []
        seen: set[int] = set()
        for word in tokens[1:end]:
            if word == "-":
                continue  # skipped preference
            if "=" in word:
                raise BltError(
                    f"equal rankings ({word!r}) are not supported: rank candidates strictly",
                    number,
                )
            if not _WHOLE_NUMBER.match(word):
                raise BltError(f"preference {word!r} is not a candidate number", number)
            candidate = int(word)
            if not 1 <= candidate <= candidate_count:
                raise BltError(
                    f"preference {candidate} is out of range: candidates are 1..{candidate_count}",
                    number,
                )
            if candidate in seen:
                raise BltError(f"candidate {candidate} is ranked twice on one ballot", number)
            seen.add(candidate)
            ranking.append(candidate - 1)
        return Ballot(weight, tuple(ranking))

    def _names(self, candidate_count: int) -> tuple[tuple[str, ...], str]:
        strings: list[str] = []
        last_line = len(self.lines)
        while (entry := self._next_line()) is not None:
            number, text = entry
            strings.append(_unquote(text, number))
        if len(strings) < candidate_count + 1:
            raise BltError(
                f"expected {candidate_count} quoted candidate names and a quoted title, "
                f"found {len(strings)} quoted string(s)",
                last_line,
            )
        return tuple(strings[:candidate_count]), strings[candidate_count]


def _numbers_part(text: str) -> str:
    """The text before a ``#`` comment."""
    return text.split("#", 1)[0].strip()


def _unquote(text: str, number: int) -> str:
    if not text.startswith('"'):
        raise BltError(f"expected a quoted string, got {text!r}", number)
    if len(text) < 2 or not text.endswith('"') or _escaped_at_end(text[:-1]):
        raise BltError(f"unterminated quoted string {text!r}", number)
    body = text[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body) and body[i + 1] in '\\"':
            out.append(body[i + 1])
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _escaped_at_end(text: str) -> bool:
    """True if ``text`` ends in an odd number of backslashes (so a following quote is
    escaped)."""
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def _quote(text: str) -> str:
    if "\n" in text or "\r" in text:
        raise ValueError(f"BLT names and titles cannot contain line breaks: {text!r}")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_blt(election: Election) -> str:
    """The election as BLT text (1-based candidate numbers; ballots written as given)."""
    lines = [f"{len(election.candidates)} {election.seats}"]
    if election.withdrawn:
        lines.append(" ".join(f"-{candidate + 1}" for candidate in sorted(election.withdrawn)))
    for weight, ranking in election.ballots:
        if weight <= 0:
            raise ValueError(f"BLT ballots need a positive weight, got {weight}")
        lines.append(" ".join([str(weight), *(str(candidate + 1) for candidate in ranking), "0"]))
    lines.append("0")
    lines.extend(_quote(name) for name in election.candidates)
    lines.append(_quote(election.title))
    return "\n".join(lines) + "\n"

"""`manage.py tally_blt FILE --method meek|scottish [--seed S] [--report]`

Counts a BLT ballot file with the same engine as the results page and prints the elected
candidates' names, one per line, in order of election. A malformed file exits with status 2 and
a message naming the line. Touches no database: it only reads the file.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from governance import counting

METHODS = ("meek", "scottish")


class Command(BaseCommand):
    help = (
        "Count a BLT ballot file and print the elected candidates, one per line, in order of "
        "election."
    )
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="the BLT file ('-' reads standard input)")
        parser.add_argument("--method", choices=METHODS, default="meek")
        parser.add_argument(
            "--seed",
            default="0",
            help="seed of the lot for ties the rules cannot break (an election's results page "
            "gives its own); default 0",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="print the full round-by-round result as JSON instead of the names",
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file", returncode=2) from None
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: cannot read the file: {error}", returncode=2) from None
        try:
            election = counting.parse_blt(text)
            result = counting.count_election(election, options["method"], seed=options["seed"])
        except counting.BltError as error:
            raise CommandError(f"{path}: malformed BLT file: {error}", returncode=2) from None
        except counting.InvalidElectionError as error:
            raise CommandError(f"{path}: cannot be counted: {error}", returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
            return
        for name in result.elected_names:
            self.stdout.write(name)

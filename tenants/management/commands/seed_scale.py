"""Build a large, realistic, deterministic organisation for benchmarks (issue 9).

    manage.py seed_scale --slug bench-s --chapters 300 --months 12      # scale S
    manage.py seed_scale --slug bench-l --chapters 3000 --months 36     # scale L

Run again with the same parameters, it reuses the organisation; with others it refuses unless
--rebuild-if-changed (what `make bench` passes) or --replace (always rebuild) is given.

Accounts: bench@scale.example (a chapter member on the largest metro's steering committee) and
admin@scale.example, password `commons-bench-2024`."""

import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from tenants.scale.build import SeedExists, build
from tenants.scale.world import Spec


class Command(BaseCommand):
    help = "Build a large deterministic organisation (scale S: 300 chapters, L: 3,000)."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--chapters", type=int, required=True)
        parser.add_argument("--months", type=int, required=True)
        parser.add_argument("--members-per-chapter", type=int, default=8)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--replace", action="store_true", help="delete and rebuild an existing organisation"
        )
        parser.add_argument(
            "--rebuild-if-changed",
            action="store_true",
            help="rebuild an organisation this command seeded with other parameters",
        )
        parser.add_argument(
            "--anchor",
            type=datetime.fromisoformat,
            help="when the history ends (ISO 8601 with a time zone; default: now): the same "
            "parameters and anchor build the same data",
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        try:
            spec = Spec(
                slug=options["slug"],
                chapters=options["chapters"],
                months=options["months"],
                members_per_chapter=options["members_per_chapter"],
                seed=options["seed"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        log = (lambda message: None) if options["json"] else self.stdout.write
        try:
            anchor = options["anchor"]
            if anchor is not None and anchor.tzinfo is None:
                raise CommandError("--anchor needs a time zone, e.g. 2025-06-01T12:00:00+00:00")
            result = build(
                spec,
                replace=options["replace"],
                rebuild_if_changed=options["rebuild_if_changed"],
                now=anchor,
                log=log,
            )
        except SeedExists as error:
            raise CommandError(str(error)) from error
        summary = {
            "slug": spec.slug,
            "host": result.host,
            "reused": result.reused,
            "seconds": round(result.seconds, 1),
            "phases": {name: round(value, 1) for name, value in result.phases.items()},
            "counts": result.counts,
            "params": spec.params(),
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary))
            return
        verb = "Reused" if result.reused else "Built"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {result.host} in {result.seconds:.1f} s (when built).")
        )
        for name, value in result.counts.items():
            self.stdout.write(f"  {name}: {value:,}")

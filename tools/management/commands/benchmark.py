from django.core.management.base import BaseCommand, CommandError

from tools import benchmark


class Command(BaseCommand):
    help = (
        "Benchmark the nightly recompute on the real data and on a synthetic province at scale, the dashboard "
        "pages' render times and query counts, and the API's bulk import and list endpoints. "
        "Runs in one transaction that is rolled back: the database is left as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("--zones", type=int, default=100, help="bench zones of the synthetic province (100)")
        parser.add_argument(
            "--years", type=int, default=10, help="years of biweekly history, ending with the plan's last year (10)"
        )
        parser.add_argument(
            "--check-years",
            type=int,
            default=None,
            help="the shorter history of the query-count check (default: years // 2)",
        )
        parser.add_argument("--runs", type=int, default=5, help="runs of the real-data recompute (median; 5)")
        parser.add_argument(
            "--renders",
            type=int,
            default=10,
            help="timed renders of each dashboard page after one warm-up (median and p90; 10)",
        )
        parser.add_argument("--api-rows", type=int, default=10_000, help="rows of the API bulk import (10,000)")
        parser.add_argument(
            "--mix-steps",
            type=int,
            default=benchmark.Options.mix_steps,
            help="steps of the load test's write mix replayed against the page cache (600)",
        )
        parser.add_argument(
            "--quick",
            action="store_true",
            help="CI's run: 2 zones × 2 years, one render, 200 API rows, 120 mix steps; its "
            "CHECK lines are correctness checks only (no timing)",
        )
        parser.add_argument("--seed", type=int, default=benchmark.Options.seed)
        parser.add_argument(
            "--sections",
            default="",
            help=f"comma-separated subset of {', '.join(benchmark.SECTION_KEYS)} (default: all)",
        )
        parser.add_argument(
            "--profile",
            nargs="?",
            const="",
            default=None,
            metavar="PSTATS_PATH",
            help="profile one extra scale recompute with cProfile (and dump the stats to PATH)",
        )
        parser.add_argument("--json", dest="json_path", metavar="PATH", help="also write the figures as JSON")

    def handle(self, *args, **opts):
        sections = [s.strip() for s in opts["sections"].split(",") if s.strip()]
        unknown = set(sections) - set(benchmark.SECTION_KEYS)
        if unknown:
            choices = ", ".join(benchmark.SECTION_KEYS)
            raise CommandError(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {choices}")
        if opts["zones"] < 1 or not 1 <= opts["years"] <= 50:
            raise CommandError("--zones must be ≥ 1 and --years between 1 and 50")
        if opts["renders"] < 1 or opts["api_rows"] < 1:
            raise CommandError("--renders and --api-rows must be ≥ 1")
        if opts["quick"]:
            opts.update(zones=2, years=2, runs=1, renders=1, api_rows=200, mix_steps=120)
        options = benchmark.Options(
            zones=opts["zones"],
            years=opts["years"],
            check_years=opts["check_years"],
            runs=opts["runs"],
            seed=opts["seed"],
            sections=sections or None,
            profile=opts["profile"] is not None,
            profile_path=opts["profile"] or None,
            renders=opts["renders"],
            api_rows=opts["api_rows"],
            mix_steps=opts["mix_steps"],
            quick=opts["quick"],
        )
        report = benchmark.run(options, log=lambda line: self.stderr.write(line))
        self.stdout.write(benchmark.format_report(report))
        if opts["json_path"]:
            benchmark.write_json(report, opts["json_path"])
            self.stdout.write(f"Figures written to {opts['json_path']}")

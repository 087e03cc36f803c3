from django.core.management.base import BaseCommand

from chuxiong_portal import pagecache

DASHBOARDS = ("overview", "zone", "task", "department", "bulletin", "bulletin-xlsx", "matrix", "todo")


class Command(BaseCommand):
    help = (
        "The page cache's hits and misses per dashboard since the last --reset (counted in the cache: with "
        "Redis, by every worker; without it, by this process only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="set the counters to zero")

    def handle(self, *args, **opts):
        if opts["reset"]:
            pagecache.stats_reset(DASHBOARDS)
            self.stdout.write("page cache counters reset")
            return
        counts = pagecache.stats(DASHBOARDS)
        for name, c in counts.items():
            rate = pagecache.hit_rate({name: c})
            self.stdout.write(
                f"{name:14} hits {c['hit']:6}  waited {c['waited']:5}  misses {c['miss']:6}  "
                f"uncached {c['uncached']:5}  hit rate {'—' if rate is None else f'{rate:.1%}'}"
            )
        rate = pagecache.hit_rate(counts)
        self.stdout.write(f"dashboard views served from the page cache: {'—' if rate is None else f'{rate:.1%}'}")

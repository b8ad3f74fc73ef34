"""Where one page's time goes: its queries (with their time) and a cProfile summary, as a signed-in user.

    DATABASE_URL=… .venv/bin/python bench/profile_page.py office /rectification/review/milestone/ [--sql] [N]

Uses the bench dataset as it stands (build it with bench/serve.py or bench/run.py first) and the same
settings as production (DEBUG off), through Django's test client; the page is requested once to warm
up, then N times (default 20) under the profiler. Prints the query count, the slowest queries and the
20 functions with the most cumulative time.
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zuofeng.settings")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    username, path = args[0], args[1]
    runs = int(args[2]) if len(args) > 2 else 20
    from zuofeng.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    assert client.get(path).status_code == 200, path
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
    captured = list(queries)
    print(f"{path} as {username}: {len(captured)} queries, {elapsed:.1f} ms (query time included in it)")
    for query in sorted(captured, key=lambda q: -float(q["time"]))[: 8 if "--sql" in sys.argv else 4]:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(runs):
        client.get(path)
    profile.disable()
    stats = pstats.Stats(profile).strip_dirs()
    print(f"cProfile over {runs} requests: zuofeng's own functions by cumulative time")
    stats.sort_stats("cumulative").print_stats(r"zuofeng|ledger\.py|search\.py|milestone\.py|home\.py", 25)
    print("all functions by own time")
    stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()

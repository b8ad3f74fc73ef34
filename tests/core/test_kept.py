"""The per-process keep (core/kept.py): the most recently used stay, and threads share it safely."""

import threading

from zuofeng.core.kept import Kept


def test_the_least_recently_used_goes_first():
    kept = Kept(keep=2)
    kept.put("a", "A")
    kept.put("b", "B")
    assert kept.get("a") == "A"
    kept.put("c", "C")
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == ("A", None, "C")


def test_threads_sharing_a_keep_never_trip_over_each_other():
    kept, failures = Kept(keep=8), []

    def churn(start: int) -> None:
        try:
            for i in range(start, start + 3000):
                kept.put(i % 13, "x")
                kept.get((i * 7) % 13)
        except Exception as error:  # any error is the failure this test looks for
            failures.append(error)

    threads = [threading.Thread(target=churn, args=(n * 1000,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(kept) == 8

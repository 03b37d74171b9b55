"""Peer for the engines bench: reads the mixed-type CSV with polars or pandas in a fresh process.

Prints wall time, peak RSS (ru_maxrss) and RSS before the read as JSON.
"""
import json
import resource
import sys
import time


def rss_bytes() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return -1


def main() -> None:
    library, path = sys.argv[1], sys.argv[2]
    date_columns = [c for c in sys.argv[3].split(",") if c] if len(sys.argv) > 3 else []
    if library == "polars":
        import polars as pl

        start_rss = rss_bytes()
        start = time.perf_counter()
        # try_parse_dates: Trainyard infers date columns too.
        frame = pl.read_csv(path, try_parse_dates=True)
        rows, cols = frame.shape
    else:
        import pandas as pd

        start_rss = rss_bytes()
        start = time.perf_counter()
        # pandas infers no dates on its own; the bench names the date columns.
        frame = pd.read_csv(path, parse_dates=date_columns)
        rows, cols = frame.shape
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "rows": rows, "cols": cols, "startRss": start_rss, "peakRss": peak}))


if __name__ == "__main__":
    main()

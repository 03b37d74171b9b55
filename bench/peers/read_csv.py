"""Peer for the engines bench: reads the mixed-type CSV with polars or pandas in a fresh process.

Prints wall time, CPU time (all threads), peak RSS (ru_maxrss) and RSS before the read as JSON; then reads the file once more in the same
process (againSeconds), as Trainyard's bench does.
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

        # try_parse_dates: Trainyard infers date columns too.
        read = lambda: pl.read_csv(path, try_parse_dates=True)
    else:
        import pandas as pd

        # pandas infers no dates on its own; the bench names the date columns.
        read = lambda: pd.read_csv(path, parse_dates=date_columns)
    start_rss = rss_bytes()
    cpu_start = time.process_time()
    seconds, (rows, cols) = timed(read)
    cpu_seconds = time.process_time() - cpu_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    again_seconds, _ = timed(read)
    print(json.dumps({"seconds": seconds, "cpuSeconds": cpu_seconds, "againSeconds": again_seconds, "rows": rows, "cols": cols, "startRss": start_rss, "peakRss": peak}))


def timed(read):
    """Seconds for one read and the frame's shape; the frame itself is dropped on return."""
    start = time.perf_counter()
    frame = read()
    return time.perf_counter() - start, frame.shape


if __name__ == "__main__":
    main()

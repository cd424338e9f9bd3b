"""wxtui benchmarks: ``python -m benchmarks [--quick]`` writes benchmarks/RESULTS.md.

Every figure is the median of several runs, next to a baseline measured in the
same run (these machines are shared and noisy: compare ratios, not absolute
times across runs).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.claude_replay import bench_claude_replay
from benchmarks.hooks import bench_hooks
from benchmarks.host import bench_host, bench_host_against_textual_tty
from benchmarks.inbox import bench_inbox
from benchmarks.latency import bench_latency
from benchmarks.launch import bench_launch
from benchmarks.many import bench_many
from benchmarks.memory import bench_memory
from benchmarks.remote import bench_remote
from benchmarks.report import Report
from benchmarks.review import bench_review
from benchmarks.startup import bench_scale, bench_startup
from benchmarks.switching import bench_switch_idle
from benchmarks.throughput import bench_stall, bench_throughput

HERE = Path(__file__).resolve().parent
SECTIONS = (
    "throughput",
    "stall",
    "latency",
    "hooks",
    "inbox",
    "switch",
    "memory",
    "startup",
    "launch",
    "scale",
    "host",
    "host-tty",
    "many",
    "replay",
    "review",
    "remote",
)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller inputs, fewer runs")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--only",
        choices=SECTIONS,
        help="run one section and print it (RESULTS.md is left as it is)",
    )
    args = parser.parse_args()
    started = time.time()
    size = 300_000 if args.quick else 2_000_000
    runs = 3 if args.quick else 5
    report = Report()
    with tempfile.TemporaryDirectory(prefix="wxtui-bench-") as tmp:
        root = Path(tmp)
        sections: dict[str, Callable[[], None]] = {
            "throughput": lambda: bench_throughput(report, size, runs, root),
            "stall": lambda: bench_stall(report, root, 2_000_000 if args.quick else 10_000_000, 3),
            "latency": lambda: bench_latency(report, 20 if args.quick else 60, root),
            "hooks": lambda: bench_hooks(report, root, runs),
            "inbox": lambda: bench_inbox(report, root, 2 if args.quick else 6),
            "switch": lambda: bench_switch_idle(report, root, 5 if args.quick else 30),
            "memory": lambda: bench_memory(report),
            "startup": lambda: bench_startup(report, root, runs),
            "launch": lambda: bench_launch(report, root, runs),
            "scale": lambda: bench_scale(report, root, 3 if args.quick else 10),
            "host": lambda: bench_host(
                report, root, size, runs, 20 if args.quick else 60, 5 if args.quick else 30
            ),
            "host-tty": lambda: bench_host_against_textual_tty(report, root, size, runs),
            "replay": lambda: bench_claude_replay(report, root),
            "review": lambda: bench_review(report, root, 2 if args.quick else 5),
            "remote": lambda: bench_remote(report, root, runs, 20 if args.quick else 60, size),
            "many": lambda: bench_many(
                report, root, 20 if args.quick else 50, 5 if args.quick else 10
            ),
        }
        for name, run in sections.items():
            if args.only in (None, name):
                run()
    if args.only:
        print(report.summary())
        return
    command = "python -m benchmarks" + (" --quick" if args.quick else "")
    report.write(args.output, command, started)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()

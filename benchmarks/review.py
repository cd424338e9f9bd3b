"""A milestone's review with a diff of 5,000 lines: ``v`` to the first frame of the review
painted, and a page down through the diff. Baseline: the inbox (F2) opened in the same
app, a modal screen of the same kind."""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import time
from pathlib import Path

from benchmarks.measure import ms, painted_after, pct
from benchmarks.report import Report
from wxtui.app.app import WxtuiApp
from wxtui.app.diff_view import DiffView
from wxtui.app.inbox import InboxScreen
from wxtui.app.review_screen import ReviewScreen
from wxtui.milestone_changes import snapshot
from wxtui.store import Store

LINES = 5000


def _repository(tmp: Path) -> Path:
    workspace = tmp / "review-repo"
    workspace.mkdir()

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(workspace), *args], check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    source = "".join(f"def f{n}(x: int) -> int:\n    return x * {n}\n" for n in range(LINES // 4))
    (workspace / "module.py").write_text(source)
    git("add", ".")
    git("-c", "user.email=b@x", "-c", "user.name=b", "commit", "-qm", "base")
    return workspace


async def _measure(
    db: Path, project_id: str, milestone_id: str, runs: int
) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {"open": [], "page": [], "inbox": []}
    with Store.open(db) as store:
        app = WxtuiApp(store, poll_interval=60)
        async with app.run_test(size=(160, 45)) as pilot:
            for _ in range(runs):
                start = time.perf_counter()
                await app.open_review(project_id, milestone_id)
                found["open"].append(
                    await painted_after(app, lambda: isinstance(app.screen, ReviewScreen)) - start
                )
                view = app.screen.query_one(DiffView)
                for _ in range(10):
                    before = view.scroll_offset.y
                    start = time.perf_counter()
                    await pilot.press("pagedown")
                    moved = lambda b=before, v=view: v.scroll_offset.y != b  # noqa: E731
                    found["page"].append(await painted_after(app, moved) - start)
                await pilot.press("escape")
                await pilot.pause()
                start = time.perf_counter()
                await pilot.press("f2")
                found["inbox"].append(
                    await painted_after(app, lambda: isinstance(app.screen, InboxScreen)) - start
                )
                await pilot.press("escape")
                await pilot.pause()
    return found


def bench_review(report: Report, tmp: Path, runs: int) -> None:
    workspace = _repository(tmp)
    db = tmp / "review.db"
    with Store.open(db) as store:
        project = store.add_project("review", str(workspace), command="sh -c 'exec cat'")
        milestone = store.add_milestone(project.id, "big change")
    snapshot(workspace, milestone.id, "base")
    source = (workspace / "module.py").read_text()
    (workspace / "module.py").write_text(source.replace("return x *", "return x +"))
    found = asyncio.run(_measure(db, project.id, milestone.id, runs))
    inbox = statistics.median(found["inbox"])
    opened = statistics.median(found["open"])
    report.record(
        "review",
        f"v to the review of a {LINES}-line diff painted (git included): p50 / p90",
        f"{ms(opened)} / {ms(pct(found['open'], 0.9))}",
        f"the inbox opened p50 {ms(inbox)}",
        f"{opened / inbox:.1f}x",
    )
    page = statistics.median(found["page"])
    report.record(
        "review",
        "page down in that diff, to the frame: p50 / p90",
        f"{ms(page)} / {ms(pct(found['page'], 0.9))}",
        f"the inbox opened p50 {ms(inbox)}",
        f"{page / inbox:.2f}x",
    )

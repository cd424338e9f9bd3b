"""The app's collector policy: the full pass waits for a quiet moment (or runs once it
waited too long), frees cyclic garbage when it runs, and leaves the collector as it found
it when uninstalled."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest

from wxtui.app.collector import NEVER, QuietCollector
from wxtui.store import Store


@pytest.fixture
def collector() -> Iterator[QuietCollector]:
    thresholds = gc.get_threshold()
    quiet = QuietCollector(idle_for=1.0, full_pass_every=30.0)
    quiet.install()
    try:
        yield quiet
    finally:
        quiet.uninstall()
    assert gc.get_threshold() == thresholds


class Node:
    def __init__(self) -> None:
        self.me = self  # A cycle: only the collector frees it.


def _cycle() -> weakref.ref[Node]:
    """A cycle that became garbage after it reached the oldest generation (which only a
    full pass looks at)."""
    node = Node()
    gc.collect(1)  # Survivors of a middle-generation pass go to the oldest.
    ref = weakref.ref(node)
    del node
    return ref


def _make_due() -> None:
    """As many middle-generation passes as the collector waits for before a full one."""
    for _ in range(gc.get_threshold()[1] + 10):
        gc.collect(1)


def test_installed_the_collector_never_starts_a_full_pass_by_itself(
    collector: QuietCollector,
) -> None:
    assert gc.get_threshold()[2] == NEVER
    _make_due()
    assert collector.full_pass_due


def test_a_due_full_pass_waits_for_a_quiet_moment(collector: QuietCollector) -> None:
    garbage = _cycle()
    _make_due()
    assert not collector.collect_when_idle(quiet_for=0.2), "output is being painted"
    assert garbage() is not None
    assert collector.collect_when_idle(quiet_for=1.5)
    assert garbage() is None, "the full pass freed the cycle"
    assert not collector.full_pass_due


def test_a_full_pass_not_due_does_not_run(collector: QuietCollector) -> None:
    collector.collect_when_idle(quiet_for=5.0)  # Whatever was due from earlier tests.
    assert not collector.collect_when_idle(quiet_for=5.0)


def test_output_that_never_pauses_still_gets_a_full_pass_now_and_then() -> None:
    quiet = QuietCollector(idle_for=1.0, full_pass_every=0.0)
    quiet.install()
    try:
        garbage = _cycle()
        _make_due()
        assert quiet.collect_when_idle(quiet_for=0.0)
        assert garbage() is None
    finally:
        quiet.uninstall()


def test_a_sweep_frees_cycles_among_frozen_objects(collector: QuietCollector) -> None:
    garbage = _cycle()
    gc.freeze()  # As after a full pass: the cycle is out of the collector's view.
    gc.collect()
    assert garbage() is not None
    collector.sweep()
    assert garbage() is None


async def test_the_app_runs_the_due_full_pass_once_its_panes_are_quiet(store: Store) -> None:
    """The app's own timer: a cycle left for a full pass is freed while nothing paints."""
    from tests.support import make_app, wait_until

    app = make_app(store)
    async with app.run_test(size=(100, 30)):
        garbage = _cycle()
        _make_due()
        await wait_until(lambda: garbage() is None, timeout=10, message="the full pass")
        assert gc.get_threshold()[2] == NEVER, "the collector still waits for the app"


async def test_the_app_waits_while_the_user_types(store: Store) -> None:
    """Keys in the sidebar paint no pane, but a full pass then would still be a hitch
    under the user's fingers: it waits until the keys stop too."""
    from tests.support import make_app, wait_until

    store.add_project("one", "/tmp")
    store.add_project("two", "/tmp")
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        garbage = _cycle()
        _make_due()
        loop = asyncio.get_running_loop()
        typing_until = loop.time() + 2.5
        while loop.time() < typing_until:
            await pilot.press("down", "up")
            await asyncio.sleep(0.2)  # A person's pace, not a wait for something.
            assert garbage() is not None, "no full pass while typing"
        await wait_until(lambda: garbage() is None, timeout=10, message="the full pass")

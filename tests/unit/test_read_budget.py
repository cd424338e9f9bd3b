"""The loop's read budget: a turn's worth of reading, then timers and keys; readers that
wait take turns in the order they came."""

from __future__ import annotations

import asyncio

from tests.support import wait_until
from wxtui.sessions.read_budget import ReadBudget

PIECE = 0.002  # What showing one piece of output costs, charged as if measured.


async def _reader(budget: ReadBudget, name: str, log: list[str], fresh: bool = False) -> None:
    """A link with a flood already buffered: a piece, when the budget lets it."""
    while True:
        await budget.wait(fresh=fresh)
        log.append(name)
        budget.charge(PIECE)


async def test_links_flooding_at_once_take_turns() -> None:
    budget = ReadBudget(seconds=0.005)
    log: list[str] = []
    turns = 0

    def tick() -> None:  # Once every turn of the loop: the budget's share is kept.
        nonlocal turns, ticking
        turns += 1
        log.append("|")
        ticking = asyncio.get_running_loop().call_soon(tick)

    ticking = asyncio.get_running_loop().call_soon(tick)
    tasks = [asyncio.create_task(_reader(budget, name, log)) for name in "ABC"]
    await wait_until(lambda: sum(entry != "|" for entry in log) >= 90, message="pieces")
    for task in tasks:
        task.cancel()
    ticking.cancel()
    pieces = [entry for entry in log if entry != "|"]
    for name in "ABC":
        assert pieces.count(name) >= 20, f"{name} waited while the others read: {pieces}"
    per_turn = [len(turn) for turn in "".join(log).split("|")]
    assert max(per_turn) <= 3, "a turn reads its budget's worth (the last piece uses it up)"


async def test_a_big_piece_of_work_waits_for_a_turn_of_its_own() -> None:
    """A screen to load (a snapshot) starts a turn nothing was read in yet, even while
    another link floods."""
    budget = ReadBudget(seconds=0.005)
    log: list[str] = []
    spent_before: list[float] = []

    async def loader() -> None:
        while True:
            await budget.wait(fresh=True)
            spent_before.append(budget.spent)
            log.append("S")
            budget.charge(PIECE)

    tasks = [asyncio.create_task(_reader(budget, "A", log)), asyncio.create_task(loader())]
    await wait_until(lambda: log.count("S") >= 10 and log.count("A") >= 10, message="both")
    for task in tasks:
        task.cancel()
    assert spent_before == [0.0] * len(spent_before)


async def test_a_reader_that_goes_away_while_it_waits_holds_up_no_one() -> None:
    budget = ReadBudget(seconds=0.005)
    budget.charge(0.01)
    gone = asyncio.create_task(budget.wait())
    await asyncio.sleep(0)
    log: list[str] = []
    staying = asyncio.create_task(_reader(budget, "B", log))
    gone.cancel()
    await wait_until(lambda: len(log) >= 10, message="the other link goes on")
    staying.cancel()


async def test_a_pty_and_a_link_flooding_in_one_process_both_go_on() -> None:
    """The host served in the app's process: its PTYs read in callbacks, a link in a
    task that waits for turns nothing was read in (snapshots). Neither starves."""
    budget = ReadBudget(seconds=0.005)
    log: list[str] = []
    loop = asyncio.get_running_loop()

    class Pty:
        stopped = False

        def readable(self) -> None:  # The loop says there is output: every turn.
            if self.stopped:
                return
            if budget.must_wait():
                budget.defer(self.resume)
            else:
                self.read()

        def resume(self) -> bool:
            if self.stopped:
                return False
            self.read()
            return True

        def read(self) -> None:
            log.append("P")
            budget.charge(PIECE / 2)
            loop.call_soon(self.readable)

    pty = Pty()
    loop.call_soon(pty.readable)
    link = asyncio.create_task(_reader(budget, "L", log, fresh=True))
    await wait_until(lambda: log.count("L") >= 20 and log.count("P") >= 20, message="both")
    pty.stopped = True
    link.cancel()


async def test_a_reader_that_fails_as_its_turn_comes_holds_up_no_one() -> None:
    budget = ReadBudget(seconds=0.005)

    def failing() -> bool:
        raise OSError(105, "no buffer space")

    budget.defer(failing)
    log: list[str] = []
    staying = asyncio.create_task(_reader(budget, "B", log))
    budget.charge(0.01)
    await wait_until(lambda: len(log) >= 10, message="the other link goes on")
    staying.cancel()

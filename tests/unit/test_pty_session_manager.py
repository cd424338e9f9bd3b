from __future__ import annotations

import asyncio
import sys
from unittest.mock import AsyncMock, MagicMock

import pytest

from tests.support import wait_until
from wxtui.sessions.manager import PTYSession, PTYSessionManager
from wxtui.sessions.pty import BidirectionalPTY


def mock_pty(pid: int = 1000, alive: bool = True) -> MagicMock:
    pty = MagicMock(spec=BidirectionalPTY)
    pty.pid = pid
    pty.alive = alive
    pty.returncode = None if alive else 0
    pty.close = AsyncMock(return_value=0)
    return pty


def test_create_session_with_output_project_id() -> None:
    manager = PTYSessionManager()
    pty = mock_pty()
    session_id = manager.create_session("proj-1", pty, claude_session_id="c-1")
    session = manager.get_session(session_id)
    assert isinstance(session, PTYSession)
    assert session.output_project_id == "proj-1"
    assert session.pty is pty and session.claude_session_id == "c-1"
    assert manager.get_session_by_output_project("proj-1") is session


def test_get_session_by_output_project() -> None:
    manager = PTYSessionManager()
    first = manager.create_session("a", mock_pty(1))
    second = manager.create_session("b", mock_pty(2))
    assert manager.get_session_by_output_project("a").session_id == first
    assert manager.get_session_by_output_project("b").session_id == second
    assert manager.get_session_by_output_project("missing") is None


def test_session_reuse_same_output_project() -> None:
    manager = PTYSessionManager()
    spawn = MagicMock(return_value=mock_pty())
    first, created_first = manager.get_or_create_session("proj", spawn)
    second, created_second = manager.get_or_create_session("proj", spawn)
    assert first is second
    assert (created_first, created_second) == (True, False)
    spawn.assert_called_once()
    assert len(manager) == 1


def test_different_projects_get_different_sessions() -> None:
    manager = PTYSessionManager()
    a, _ = manager.get_or_create_session("a", lambda: mock_pty(1))
    b, _ = manager.get_or_create_session("b", lambda: mock_pty(2))
    assert a is not b and a.pty.pid != b.pty.pid


def test_dead_session_is_reported_then_replaced() -> None:
    manager = PTYSessionManager()
    dead = mock_pty(1)
    session, _ = manager.get_or_create_session("p", lambda: dead)
    dead.alive = False
    dead.returncode = 3
    [listed] = manager.list_sessions()
    assert listed["alive"] is False and listed["returncode"] == 3
    replacement, created = manager.get_or_create_session("p", lambda: mock_pty(2))
    assert created and replacement is not session and replacement.pty.pid == 2
    assert manager.get_session(session.session_id) is None


def test_create_session_refuses_second_live_process() -> None:
    manager = PTYSessionManager()
    manager.create_session("p", mock_pty())
    with pytest.raises(RuntimeError, match="already has a live session"):
        manager.create_session("p", mock_pty())


def test_list_sessions_returns_output_project_id() -> None:
    manager = PTYSessionManager()
    manager.create_session("proj-1", mock_pty(11), claude_session_id="uuid-1")
    manager.create_session("proj-2", mock_pty(12))
    listed = manager.list_sessions()
    assert [s["output_project_id"] for s in listed] == ["proj-1", "proj-2"]
    assert [s["claude_session_id"] for s in listed] == ["uuid-1", None]
    assert [s["pid"] for s in listed] == [11, 12]


async def test_close_session_removes_both_mappings() -> None:
    manager = PTYSessionManager()
    pty = mock_pty()
    session_id = manager.create_session("p", pty)
    await manager.close_session(session_id)
    pty.close.assert_awaited_once()
    assert manager.get_session(session_id) is None
    assert manager.get_session_by_output_project("p") is None
    assert await manager.close_session(output_project_id="p") is None


async def test_close_all() -> None:
    manager = PTYSessionManager()
    ptys = [mock_pty(i) for i in range(3)]
    for i, pty in enumerate(ptys):
        manager.create_session(f"p{i}", pty)
    await manager.close_all()
    assert len(manager) == 0 and manager.list_sessions() == []
    for pty in ptys:
        pty.close.assert_awaited_once()


async def test_real_ptys_one_process_per_project() -> None:
    manager = PTYSessionManager()
    outputs: dict[str, bytearray] = {"a": bytearray(), "b": bytearray()}
    spawned: list[str] = []

    def spawner(project: str):
        def spawn() -> BidirectionalPTY:
            spawned.append(project)
            return BidirectionalPTY.spawn(
                [sys.executable, "-c", "import os; print('pid', os.getpid()); input()"],
                on_output=outputs[project].extend,
            )

        return spawn

    a1, _ = manager.get_or_create_session("a", spawner("a"))
    a2, _ = manager.get_or_create_session("a", spawner("a"))
    b1, _ = manager.get_or_create_session("b", spawner("b"))
    assert spawned == ["a", "b"]
    assert a1 is a2 and a1.pty.pid != b1.pty.pid
    await wait_until(lambda: b"pid" in outputs["a"] and b"pid" in outputs["b"])
    assert f"pid {a1.pty.pid}".encode() in outputs["a"]
    a1.pty.write(b"\r")
    await asyncio.wait_for(a1.pty.wait(), 10)
    assert not manager.get_session_by_output_project("a").alive
    a3, created = manager.get_or_create_session("a", spawner("a"))
    assert created and a3.pty.pid != a1.pty.pid
    await manager.close_all()
    assert not a3.pty.alive and not b1.pty.alive

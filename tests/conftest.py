"""Fixtures shared by every test group; helpers live in ``tests.support``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import FakeClaude, stop_host
from wxtui.store import Store

USER_DIR_VARIABLES = (
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "XDG_RUNTIME_DIR",
)


@pytest.fixture(autouse=True, scope="session")
def private_user_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The suite never touches the user's own data, logs, config or runtime files:
    every place wxtui would write to lives under a temporary folder (for child
    processes too, which inherit the environment)."""
    root = tmp_path_factory.mktemp("user-dirs")
    with pytest.MonkeyPatch.context() as patch:
        for name in USER_DIR_VARIABLES:
            path = root / name.lower()
            path.mkdir(mode=0o700)
            patch.setenv(name, str(path))
        patch.setenv("WXTUI_LOG", str(root / "log" / "wxtui.log"))
        patch.setenv("WXTUI_RUNTIME_DIR", str(root / "runtime"))
        patch.setenv("WXTUI_CONFIG", str(root / "config.toml"))
        patch.delenv("WXTUI_DB", raising=False)
        yield root


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "wxtui.db") as opened:
        yield opened


@pytest.fixture
def fake_claude(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeClaude:
    return FakeClaude(tmp_path, monkeypatch)


@pytest.fixture(autouse=True)
def no_session_host_left(tmp_path: Path) -> Iterator[None]:
    """Every session host a test started on a database of its own (and with it every
    agent) is stopped after it. Hosts are found from their databases: the socket
    directory is the user's, shared with any real wxtui of the user."""
    from wxtui.sessions.host_address import host_socket_path

    yield
    for database in tmp_path.rglob("*.db"):
        stop_host(host_socket_path(database))


@pytest.fixture
def host_db(tmp_path: Path) -> Iterator[Path]:
    """A database whose session host, if the test starts one, is stopped after it."""
    from wxtui.sessions.host_address import host_socket_path

    path = tmp_path / "wxtui.db"
    Store.open(path).close()
    yield path
    stop_host(host_socket_path(path))

"""wxtui's private runtime directory: hook sockets and per-session settings files."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from wxtui.errors import WxtuiError


def runtime_dir(environ: Mapping[str, str]) -> Path:
    """``$WXTUI_RUNTIME_DIR``, else ``$XDG_RUNTIME_DIR/wxtui``, else a per-user folder in
    the temporary directory; created 0700 and refused unless it is this user's."""
    configured = environ.get("WXTUI_RUNTIME_DIR")
    xdg = environ.get("XDG_RUNTIME_DIR")
    if configured:
        path = Path(configured).expanduser()
    elif xdg and Path(xdg).is_dir() and os.access(xdg, os.W_OK):
        path = Path(xdg) / "wxtui"
    else:
        path = Path(tempfile.gettempdir()) / f"wxtui-{os.getuid()}"
    return _private_dir(path)


def user_runtime_dir() -> Path:
    """A private directory that depends on the user alone (not on the caller's
    environment): where session hosts' sockets are, so every process of the user finds
    them. ``/run/user/UID/wxtui`` where the system has it, else ``/tmp/wxtui-UID``."""
    uid = os.getuid()
    run = Path(f"/run/user/{uid}")
    if run.is_dir() and os.access(run, os.W_OK):
        return _private_dir(run / "wxtui")
    return _private_dir(Path(f"/tmp/wxtui-{uid}"))


def _private_dir(path: Path) -> Path:
    """``path``, created 0700, refused unless it is this user's directory."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.lstat()
    except OSError as exc:
        raise WxtuiError(f"cannot create runtime directory {path}: {exc.strerror}") from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise WxtuiError(f"runtime directory {path} is not a directory of this user")
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(path, 0o700)
    return path

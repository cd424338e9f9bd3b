"""The ``wxtui`` command line: the TUI by default, and scriptable project/milestone commands."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from wxtui import __version__
from wxtui.config import Config, ConfigError, config_path, default_agent, load_config, setting_line
from wxtui.errors import InvalidInput, WxtuiError
from wxtui.milestone_changes import (
    changes,
    diff_text,
    remove_milestone,
    remove_project,
    set_status,
    workspace_of,
)
from wxtui.models import MILESTONE_STATUSES
from wxtui.printing import print_json, print_sessions, print_table
from wxtui.sessions.permission_requests import Decision
from wxtui.store import Store, default_db_path

if TYPE_CHECKING:
    from wxtui.app.app import WxtuiApp


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"wxtui: error: {message}\n")


PROJECT_HELP = "project id or exact name"
REMOTE_HELP = "on this remote (see wxtui remote list)"
MILESTONE_HELP = "milestone id, or its name (unique, or given as PROJECT/NAME)"


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wxtui", description="Terminal session manager for Claude Code agents.")
    parser.add_argument("--version", action="version", version=f"wxtui {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", help="database file (default: $WXTUI_DB, else the user data dir)"
    )
    parser.add_argument(
        "--agent", metavar="CMD", help="agent command for projects without their own"
    )
    parser.add_argument(
        "--open", metavar="PROJECT", help="start with this project's session focused"
    )
    commands = parser.add_subparsers(dest="group", metavar="COMMAND", parser_class=_Parser)

    commands.add_parser("demo", help="the TUI on a throwaway demo workspace")

    host_parser = commands.add_parser(
        "host", help="the session host that keeps agents running (alone: run it here)"
    )
    host_parser.add_argument(
        "--stdio",
        action="store_true",
        help="speak to this machine's host on stdin and stdout (a remote's command runs this)",
    )
    host = host_parser.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    hstatus = host.add_parser("status", help="the host's pid, version and sessions")
    hstatus.add_argument("--json", action="store_true", help="machine-readable output")
    host.add_parser("stop", help="stop every session (conversations are kept) and the host")

    attach = commands.add_parser(
        "attach", help="a project's session in this terminal (ctrl+] detaches)"
    )
    attach.add_argument("project", help=PROJECT_HELP + " (REMOTE:PROJECT: on that remote)")
    attach.add_argument("--remote", metavar="NAME", help=REMOTE_HELP)

    remote = commands.add_parser(
        "remote", help="other machines' agents, reached through a command (ssh)"
    ).add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    radd = remote.add_parser(
        "add", help="add a remote: wxtui remote add NAME -- ssh -T HOST wxtui host --stdio"
    )
    radd.add_argument("name", help="the machine's name here (letters, digits, _ . -)")
    radd.add_argument("command", nargs=argparse.REMAINDER, help="after --: the command")
    rlist = remote.add_parser("list", help="the remotes, and with --check whether they answer")
    rlist.add_argument("--check", action="store_true", help="connect to each and say how")
    rlist.add_argument("--json", action="store_true")
    rremove = remote.add_parser("remove", help="forget a remote (nothing there changes)")
    rremove.add_argument("name")

    project = commands.add_parser("project", help="manage projects").add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )
    add = project.add_parser("add", help="add a project; prints its id")
    add.add_argument("name", help="the project's name (unique, any Unicode)")
    add.add_argument("--dir", default=".", help="workspace directory (default: current)")
    add.add_argument("--command", default="", help="agent command line for this project")
    add.add_argument("--remote", metavar="NAME", help=REMOTE_HELP + " (--dir: a path there)")
    listing = project.add_parser("list", help="list projects")
    listing.add_argument("--json", action="store_true")
    show = project.add_parser("show", help="show one project and its milestones")
    show.add_argument("project", help=PROJECT_HELP)
    show.add_argument("--json", action="store_true")
    edit = project.add_parser("edit", help="change a project")
    edit.add_argument("project", help=PROJECT_HELP)
    edit.add_argument("--name")
    edit.add_argument("--dir")
    edit.add_argument("--command")
    remove = project.add_parser("remove", help="delete a project and its milestones")
    remove.add_argument("project", help=PROJECT_HELP)

    milestone = commands.add_parser("milestone", help="manage milestones").add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )
    madd = milestone.add_parser("add", help="add a milestone; prints its id")
    madd.add_argument("project", help=PROJECT_HELP)
    madd.add_argument("name", help="the milestone's name (unique within the project)")
    madd.add_argument("--prompt", help="a brief that can be sent into the project's session")
    madd.add_argument("--remote", metavar="NAME", help=REMOTE_HELP)
    mlist = milestone.add_parser("list", help="list a project's milestones")
    mlist.add_argument("project", help=PROJECT_HELP)
    mlist.add_argument("--json", action="store_true")
    medit = milestone.add_parser("edit", help="change a milestone")
    medit.add_argument("milestone", help=MILESTONE_HELP)
    medit.add_argument("--name")
    medit.add_argument("--prompt", help="the new prompt ('' removes it)")
    mstatus = milestone.add_parser("status", help="set a milestone's status")
    mstatus.add_argument("milestone", help=MILESTONE_HELP)
    mstatus.add_argument("status", help=" | ".join(MILESTONE_STATUSES))
    mremove = milestone.add_parser("remove", help="delete a milestone")
    mremove.add_argument("milestone", help=MILESTONE_HELP)
    mreview = milestone.add_parser(
        "review", help="what the agent changed for the milestone: the diff (git workspaces)"
    )
    mreview.add_argument("milestone", help=MILESTONE_HELP)
    mreview.add_argument("--json", action="store_true", help="the changed files and counts")
    mapprove = milestone.add_parser("approve", help="the review passed: completed")
    mapprove.add_argument("milestone", help=MILESTONE_HELP)
    mreject = milestone.add_parser(
        "reject", help="the review failed: failed, and the comment goes to the agent"
    )
    mreject.add_argument("milestone", help=MILESTONE_HELP)
    mreject.add_argument("--comment", "-m", required=True, help="what to do differently")

    config = commands.add_parser("config", help="the settings file").add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )
    config.add_parser("path", help="print where the settings file is ($WXTUI_CONFIG overrides)")
    config.add_parser("check", help="check the settings file; exit 2 naming the line if wrong")

    session = commands.add_parser(
        "session", help="projects' sessions and their stored Claude conversations"
    ).add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    for action, what in (
        ("start", "start the project's session in the session host (no UI needed)"),
        ("stop", "stop the project's session (its conversation is kept)"),
        ("restart", "stop the project's session and start it again, resuming"),
    ):
        acting = session.add_parser(action, help=what)
        acting.add_argument("project", help=PROJECT_HELP)
        acting.add_argument("--remote", metavar="NAME", help=REMOTE_HELP)
    send = session.add_parser(
        "send", help="type TEXT and Enter into the project's session (starting it if needed)"
    )
    send.add_argument("project", help=PROJECT_HELP)
    send.add_argument("--remote", metavar="NAME", help=REMOTE_HELP)
    send.add_argument("text", nargs="?", default="", help="the prompt (--milestone: its own)")
    send.add_argument(
        "--milestone",
        help="a milestone of the project: in progress from this prompt, reviewed from here",
    )
    inbox = commands.add_parser(
        "inbox", help="the agents that need you (as the inbox, F2, shows them); answer them"
    )
    inbox.add_argument("--json", action="store_true", help="one object per row")
    inbox_actions = inbox.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    answer = inbox_actions.add_parser(
        "answer", help="answer what the project's agent waits for (a permission, a question)"
    )
    answer.add_argument("project", help=PROJECT_HELP)
    answer.add_argument(
        "decision",
        choices=[d.value for d in Decision],
        help="allow once, always allow (as Claude's dialog offers), deny; reply: the "
        "answer to Claude's question, or the next prompt for an agent that is done",
    )
    answer.add_argument("--message", "-m", default="", help="deny: why; reply: the answer")
    answer.add_argument(
        "--request", help="only this request (its id from --json); nothing if it is gone"
    )
    slist = session.add_parser("list", help="the stored conversation of every project")
    slist.add_argument("--json", action="store_true")
    slist.add_argument("--remote", metavar="NAME", help=REMOTE_HELP)
    forget = session.add_parser("forget", help="the next start is a fresh conversation")
    forget.add_argument("project", help=PROJECT_HELP)
    history = session.add_parser(
        "history", help="every conversation a project has used, oldest first (last: current)"
    )
    history.add_argument("project", help=PROJECT_HELP)
    history.add_argument("--json", action="store_true")
    use = session.add_parser("use", help="the next start resumes this earlier conversation")
    use.add_argument("project", help=PROJECT_HELP)
    use.add_argument("id", help="a conversation id from `session history`")
    return parser


def _project_add(store: Store, args: argparse.Namespace) -> None:
    print(store.add_project(args.name, args.dir, args.command).id)


def _project_list(store: Store, args: argparse.Namespace) -> None:
    projects = store.list_projects()
    if args.json:
        print_json([p.to_dict() for p in projects])
        return
    if not projects:
        print("no projects (add one with: wxtui project add NAME --dir PATH)")
        return
    header = ("ID", "STATUS", "NAME", "WORKSPACE")
    print_table([header, *((p.id, p.status, p.name, p.workspace_path) for p in projects)])


def _project_show(store: Store, args: argparse.Namespace) -> None:
    project = store.find_project(args.project)
    milestones = store.list_milestones(project.id)
    if args.json:
        print_json({**project.to_dict(), "milestones": [m.to_dict() for m in milestones]})
        return
    for key, value in project.to_dict().items():
        print(f"{key + ':':<19}{'' if value is None else value}")
    print("milestones:")
    print_table([("  " + m.id, m.status, m.element_name) for m in milestones])


def _project_edit(store: Store, args: argparse.Namespace) -> None:
    project = store.find_project(args.project)
    if args.name is None and args.dir is None and args.command is None:
        raise InvalidInput("nothing to change: give --name, --dir or --command")
    store.edit_project(project.id, name=args.name, workspace_path=args.dir, command=args.command)


def _project_remove(store: Store, args: argparse.Namespace) -> None:
    remove_project(store, store.find_project(args.project).id)


def _milestone_add(store: Store, args: argparse.Namespace) -> None:
    project = store.find_project(args.project)
    print(store.add_milestone(project.id, args.name, args.prompt).id)


def _milestone_list(store: Store, args: argparse.Namespace) -> None:
    milestones = store.list_milestones(store.find_project(args.project).id)
    if args.json:
        print_json([m.to_dict() for m in milestones])
        return
    print_table([(m.id, m.status, m.element_name) for m in milestones])


def _milestone_edit(store: Store, args: argparse.Namespace) -> None:
    milestone = store.find_milestone(args.milestone)
    if args.name is None and args.prompt is None:
        raise InvalidInput("nothing to change: give --name or --prompt")
    store.edit_milestone(milestone.id, element_name=args.name, prompt=args.prompt)


def _milestone_status(store: Store, args: argparse.Namespace) -> None:
    set_status(store, store.find_milestone(args.milestone).id, args.status)


def _milestone_remove(store: Store, args: argparse.Namespace) -> None:
    remove_milestone(store, store.find_milestone(args.milestone).id)


def _milestone_review(store: Store, args: argparse.Namespace) -> None:
    milestone = store.find_milestone(args.milestone)
    workspace = workspace_of(store, milestone)
    if args.json:
        print_json(changes(workspace, milestone.id).to_json())
    else:
        sys.stdout.write(diff_text(workspace, milestone.id))


def _milestone_approve(store: Store, args: argparse.Namespace) -> None:
    milestone = store.find_milestone(args.milestone)
    set_status(store, milestone.id, "completed")  # Its snapshots are kept.
    print(f"approved {milestone.element_name}: completed")


def _milestone_reject(db_path: Path, args: argparse.Namespace) -> int:
    """failed, and the comment sent to the project's session as a prompt naming the
    milestone (the session starts if it does not run)."""
    from wxtui.sessions.session_commands import session_command

    comment = args.comment.strip()
    if not comment:
        raise InvalidInput("--comment: what the agent should do differently")
    with Store.open(db_path) as store:
        milestone = store.find_milestone(args.milestone)
        set_status(store, milestone.id, "failed")
    prompt = f"Review of milestone {milestone.element_name!r}: not accepted. {comment}"
    print(f"rejected {milestone.element_name}: failed")
    from wxtui.sessions.machines import LocalMachine

    agent = default_agent(args.agent, os.environ, load_checked_config())
    machine = LocalMachine(db_path, agent)
    return session_command(machine, "send", milestone.output_project_id, prompt)


def _session_list(store: Store, args: argparse.Namespace) -> None:
    print_sessions(store.list_projects(), store.agent_states(), as_json=args.json)


def _session_history(store: Store, args: argparse.Namespace) -> None:
    history = store.conversation_history(store.find_project(args.project).id)
    if args.json:
        print_json([c.to_dict() for c in history])
        return
    print_table([(c.at, c.source, c.claude_session_id) for c in history])


def _session_use(store: Store, args: argparse.Namespace) -> None:
    store.use_conversation(store.find_project(args.project).id, args.id)


def _session_forget(store: Store, args: argparse.Namespace) -> None:
    store.set_claude_session_id(store.find_project(args.project).id, None)


_HANDLERS: dict[tuple[str, str], Callable[[Store, argparse.Namespace], None]] = {
    ("project", "add"): _project_add,
    ("project", "list"): _project_list,
    ("project", "show"): _project_show,
    ("project", "edit"): _project_edit,
    ("project", "remove"): _project_remove,
    ("milestone", "add"): _milestone_add,
    ("milestone", "list"): _milestone_list,
    ("milestone", "edit"): _milestone_edit,
    ("milestone", "status"): _milestone_status,
    ("milestone", "remove"): _milestone_remove,
    ("milestone", "review"): _milestone_review,
    ("milestone", "approve"): _milestone_approve,
    ("session", "list"): _session_list,
    ("session", "forget"): _session_forget,
    ("session", "history"): _session_history,
    ("session", "use"): _session_use,
}


def _fail(error: WxtuiError) -> int:
    print(f"wxtui: error: {error}", file=sys.stderr)
    return error.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    try:
        if args.group == "demo":
            from wxtui.demo import run_demo

            return run_demo(agent=args.agent)
        if args.group == "config":
            return _config(args.action)
        if args.group == "remote":
            from wxtui.remote_commands import remote_command

            return remote_command(config_path(os.environ), args)
        if getattr(args, "remote", None) is not None:
            from wxtui.remote_commands import on_remote

            return on_remote(config_path(os.environ), args)
        if args.group == "attach" and ":" in args.project:
            from wxtui.remote_commands import on_remote, remotes

            # NAME:PROJECT, when NAME is a remote (a local project's name may hold a colon).
            name, _colon, project = args.project.partition(":")
            if name in {r.name for r in remotes(config_path(os.environ))}:
                args.remote, args.project = name, project
                return on_remote(config_path(os.environ), args)
        db_path = default_db_path(args.db, os.environ)
        if args.group is None:
            return _run_tui(db_path, args.agent, args.open)
        if args.group == "host":
            return _host(db_path, args)
        if args.group == "session" and args.action in ("start", "stop", "restart", "send"):
            from wxtui.sessions.machines import LocalMachine
            from wxtui.sessions.session_commands import session_command

            agent = default_agent(args.agent, os.environ, load_checked_config())
            text = getattr(args, "text", "")
            milestone = getattr(args, "milestone", None)
            machine = LocalMachine(db_path, agent)
            return session_command(machine, args.action, args.project, text, milestone)
        if args.group == "milestone" and args.action == "reject":
            return _milestone_reject(db_path, args)
        if args.group == "inbox":
            from wxtui.sessions.inbox_commands import answer_command, inbox_command

            if args.action == "answer":
                decision = Decision(args.decision)
                return answer_command(db_path, args.project, decision, args.message, args.request)
            return inbox_command(db_path, as_json=args.json)
        if args.group == "attach":
            from wxtui.attach import run_attach
            from wxtui.sessions.machines import LocalMachine

            return run_attach(LocalMachine(db_path, args.agent), args.project)
        with Store.open(db_path) as store:
            _HANDLERS[(args.group, args.action)](store, args)
        return 0
    except WxtuiError as error:
        return _fail(error)
    except BrokenPipeError:
        return 1


def load_checked_config(read: Config | None = None) -> Config:
    """The settings file (``read``: as already read from it), its keys checked against
    the app's bindings."""
    from textual.theme import BUILTIN_THEMES

    from wxtui.app.app import WxtuiApp
    from wxtui.app.inbox import INBOX_BINDINGS
    from wxtui.app.keymap import check_keymap
    from wxtui.app.sidebar_panel import SIDEBAR_BINDINGS

    path = config_path(os.environ)
    config = load_config(path) if read is None else read
    check_keymap(config.keys, WxtuiApp.BINDINGS, [SIDEBAR_BINDINGS, INBOX_BINDINGS], path)
    if config.theme is not None and config.theme not in BUILTIN_THEMES:
        known = ", ".join(sorted(BUILTIN_THEMES))
        line = setting_line(path, "theme")
        raise ConfigError(f"{path}:{line}: unknown theme {config.theme!r} (known: {known})")
    return config


def _config(action: str) -> int:
    if action == "path":
        print(config_path(os.environ))
        return 0
    config = load_checked_config()
    print(f"{config.path}: ok")
    return 0


def _host(db_path: Path, args: argparse.Namespace) -> int:
    from wxtui.sessions.host_commands import host_status, host_stop, run_host

    if args.action == "status":
        return host_status(db_path, as_json=args.json)
    if args.action == "stop":
        return host_stop(db_path)
    if args.stdio:
        from wxtui.sessions.stdio_bridge import run_stdio_bridge

        return run_stdio_bridge(db_path, args.agent)
    return run_host(db_path, args.agent)


def _start_host_early(db_path: Path, agent: str | None) -> subprocess.Popen[bytes] | None:
    """With no host running, one starts now, while the UI loads: the two processes start
    side by side instead of one after the other. The UI waits for it to serve."""
    from wxtui.sessions.client import start_host
    from wxtui.sessions.host_address import host_running, host_socket_path

    if host_running(host_socket_path(db_path)):
        return None
    return start_host(db_path, os.environ, agent)


def _tui_app(
    db_path: Path,
    agent: str | None,
    open_ref: str | None,
    settings: Config,
    starting: subprocess.Popen[bytes] | None,
) -> WxtuiApp:
    """The app, once the settings, the database and ``--open`` are known to be good."""
    from wxtui.app.app import WxtuiApp
    from wxtui.logs import setup_logging

    config = load_checked_config(settings)  # Keys or theme wrong: stops here, untouched.
    store = Store.open(db_path)
    try:
        open_project = store.find_project(open_ref).id if open_ref else None
        setup_logging()
        return WxtuiApp(
            store,
            agent=agent,
            open_project_id=open_project,
            config=config,
            sessions_in_host=True,
            host_starting=starting,
        )
    except BaseException:
        store.close()
        raise


def _run_tui(db_path: Path, agent: str | None, open_ref: str | None) -> int:
    settings = load_config(config_path(os.environ))  # Unreadable: stops here, untouched.
    # A database already there: its host starts while the UI loads (a new one is made
    # by the UI first, so a refused start leaves no file behind).
    starting = None
    if db_path.exists():
        starting = _start_host_early(db_path, default_agent(agent, os.environ, settings))
    try:
        app = _tui_app(db_path, agent, open_ref, settings, starting)
    except BaseException:
        if starting is not None:  # Nothing will use it: it does not wait to idle out.
            starting.terminate()
        raise
    try:
        app.run()
    finally:
        app.store.close()
    if app.exit_message:
        print(app.exit_message)
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())

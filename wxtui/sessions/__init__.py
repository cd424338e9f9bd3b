"""Agent sessions: each project's one child process in a pseudo-terminal, how it is
launched (Claude's --session-id / --resume rules, per-launch hook settings), the lock that
keeps one agent per project across wxtui processes, and what Claude's hooks say it is doing.

A UI reaches sessions through the session host only (:class:`HostedSessions` and the
host protocol); inside the host, :class:`ProjectSessions` runs them, keeping its
records in the seed's PTYSessionManager. Nothing here knows about the UI.
"""

"""A small full-screen curses program that redraws part of its screen on each key:
a framed list whose selection moves, a counter, and a status line."""

import curses


def main(window: curses.window) -> None:
    curses.curs_set(0)
    height, width = window.getmaxyx()
    items = [f"item {i:02d}" for i in range(40)]
    selected = top = presses = 0
    box = curses.newwin(height - 2, width // 2, 1, 2)
    while True:
        window.erase()
        window.addstr(0, 0, f"panel  presses={presses}")
        window.addstr(height - 1, 0, "j/k move  q quit"[: width - 1], curses.A_REVERSE)
        window.noutrefresh()
        box.erase()
        box.box()
        rows = height - 4
        top = min(max(top, selected - rows + 1), selected)
        for i, item in enumerate(items[top : top + rows]):
            attr = curses.A_REVERSE if top + i == selected else curses.A_NORMAL
            box.addstr(1 + i, 2, item, attr)
        box.noutrefresh()
        curses.doupdate()
        key = window.getch()
        presses += 1
        if key == ord("q"):
            return
        if key == ord("j"):
            selected = min(len(items) - 1, selected + 1)
        elif key == ord("k"):
            selected = max(0, selected - 1)


curses.wrapper(main)

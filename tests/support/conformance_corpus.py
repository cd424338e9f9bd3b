"""Byte streams whose visible result must match a real terminal (tmux) line for line.

DEC line drawing is left to the unit tests: ``capture-pane`` prints those cells
as the ASCII letters that select them (``lqqk``), not as the box characters shown.
"""

from __future__ import annotations


def _claude_like_redraw() -> bytes:
    """Ink-style frames: erase the previous frame line by line, draw the next, in sync blocks."""
    out = [b"\x1b[?25l", b"Welcome to the agent\r\n\r\n"]
    previous = 0
    for frame in range(12):
        out.append(b"\x1b[?2026h")
        out.append(b"\x1b[2K\x1b[1A" * previous + b"\x1b[2K\x1b[G")
        lines = [
            "\x1b[38;2;215;119;87m\u256d" + "\u2500" * 40 + "\u256e\x1b[0m",
            f"\x1b[38;2;215;119;87m\u2502\x1b[0m \u273b Thinking\u2026 step {frame:2d} "
            + " " * 18
            + "\x1b[38;2;215;119;87m\u2502\x1b[0m",
            "\x1b[38;2;215;119;87m\u2570" + "\u2500" * 40 + "\u256f\x1b[0m",
            f"\x1b[2m  esc to interrupt \u00b7 {frame * 13} tokens\x1b[0m",
        ]
        out.append("\r\n".join(lines).encode())
        out.append(b"\x1b[?2026l")
        previous = len(lines) - 1
    out.append(b"\r\n\x1b[?25h> done\r\n")
    return b"".join(out)


def _many_lines() -> bytes:
    return b"".join(f"log line {i:04d} \x1b[32mok\x1b[0m\r\n".encode() for i in range(200))


CORPUS: dict[str, bytes] = {
    "plain": b"hello world\r\nsecond line\r\nthird\r\n",
    "wrap": b"x" * 250 + b"\r\nafter wrap\r\n",
    "exact_width": b"y" * 100 + b"\r\nnext\r\n",
    "colors16": b"".join(f"\x1b[{30 + i}mc{i}\x1b[{90 + i}mC{i} ".encode() for i in range(8))
    + b"\x1b[0m\r\n",
    "colors256": b"".join(f"\x1b[38;5;{i}m{i % 10}".encode() for i in range(256)) + b"\x1b[0m\r\n",
    "truecolor": b"".join(f"\x1b[48;2;{i};0;{255 - i}m ".encode() for i in range(0, 256, 4))
    + b"\x1b[0m truecolor\r\n",
    "cup": b"\x1b[2J\x1b[5;10Hat 5,10\x1b[1;1Htop\x1b[10;1Hrow ten\x1b[12;1H",
    "relative_moves": b"start\x1b[2Bdown\x1b[3Aup\x1b[5Cright\x1b[10Dleft\r\n\r\n\r\n",
    "erase_line": b"aaaaaaaaaa\x1b[5D\x1b[K\r\nbbbbbbbbbb\x1b[5D\x1b[1K\r\ncccccccccc\x1b[2K\r\n",
    "erase_display_below": b"111\r\n222\r\n333\r\n444\x1b[2;2H\x1b[J\x1b[5;1H",
    "erase_display_above": b"111\r\n222\r\n333\r\n444\x1b[3;2H\x1b[1J\x1b[5;1H",
    "erase_display_all": b"gone\r\ngone\x1b[2J\x1b[Hfresh\r\n",
    "scroll_region": b"\x1b[2J\x1b[H"
    + b"".join(f"line {i}\r\n".encode() for i in range(1, 9))
    + b"\x1b[3;6r\x1b[6;1H\nscrolled\n\nagain\x1b[r\x1b[12;1H",
    "reverse_index": b"\x1b[2J\x1b[Hone\r\ntwo\r\nthree\x1b[2;4r\x1b[2;1H\x1bM\x1bMnew\x1b[r\x1b[8;1H",
    "insert_delete_lines": b"\x1b[2J\x1b[Ha\r\nb\r\nc\r\nd\r\ne\x1b[2;1H\x1b[2L\x1b[5;1H\x1b[M\x1b[9;1H",
    "insert_delete_chars": b"abcdefghij\x1b[4G\x1b[2@XY\r\nabcdefghij\x1b[3G\x1b[3P\r\n"
    b"abcdefghij\x1b[2G\x1b[4X\r\n",
    "tabs": b"a\tb\tc\r\n12345678\tx\r\n\ttab start\r\n",
    "backspace": b"abcdef\x08\x08XY\r\nhello\x08\x08\x08\x08\x08J\r\n",
    "cjk": "中文字符 wide \u4e16\u754c!\r\n".encode(),
    "combining": "e\u0301 a\u0300 n\u0303 o\u0308k\r\n".encode(),
    "emoji": "smile \U0001f600 rocket \U0001f680 done\r\n".encode(),
    "wide_at_edge": ("x" * 99 + "中after").encode() + b"\r\n",
    "alt_screen_round_trip": b"main screen text\r\n\x1b[?1049h\x1b[2J\x1b[Halt text\x1b[?1049lback\r\n",
    "alt_screen_active": b"hidden main\r\n\x1b[?1049h\x1b[H\x1b[2Jfull screen app\r\n  status\r\n",
    "save_restore_esc": b"\x1b[3;5H\x1b7\x1b[10;10Hfar\x1b8saved\x1b[12;1H",
    "save_restore_csi": b"\x1b[4;8H\x1b[s\x1b[1;1Hhome\x1b[uback\x1b[12;1H",
    "claude_redraw": _claude_like_redraw(),
    "progress": b"".join(f"\rprogress {i:3d}%".encode() for i in range(0, 101, 5)) + b"\r\n",
    "many_lines": _many_lines(),
    "no_autowrap": b"\x1b[?7l" + b"z" * 150 + b"END\x1b[?7h\r\nwrapped again\r\n",
    "origin_mode": b"\x1b[2J\x1b[5;10r\x1b[?6h\x1b[1;1Horigin\x1b[?6l\x1b[r\x1b[12;1H",
    "repeat": b"a\x1b[9b\r\n-\x1b[20b\r\n",
    "scroll_up_down": b"\x1b[2J\x1b[H1\r\n2\r\n3\r\n4\r\n5\x1b[2S\x1b[1T\x1b[8;1H",
    "ignored_sequences": b"\x1b[>4;2m\x1b[>1u\x1b[<u\x1bP1$r0m\x1b\\\x1b_G;AAA\x1b\\kept text\r\n",
    "osc": b"\x1b]0;a title\x07\x1b]8;;http://x.test\x1b\\link\x1b]8;;\x1b\\ text\x1b]133;A\x07\r\n",
    "cnl_cpl_cha_vpa": b"\x1b[2J\x1b[5;5Hmid\x1b[2Enext\x1b[3Fprev\x1b[20Gcol20\x1b[9dline9\r\n",
    "c0_inside_csi": b"ABCDE\x1b[2\x08C!\r\n\x1b[\r2C+\x1b[1\x0bA^\r\n\r\n",
    "leading_zeros": b"\x1b[00000000004;000000001Hx\x1b[0000000000002Cy\r\n",
    "deccolm": b"one\r\ntwo\x1b[2;4r\x1b[5;5H\x1b[?3hafter\r\n\x1b[?3lagain\r\n",
    "sgr_attrs": b"\x1b[1mbold\x1b[22m \x1b[3mit\x1b[23m \x1b[4mun\x1b[24m \x1b[7mrev\x1b[27m "
    b"\x1b[9mstrike\x1b[29m \x1b[2mdim\x1b[0m\r\n",
}

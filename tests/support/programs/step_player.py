"""Writes a byte stream in steps: the next step each time a byte arrives on stdin.

Run the same steps in two terminals and compare their screens after every step.
Steps come from a file of ``\\x00``-separated chunks; the terminal is put in raw mode,
so the bytes reach the screen exactly as written.
"""

import os
import sys
import tty
from pathlib import Path

steps = Path(sys.argv[1]).read_bytes().split(b"\x00")
tty.setraw(0)
os.write(1, b"\x1b[H\x1b[2Jready")  # Input from now on is raw.
for step in steps:
    if not os.read(0, 1):
        break
    os.write(1, step)
while os.read(0, 1) not in (b"q", b""):
    pass

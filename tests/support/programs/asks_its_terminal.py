"""Asks its terminal for its device attributes (as vttest and many TUIs do at start),
waits for the answer, then says what came back and how many answers arrived.

``asks_its_terminal.py [DELAY [LOG]]``: ask after DELAY seconds. Prints ``answered:
<reply>`` (or ``no answer``), then ``answers: N`` counting every reply within half a
second (also written to the file LOG), then echoes its input like ``cat`` until EOF.
"""

import os
import select
import sys
import time
import tty

delay = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
log = sys.argv[2] if len(sys.argv) > 2 else None
tty.setraw(0)
time.sleep(delay)
os.write(1, b"\x1b[c")
deadline = time.monotonic() + 10
reply = b""
while not reply.endswith(b"c") and time.monotonic() < deadline:
    ready, _, _ = select.select([0], [], [], max(0.0, deadline - time.monotonic()))
    if ready:
        reply += os.read(0, 64)
if not reply:
    os.write(1, b"no answer\r\n")
    sys.exit(1)
answers = reply.count(b"\x1b[?")
quiet_until = time.monotonic() + 0.5
while (left := quiet_until - time.monotonic()) > 0:
    ready, _, _ = select.select([0], [], [], left)
    if ready:
        answers += os.read(0, 64).count(b"\x1b[?")
shown = reply.decode("ascii", "replace").replace("\x1b", "ESC")
os.write(1, f"answered: {shown}\r\nanswers: {answers}\r\n".encode())
if log:
    with open(log, "a") as file:
        file.write(f"answers: {answers}\n")
while data := os.read(0, 1024):
    os.write(1, data)

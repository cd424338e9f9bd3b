"""A local stand-in for the Anthropic Messages API, so the real Claude Code runs offline.

``POST /v1/messages`` is answered from the conversation's last user turn:
- a prompt containing ``WRITE-FILE <name>``: a Bash ``tool_use`` that writes that file
  (it needs the user's permission), then, once the tool result comes back, a short text;
- ``ASK-QUESTION``: an ``AskUserQuestion`` tool use (Claude asks the user);
- ``FAIL-PLEASE``: an API error (HTTP 400 ``invalid_request_error``, not retried);
- ``RUN-NESTED <command>``: a Bash tool use running ``<command>``;
- ``LONG-ANSWER``: a long Markdown answer (headings, lists, code) streamed in small pieces,
  ``PACE`` seconds apart, as the API streams tokens; it ends with ``END-OF-LONG-ANSWER``;
- anything else: a text reply whose first line is ``Reply to: <prompt>`` and a second line.
Streaming requests get server-sent events as the API sends them; others get one JSON
message. Message and tool ids are random. Every request is kept in ``requests``.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODEL = "claude-sonnet-4-5"


def _last_user_text(body: dict[str, Any]) -> tuple[str, bool]:
    """The last user turn's text, and whether it carries a tool result."""
    for message in reversed(body.get("messages", [])):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content, False
        texts, tool_result = [], False
        for block in content or []:
            if block.get("type") == "text":
                texts.append(block.get("text", ""))
            elif block.get("type") == "tool_result":
                tool_result = True
        return "\n".join(texts), tool_result
    return "", False


def _tool(name: str, tool_input: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "tool_use",
        "id": f"toolu_{uuid.uuid4().hex[:24]}",
        "name": name,
        "input": tool_input,
    }


def reply_for(body: dict[str, Any]) -> dict[str, Any] | None:
    """The assistant's content and stop reason, or None for an API error."""
    text, tool_result = _last_user_text(body)
    prompts = [t for t in re.findall(r"[^\n]+", text) if not t.startswith("<")]
    prompt = prompts[-1].strip() if prompts else text.strip()
    if tool_result:
        return {
            "content": [{"type": "text", "text": "Tool finished.\nAll done."}],
            "stop": "end_turn",
        }
    if "FAIL-PLEASE" in text:
        return None
    if match := re.search(r"WRITE-FILE (\S+)", text):
        command = f"echo written > {match[1]}"
        tool = _tool("Bash", {"command": command, "description": f"Write {match[1]}"})
        return {
            "content": [{"type": "text", "text": "I will write the file."}, tool],
            "stop": "tool_use",
        }
    if match := re.search(r"RUN-NESTED (.+)", text):
        tool = _tool("Bash", {"command": match[1].strip(), "description": "Run a nested command"})
        return {"content": [tool], "stop": "tool_use"}
    if "LONG-ANSWER" in text:
        return {
            "content": [{"type": "text", "text": long_answer()}],
            "stop": "end_turn",
            "paced": True,
        }
    if "ASK-QUESTION" in text:
        question = {
            "question": "Which colour should the button be?",
            "header": "Colour",
            "multiSelect": False,
            "options": [
                {"label": "Red", "description": "A red button"},
                {"label": "Blue", "description": "A blue button"},
            ],
        }
        tool = _tool("AskUserQuestion", {"questions": [question]})
        return {"content": [tool], "stop": "tool_use"}
    return {
        "content": [{"type": "text", "text": f"Reply to: {prompt[:60]}\nA second line."}],
        "stop": "end_turn",
    }


PACE = 0.02  # Between the pieces of a paced answer (about 50 pieces a second).


def long_answer() -> str:
    """An answer of the kind Claude writes at length: Markdown Claude Code renders in
    colour, about 12 KB."""
    parts = []
    for n in range(1, 9):
        parts.append(f"## Step {n}: refactor the billing module, part {n}\n")
        parts.append(
            "The current implementation mixes **validation**, *persistence* and `formatting` "
            "in one function; splitting them makes each testable on its own.\n"
        )
        parts.extend(
            f"- item {n}.{i}: move `calc_{i}()` into `billing/rules.py`\n" for i in range(5)
        )
        parts.append("```python\n")
        parts.extend(
            f"def calc_{i}(invoice: Invoice, rate: Decimal) -> Decimal:\n"
            f"    return (invoice.total * rate).quantize(Decimal('0.01'))  # {i}\n"
            for i in range(4)
        )
        parts.append("```\n\n")
    parts.append("END-OF-LONG-ANSWER\n")
    return "".join(parts)


def _pieces(text: str, size: int = 24) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def _events(reply: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    message_id = f"msg_{uuid.uuid4().hex[:24]}"
    events: list[tuple[str, dict[str, Any]]] = [
        (
            "message_start",
            {
                "type": "message_start",
                "message": {
                    "id": message_id,
                    "type": "message",
                    "role": "assistant",
                    "model": MODEL,
                    "content": [],
                    "stop_reason": None,
                    "stop_sequence": None,
                    "usage": {"input_tokens": 12, "output_tokens": 1},
                },
            },
        )
    ]
    for index, block in enumerate(reply["content"]):
        if block["type"] == "text":
            start = {"type": "text", "text": ""}
            pieces = _pieces(block["text"]) if reply.get("paced") else [block["text"]]
            deltas = [{"type": "text_delta", "text": piece} for piece in pieces]
        else:
            start = {**block, "input": {}}
            deltas = [{"type": "input_json_delta", "partial_json": json.dumps(block["input"])}]
        events.append(
            (
                "content_block_start",
                {"type": "content_block_start", "index": index, "content_block": start},
            )
        )
        events.extend(
            ("content_block_delta", {"type": "content_block_delta", "index": index, "delta": d})
            for d in deltas
        )
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    events.append(
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": reply["stop"], "stop_sequence": None},
                "usage": {"output_tokens": 9},
            },
        )
    )
    events.append(("message_stop", {"type": "message_stop"}))
    return events


class _Handler(BaseHTTPRequestHandler):
    server: AnthropicStub.Server

    def log_message(self, format: str, *args: Any) -> None:  # Quiet.
        pass

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", f"req_{uuid.uuid4().hex[:16]}")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self.server.stub.record("GET", self.path, None)
        self._send_json(200, {"data": [], "has_more": False})

    def do_HEAD(self) -> None:
        self.send_response(200)
        self.end_headers()

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            body = {}
        self.server.stub.record("POST", self.path, body)
        if not self.path.startswith("/v1/messages"):
            self._send_json(200, {})
            return
        if "count_tokens" in self.path:
            self._send_json(200, {"input_tokens": 42})
            return
        reply = reply_for(body)
        if reply is None:
            error = {"type": "invalid_request_error", "message": "the stub was asked to fail"}
            self._send_json(400, {"type": "error", "error": error})
            return
        if not body.get("stream"):
            message = {
                "id": f"msg_{uuid.uuid4().hex[:24]}",
                "type": "message",
                "role": "assistant",
                "model": MODEL,
                "content": reply["content"],
                "stop_reason": reply["stop"],
                "stop_sequence": None,
                "usage": {"input_tokens": 12, "output_tokens": 9},
            }
            self._send_json(200, message)
            return
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("request-id", f"req_{uuid.uuid4().hex[:16]}")
        self.end_headers()
        for name, payload in _events(reply):
            self.wfile.write(f"event: {name}\ndata: {json.dumps(payload)}\n\n".encode())
            self.wfile.flush()
            if reply.get("paced") and name == "content_block_delta":
                time.sleep(PACE)
        self.close_connection = True


class AnthropicStub:
    """Serves on 127.0.0.1 (an ephemeral port) in a thread until ``close``."""

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        stub: AnthropicStub

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, Any]] = []
        self._lock = threading.Lock()
        self._server = self.Server(("127.0.0.1", 0), _Handler)
        self._server.stub = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def record(self, method: str, path: str, body: Any) -> None:
        with self._lock:
            self.requests.append((method, path, body))

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

"""Edit need options in MyST sources (used by the benchmark and the incremental test)."""

from __future__ import annotations


def add_link(text: str, need_id: str, link: str, target: str) -> str:
    """Add ``target`` to the ``link`` option of the need ``need_id`` in MyST source."""
    lines = text.split("\n")
    start = lines.index(f":id: {need_id}")
    end = start
    while end + 1 < len(lines) and lines[end + 1].startswith(":"):
        end += 1
    for i in range(start, end + 1):
        if lines[i].startswith(f":{link}:"):
            lines[i] = f"{lines[i].rstrip()}, {target}"
            break
    else:
        lines.insert(start + 1, f":{link}: {target}")
    return "\n".join(lines)

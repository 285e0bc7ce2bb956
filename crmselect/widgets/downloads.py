"""Files the dashboard hands to the browser: a link that carries the file itself (a ``data:`` address).

Voila runs the panels in a kernel on the server; a file written there (an Excel export, the decision
paper) is out of reach of the committee member at the browser.  :func:`download_link` puts the bytes in
the link (base64) with a ``download`` name, so a click saves the file on the member's machine, with no
file handler on the server and nothing left behind for other visitors.  The link is styled as a
button so it reads as the next step after "Export" or "Download".
"""

from __future__ import annotations

import base64
import html

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"

#: How the link looks: a button, so the member sees where the file is.
_STYLE = ("display:inline-block;padding:4px 12px;border-radius:2px;background:#2e7d32;color:#fff;"
          "text-decoration:none;font-family:sans-serif;font-size:13px")


def data_address(data: bytes, mime: str) -> str:
    """``data:<mime>;base64,...`` holding ``data``."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def download_link(data: bytes, filename: str, mime: str, text: str, *, hook: str = "crmselect-download") -> str:
    """An ``<a download>`` holding the file, with ``text`` on it and the class ``hook`` for tests and scripts."""
    return (f"<a class='{html.escape(hook)}' download='{html.escape(filename)}' href='{data_address(data, mime)}' "
            f"title='{html.escape(filename)}' style='{_STYLE}'>&#x2B07; {html.escape(text)}</a>")


def safe_filename(name: str) -> str:
    """``name`` with everything but letters, digits, ``-`` and ``_`` as ``_`` (a scenario's name in a file name)."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)


__all__ = ["PDF", "XLSX", "data_address", "download_link", "safe_filename"]

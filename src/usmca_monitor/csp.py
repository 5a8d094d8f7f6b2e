"""The site's Content-Security-Policy, in one place: sent as a header by ``usmca serve`` and written as a
``<meta http-equiv>`` tag into every static page (for hosts that serve the files without our headers).

No ``'unsafe-inline'`` and no ``'unsafe-eval'``: pages carry no inline script, style attribute or event
handler (data sits in ``<script type="application/json">`` blocks, which are never run), and Vega draws
through its CSP-safe expression interpreter (``static/vendor/vega-interpreter.min.js``, embed option
``ast: true``). ``'wasm-unsafe-eval'`` is there for the offline search only: Pagefind compiles its index
reader from WebAssembly. Embeds (``/<lang>/embed/…``) may be framed by any site; nothing else may.
A ``<meta>`` policy cannot carry ``frame-ancestors`` (browsers ignore it there), so the tag omits it.
"""

from __future__ import annotations

DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data: blob:"),
    ("font-src", "'self' data:"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)


def policy(frame_ancestors: str | None = "'self'") -> str:
    """The policy text; ``frame_ancestors`` None leaves that directive out (for the meta tag)."""
    parts = [f"{name} {value}" for name, value in DIRECTIVES]
    if frame_ancestors is not None:
        parts.append(f"frame-ancestors {frame_ancestors}")
    return "; ".join(parts)


PAGE = policy()
EMBED = policy("*")
META = policy(None)

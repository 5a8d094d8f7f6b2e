"""The one redaction function: every message and log line that can hold a URL or a response body goes
through ``redact`` before anyone sees it (errors do so when they are made, log lines through
``RedactingFilter``), so an API key never reaches a terminal, a log file or a published page.

What is hidden: the value of a query parameter or header whose name says it holds a secret (``key``,
``api_key``, ``apikey``, ``token``, ``access_token``, ``password``, ``secret``, ``signature``,
``Authorization``, ``X-Api-Key``…), the user and password of a URL, and any value of an environment
variable whose name says it holds a secret (``*_KEY``, ``*_TOKEN``, ``*_SECRET``, ``*_PASSWORD``) wherever
it appears, e.g. a key echoed back in a publisher's error page. Control characters (a body's line
breaks, escape sequences) become spaces, so a message stays one line.
"""

from __future__ import annotations

import logging
import os
import re

MASK = "***"
SECRET_NAMES = ("key", "api_key", "apikey", "api-key", "token", "access_token", "auth", "password", "passwd",
                "secret", "client_secret", "signature", "sig")
_NAMES = "|".join(re.escape(n) for n in sorted(SECRET_NAMES, key=len, reverse=True))
# name=value in a query string or a form body (case-insensitive names, value up to a separator)
_PARAM = re.compile(rf"(?i)(?<![A-Za-z0-9_])({_NAMES})(=|%3D)([^&\s\"'<>#;,]+)")
# "name": "value" in a JSON body
_JSON = re.compile(rf"(?i)(\"(?:{_NAMES})\"\s*:\s*\")([^\"]+)(\")")
# Authorization / X-Api-Key headers as text
_HEADER = re.compile(r"(?i)\b(authorization|x-api-key|api-key|cookie|set-cookie)(\s*[:=]\s*)([^\r\n,;]+)")
# https://user:password@host
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s:@]+(?::[^/\s@]*)?@")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_SECRET_ENV = re.compile(r"(?i)(^|_)(KEY|TOKEN|SECRET|PASSWORD|PASSWD)$")
MIN_SECRET = 6  # shorter environment values are too likely to occur by chance to be masked everywhere


def secret_values() -> list[str]:
    """The values of environment variables whose names say they hold secrets (longest first)."""
    found = {value for name, value in os.environ.items() if _SECRET_ENV.search(name) and len(value) >= MIN_SECRET}
    return sorted(found, key=len, reverse=True)


def redact(text: object) -> str:
    """``text`` with every secret it may hold masked, as one line."""
    out = str(text)
    for value in secret_values():
        out = out.replace(value, MASK)
    out = _USERINFO.sub(lambda m: f"{m.group(1)}{MASK}@", out)
    out = _PARAM.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", out)
    out = _JSON.sub(lambda m: f"{m.group(1)}{MASK}{m.group(3)}", out)
    out = _HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", out)
    return _CONTROL.sub(" ", out)


class RedactingFilter(logging.Filter):
    """A logging filter that passes every record's message through ``redact`` (install it on handlers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the record's message by its redacted form; never drops a record."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        return True

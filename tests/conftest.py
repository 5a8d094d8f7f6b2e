"""Test set-up: a temporary USMCA_HOME for every test, a guard that fails any real network call,
and the ``shared`` fixture that finds ../shared/data (skipping with a reason on a user's clone,
never skipping in CI where USMCA_REQUIRE_SHARED=1)."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("USMCA_SHARED") or ROOT.parent / "shared")
FIXTURES = Path(__file__).parent / "fixtures"


def _is_local(address: object) -> bool:
    if isinstance(address, str | bytes):
        return True  # a unix socket path
    if not (isinstance(address, tuple) and address):
        return False
    host = str(address[0])
    if host in {"localhost", ""}:
        return True
    try:
        loopback: bool = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    return loopback


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection to an address outside the loopback range."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guarded_connect(self: socket.socket, address: object) -> None:
        if not _is_local(address):
            raise AssertionError(f"a test tried to reach the network: {address!r}")
        real_connect(self, address)  # type: ignore[arg-type]

    def guarded_connect_ex(self: socket.socket, address: object) -> int:
        if not _is_local(address):
            raise AssertionError(f"a test tried to reach the network: {address!r}")
        return real_connect_ex(self, address)  # type: ignore[arg-type]

    def guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host not in (None, "localhost", "127.0.0.1", "::1", b"localhost") and not _is_local((host,)):
            raise AssertionError(f"a test tried to resolve a host name: {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


@pytest.fixture(autouse=True)
def usmca_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh, temporary USMCA_HOME for each test."""
    home = tmp_path_factory.mktemp("usmca-home")
    monkeypatch.setenv("USMCA_HOME", str(home))
    monkeypatch.delenv("CENSUS_API_KEY", raising=False)
    yield home


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared/data folder: skipped with a reason where it does not exist, required in CI."""
    data = SHARED / "data"
    if not data.is_dir():
        if os.environ.get("USMCA_REQUIRE_SHARED") == "1":
            pytest.fail(f"USMCA_REQUIRE_SHARED=1 but {data} does not exist")
        pytest.skip(f"{data} is not here (a user's clone has no ../shared); CI runs this test")
    return data


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site built once from the embedded snapshot, in every language (read-only for tests)."""
    from usmca_monitor.publish.build import build_site
    from usmca_monitor.publish.i18n import LANGS

    out = tmp_path_factory.mktemp("default-site") / "_site"
    build_site(out, list(LANGS), home=tmp_path_factory.mktemp("default-site-home"))
    return out


@pytest.fixture(scope="session")
def stakeholder_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once with the stakeholder goal files of ``tests/goals/fixtures/valid`` published, in
    every language (read-only for tests; shared by the goal-page and goal browser tests)."""
    from usmca_monitor.publish.build import build_site
    from usmca_monitor.publish.i18n import LANGS

    out = tmp_path_factory.mktemp("stakeholder-site") / "_site"
    build_site(out, list(LANGS), home=tmp_path_factory.mktemp("stakeholder-site-home"),
               goals_dir=Path(__file__).parent / "goals" / "fixtures" / "valid")
    return out


@pytest.fixture(scope="session")
def default_site_url(default_site: Path) -> Iterator[str]:
    """``default_site`` served on a free localhost port."""
    from tests.e2e.helpers import served

    with served(default_site) as url:
        yield url

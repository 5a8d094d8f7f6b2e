"""The crash test (issue #13, "Must hold"): real ``usmca import``, ``usmca update`` (against a local fake
World Bank API on loopback, reached through ``USMCA_WORLDBANK_BASE_URL``), ``usmca build`` (one language)
and ``usmca snapshot --from`` (a small temporary raw folder) subprocesses are killed with SIGKILL at
random moments — at least 20 kills, at least half of them while writing (once the new vintage folder or
the staging folder exists). After each kill the store opens and answers as before or with the complete
new vintage, the published site and the snapshot are byte-identical to before (or the complete new
ones), and after the next complete run no staging leftover remains."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyarrow.parquet as pq
import pytest

from tests.e2e.helpers import loopback
from usmca_monitor.store.warehouse import MANIFEST, OBSERVATIONS, read_manifest

ROOT = Path(__file__).resolve().parents[2]
WORLDBANK = ROOT / "tests" / "fixtures" / "worldbank"
HEADER = "series,geo,partner,product,flow,measure,period,freq,value,unit"
MIN_KILLS = 20
pytestmark = pytest.mark.shared


@dataclass
class Tally:
    """Kills so far, and how many landed while something was being written."""

    kills: int = 0
    writing: int = 0
    log: list[str] = field(default_factory=list)


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("USMCA_")}
    env.update(USMCA_HOME=str(home), PYTHONDONTWRITEBYTECODE="1", USMCA_LOCK_WAIT="30", **extra)
    return env


def _kill_at(args: list[str], env: dict[str, str], writing: Callable[[], bool], rng: random.Random, *,
             target_writing: bool, longest: float) -> tuple[bool, bool]:
    """Run ``usmca ARGS`` and SIGKILL it: once ``writing()`` holds (then after up to a tenth of a second)
    when ``target_writing``, else at a random moment within ``longest`` seconds. (killed, while writing)."""
    process = subprocess.Popen([sys.executable, "-m", "usmca_monitor", *args], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + (120 if target_writing else rng.uniform(0.3, longest))
    while time.monotonic() < deadline and process.poll() is None:
        if target_writing and writing():
            time.sleep(rng.uniform(0, 0.1))
            break
        time.sleep(0.002)
    landed = writing()
    killed = process.poll() is None
    if killed:
        os.kill(process.pid, signal.SIGKILL)
    _, err = process.communicate(timeout=60)
    if not killed:
        assert process.returncode == 0, err.decode()
        assert b"Traceback" not in err
    return killed, killed and landed


def _complete(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "usmca_monitor", *args], env=env, capture_output=True,
                          timeout=600, check=False)
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr.decode()


# ---- the store ----

def _unlisted_vintage_folders(home: Path) -> list[Path]:
    # A listed file sits at observations/source=S/vintage=V/series=X/year=Y/part-N.parquet: its vintage
    # folder is an ancestor of the file, not its parent.
    listed = {d for v in read_manifest(home) for f in v.files for d in (home / f.path).parents}
    base = home / OBSERVATIONS
    return [item for source in (base.iterdir() if base.is_dir() else []) for item in source.iterdir()
            if item not in listed]


Answer = list[tuple[str, float | None, str]]


def _store_answer(home: Path, query: Callable[[], Answer]) -> Answer:
    """Check every listed file is whole, then the answer of ``query`` (a fresh session on ``home``)."""
    for vintage in read_manifest(home):
        assert sum(pq.read_metadata(home / f.path).num_rows for f in vintage.files) == vintage.rows, vintage.vintage
    return query()


def _leftovers(home: Path) -> list[str]:
    found = [str(p) for p in _unlisted_vintage_folders(home)]
    found += [str(p) for p in home.rglob(".tmp-*")]
    cited = {o.sha256 for v in read_manifest(home) for o in v.origins}
    found += [str(p) for p in (home / "raw").rglob("*.bin") if p.name.split(".")[0] not in cited]
    return found


def _query(home: Path, indicator: str, **where: str) -> Answer:
    script = ("import json,sys; from usmca_monitor import api; "
              f"print(json.dumps([(r.period, r.value, r.vintage) for r in api.query({indicator!r}, **{where!r})]))")
    done = subprocess.run([sys.executable, "-c", script], env=_env(home), capture_output=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr.decode()
    return [tuple(x) for x in json.loads(done.stdout)]


def _tidy(path: Path) -> int:
    """A tidy CSV: 24 partner rows for 2031 (TDR Mexico 2031 = (150 − 100) / 100 = 0.5) and enough HS6
    rows that writing takes a moment. Returns the row count."""
    from usmca_monitor.codelists import load_codelists, product_names

    products = sorted(c for c in product_names("hs2022") if len(c) == 6)[:1500]
    partners = sorted(code for code, area in load_codelists().areas.items() if area.is_country)[:100]
    rows = [f"census.trade.partner,USA,MEX,,{flow},value,2031-{m:02d},M,{value},USD"
            for m in range(1, 13) for flow, value in (("export", 100), ("import", 150))]
    rows += [f"census.trade.hs6,USA,{p},HS:{c},import,value,2031-01,M,{i % 997},USD"
             for i, (p, c) in enumerate((p, c) for c in products for p in partners)]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return len(rows)


# ---- the fake World Bank API ----

@contextmanager
def fake_worldbank() -> Iterator[str]:
    """api.worldbank.org/v2 on loopback, answering the recorded fixtures (others: no data), a little slowly."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            code = parts.path.rstrip("/").rsplit("/", 1)[-1]
            page = parse_qs(parts.query).get("page", ["1"])[0]
            name = next((n for n in (f"{code}.json", f"{code}.page{page}.json") if (WORLDBANK / n).exists()),
                        "empty.json")
            body = (WORLDBANK / name).read_bytes()
            time.sleep(0.02)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return None

    with loopback(Handler) as url:
        yield f"{url}/v2"


# ---- the published site and the snapshot ----

def _digest(folder: Path) -> str:
    """Every file under ``folder`` (a link followed) and its bytes, as one checksum (a build's manifest,
    which records when it was built, aside)."""
    root = folder.resolve()
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != ".usmca-build.json"):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _small_raw(shared: Path, target: Path, lines: int = 400) -> Path:
    """The raw files the snapshot reads, CSVs cut to their first lines (so that it runs in seconds)."""
    from usmca_monitor.catalog import source_specs
    from usmca_monitor.codelists import catalog_path, read_yaml

    paths = {raw.path for spec in source_specs().values() for raw in spec.files}
    for meta in catalog_path("codelists").glob("*.yaml"):
        document = read_yaml(meta) or {}
        if isinstance(document, dict):
            paths |= {str(entry["path"]) for entry in document.values() if isinstance(entry, dict) and "path" in entry}
            paths |= {str(item["path"]) for item in document.get("derived_codelists") or []}
            paths |= {str(raw["path"]) for item in document.get("artefacts") or [] for raw in item["files"]}
    for relative in sorted(paths):
        source, copy = shared / relative, target / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".csv" and "concordances" not in relative and "codelists" not in relative:
            with source.open("rb") as fh:
                copy.write_bytes(b"".join(fh.readline() for _ in range(lines)))
        else:
            shutil.copyfile(source, copy)
    return target


def _phase(name: str, args: list[str], env: dict[str, str], probe: Callable[[], bool], check: Callable[[], None],
           tally: Tally, rng: random.Random, *, kills: int, longest: float) -> None:
    """Kill ``usmca ARGS`` until ``kills`` kills have landed (every other one aimed at the writing phase,
    the others at a random moment within ``longest`` seconds), checking the invariants after each."""
    landed = 0
    for attempt in range(kills * 4):
        if landed >= kills:
            break
        killed, writing = _kill_at(args, env, probe, rng, target_writing=attempt % 2 == 0, longest=longest)
        check()
        landed += killed
        tally.kills += killed
        tally.writing += writing
        tally.log.append(f"{name} {attempt}: killed={killed} while writing={writing}")
    assert landed >= kills, tally.log


def _timed(args: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    _complete(args, env)
    return time.monotonic() - started


def test_killed_writers_never_lose_data_or_leave_leftovers(tmp_path: Path, shared: Path) -> None:
    rng = random.Random(13)
    tally = Tally()
    home = tmp_path / "home"
    env = _env(home)
    new_vintage = lambda: bool(_unlisted_vintage_folders(home))  # noqa: E731

    # 1. usmca import: a tidy CSV of 150,024 rows (TDR Mexico 2031 = 0.5 once it is in)
    big = tmp_path / "big.csv"
    rows = _tidy(big)
    assert _store_answer(home, lambda: _query(home, "tdr", partner="MEX", period="2031")) == []

    def imported() -> None:
        answer = _store_answer(home, lambda: _query(home, "tdr", partner="MEX", period="2031"))
        assert all(v.rows == rows for v in read_manifest(home) if v.source_id == "census_trade")  # whole or absent
        assert answer == [] or [(p, v) for p, v, _ in answer] == [("2031", pytest.approx(0.5))]

    _phase("import", ["import", "census_trade", str(big)], env, new_vintage, imported, tally, rng, kills=8, longest=6)
    _complete(["import", "census_trade", str(big)], env)
    assert _leftovers(home) == []
    assert [(p, v) for p, v, _ in _query(home, "tdr", partner="MEX", period="2031")] == [("2031", pytest.approx(0.5))]

    # 2. usmca update worldbank, from a fake API on loopback (MEX 2023 GDP growth: 3.1068 in both)
    embedded = _query(home, "gdp_growth", geo="MEX", period="2023")
    with fake_worldbank() as base_url:
        update_env = _env(home, USMCA_WORLDBANK_BASE_URL=base_url)

        def updated() -> None:
            answer = _store_answer(home, lambda: _query(home, "gdp_growth", geo="MEX", period="2023"))
            assert [v for _, v, _ in answer] == [v for _, v, _ in embedded]

        longest = _timed(["update", "worldbank"], update_env)
        _phase("update", ["update", "worldbank"], update_env, new_vintage, updated, tally, rng, kills=5,
               longest=longest)
        _complete(["update", "worldbank"], update_env)
    assert _leftovers(home) == []

    # 3. usmca build (English only): the published site stays the previous complete one
    site = tmp_path / "site"
    _complete(["build", "--out", str(site), "--lang", "en"], env)
    published = _digest(site)
    builds = tmp_path / ".site.builds"

    def staging() -> bool:
        return builds.is_dir() and any(p.name.startswith("build-") and p.resolve() != site.resolve()
                                       for p in builds.iterdir())

    def unchanged() -> None:
        assert _digest(site) == published

    _phase("build", ["build", "--out", str(site), "--lang", "en", "--full"], env, staging, unchanged, tally, rng,
           kills=3, longest=20)
    _complete(["build", "--out", str(site), "--lang", "en"], env)
    assert _digest(site) == published  # the same store, the same day: the same site
    assert sorted(p.name for p in builds.iterdir()) == sorted([".lock", site.resolve().name])
    assert not list(tmp_path.glob(".site.link-*"))

    # 4. usmca snapshot --from a small raw folder: the data folder stays whole
    raw = _small_raw(shared, tmp_path / "raw")
    out = tmp_path / "data"
    longest = _timed(["snapshot", "--from", str(raw), "--out", str(out)], env)
    reference = _digest(out)

    def whole() -> None:
        document = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        for entry in document["sources"].values():
            assert pq.read_metadata(out / entry["file"]).num_rows == entry["rows"]
        assert _digest(out) == reference

    _phase("snapshot", ["snapshot", "--from", str(raw), "--out", str(out)], env,
           lambda: any(out.parent.glob(f".{out.name}.new-*")), whole, tally, rng, kills=4, longest=longest)
    _complete(["snapshot", "--from", str(raw), "--out", str(out)], env)
    assert _digest(out) == reference and not list(out.parent.glob(f".{out.name}.new-*"))

    print("\n".join([*tally.log, f"kills {tally.kills}, while writing {tally.writing}"]))
    assert tally.kills >= MIN_KILLS, tally.log
    assert tally.writing * 2 >= tally.kills, tally.log

"""Goals that other organisations register: one YAML file (plus an optional CSV of their own data beside
it), checked so that every problem is reported at once with ``file:line``, what is wrong and the fix.

File layout (``model/goals.py:StakeholderFile``)::

    owner: {name: ..., kind: association, country: MEX}
    contact: {name: ..., email: ...}
    title: {en: ..., es: ..., fr: ...}
    description: {en: ..., es: ..., fr: ...}
    contributes_to: [3, 4]          # the shared goals (1-4) the organisation feeds
    data: members.csv               # optional: series,geo,year,value,unit — beside the YAML
    targets:
      - id: exports-to-canada
        title: {en: ..., es: ..., fr: ...}
        indicator: share_exports    # a catalog indicator (`usmca indicators`) …
        selection: {geo: USA, partner: CAN}
        series: jobs                # … or a series of the CSV
        baseline_year: 2019
        target_value: 20            # only with a citation
        target_year: 2030
        direction: increase
        method: cagr_ratio
        why: {en: ..., es: ..., fr: ...}
        citation: {text: ..., url: ...}
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from usmca_monitor.model.errors import DataError
from usmca_monitor.model.goals import (
    FIRST_YEAR,
    LAST_YEAR,
    Aggregate,
    Milestone,
    StakeholderFile,
    StakeholderTarget,
    TargetSpec,
    contradicts,
)
from usmca_monitor.model.specs import Text
from usmca_monitor.progress.evaluate import IndicatorSeries, Loader, SeriesKey, TargetResult, judge_target
from usmca_monitor.safety import clean_text, safe_url

TEMPLATE = Path(__file__).resolve().parents[1] / "catalog" / "stakeholders" / "template.yaml"
EXAMPLES = Path(__file__).resolve().parents[1] / "catalog" / "stakeholders" / "example"
MAX_YAML_BYTES = 100_000
MAX_CSV_BYTES = 5_000_000
MAX_FILES = 200
MAX_DEPTH = 16          # a goal file nests five levels; deeper is an attack or a mistake
MAX_NODES = 20_000      # keys, values and list items of one file
URL_FIELDS: tuple[Path_, ...] = (("owner", "url"), ("contact", "url"))
CSV_COLUMNS = ("series", "geo", "year", "value", "unit")
GOAL_IDS = (1, 2, 3, 4)
OWN_PREFIX = "own:"
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One problem in a stakeholder file: where, what, and how to fix it."""

    file: str
    line: int
    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what} — fix: {self.fix}"


@dataclass
class OwnSeries:
    """A series of the organisation's own CSV: values by geo and year, and the unit."""

    unit: str
    values: dict[str, dict[int, float]] = field(default_factory=dict)


@dataclass
class Stakeholder:
    """A valid stakeholder file, with its own data."""

    path: Path
    spec: StakeholderFile
    own: dict[str, OwnSeries]

    @property
    def slug(self) -> str:
        """A page anchor made from the file name."""
        return self.path.stem


class HostileYaml(ValueError):
    """A YAML document this loader refuses to expand: anchors or aliases, too deep, too many nodes."""

    def __init__(self, what: str, line: int, fix: str = "follow the documented layout (at most five levels)") -> None:
        super().__init__(what)
        self.what, self.line, self.fix = what, line, fix


def check_shape(text: str) -> None:
    """Refuse, before anything is built from it, a document with anchors or aliases (an alias bomb expands
    a few hundred bytes into gigabytes), nested deeper than ``MAX_DEPTH`` or with more than ``MAX_NODES``
    nodes. The parser's event stream is read iteratively, so a 900-level nesting costs no recursion."""
    depth = nodes = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise HostileYaml("anchors and aliases (&name, *name) are not accepted", line,
                              "write every value out in full where it is used")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise HostileYaml(f"the document nests deeper than {MAX_DEPTH} levels", line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_NODES:
                raise HostileYaml(f"the document has more than {MAX_NODES} values", line)


def cleaned(value: Any) -> Any:
    """``value`` with bidirectional controls and other control characters removed from every text in it."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {cleaned(k): cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [cleaned(v) for v in value]
    return value


def line_map(text: str) -> dict[Path_, int]:
    """1-based line of every key and list item in a YAML document, by path (e.g. ``("targets", 0, "id")``)."""
    lines: dict[Path_, int] = {}

    def walk(node: yaml.Node, path: Path_) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value))
                lines[child] = key.start_mark.line + 1
                walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    root = yaml.compose(text)
    if root is not None:
        walk(root, ())
    return lines


class Checker:
    """Collects the problems of one file."""

    def __init__(self, path: Path, lines: dict[Path_, int]) -> None:
        self.path, self.lines = path, lines
        self.problems: list[Problem] = []

    def line(self, where: Path_) -> int:
        """The line of ``where`` or of its nearest parent."""
        for cut in range(len(where), -1, -1):
            if where[:cut] in self.lines:
                return self.lines[where[:cut]]
        return 1

    def add(self, where: Path_, what: str, fix: str, file: Path | None = None, line: int | None = None) -> None:
        """Record a problem at ``where`` (or at ``file``:``line``), as one line."""
        self.problems.append(Problem(str(file or self.path), line or self.line(where), " ".join(what.split()),
                                     " ".join(fix.split())))


def dotted(where: Iterable[str | int]) -> str:
    """``targets[0].indicator`` from a path."""
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _allowed(model: type[BaseModel], where: Path_) -> list[str]:
    """The fields allowed at ``where`` (for 'unknown field' fixes)."""
    current: Any = model
    for part in where[:-1]:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        annotation = info.annotation
        args = getattr(annotation, "__args__", ()) or (annotation,)
        current = next((a for a in args if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if current is None:
            return []
    return sorted(getattr(current, "model_fields", {}))


def schema_problems(check: Checker, exc: ValidationError) -> None:
    """One problem per pydantic error, phrased for people."""
    for error in exc.errors():
        where: Path_ = tuple(error["loc"])
        name, kind, got = dotted(where), error["type"], error.get("input")
        if kind == "missing":
            check.add(where, f"missing field {name}", f"add `{where[-1]}:` here")
        elif kind == "extra_forbidden":
            allowed = ", ".join(_allowed(StakeholderFile, where)) or "see the documented layout"
            check.add(where, f"unknown field {name}", f"remove it or rename it to one of: {allowed}")
        elif kind == "literal_error":
            check.add(where, f"{name} is {got!r}", error["msg"].replace("Input should be", "use"))
        elif kind == "string_pattern_mismatch" and where[-1] == "email":
            check.add(where, f"{name} {got!r} is not an e-mail address", "write it as name@example.org")
        elif kind == "string_pattern_mismatch":
            check.add(where, f"{name} {got!r} has characters that are not allowed",
                      "use lower-case letters, digits, '-' and '_'")
        else:
            check.add(where, f"{name}: {error['msg']}", "give a value of the expected type")


def read_own_csv(check: Checker, csv_path: Path) -> dict[str, OwnSeries]:
    """The organisation's CSV (``series,geo,year,value,unit``); problems name the CSV line."""
    own: dict[str, OwnSeries] = {}
    text = _utf8(check, csv_path)
    if text is None:
        return own
    try:
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            check.add((), f"the CSV lacks the column(s) {', '.join(missing)}",
                      f"start it with the header {','.join(CSV_COLUMNS)}", csv_path, 1)
            return own
        for lineno, row in enumerate(reader, start=2):
            _own_row(check, csv_path, lineno, {k: clean_text(v) if isinstance(v, str) else "" for k, v in row.items()
                                               if isinstance(k, str)}, own)
    except csv.Error as exc:
        check.add((), f"the CSV cannot be read ({exc})", "save it as a CSV file (UTF-8, comma-separated)", csv_path,
                  1)
    return own


def _own_row(check: Checker, csv_path: Path, lineno: int, row: dict[str, str], own: dict[str, OwnSeries]) -> None:
    try:
        year, value = int(row["year"]), float(row["value"])
    except (TypeError, ValueError):
        check.add((), f"year {row['year']!r} or value {row['value']!r} is not a number", "write the year as "
                  "YYYY and the value as a number with a dot for decimals", csv_path, lineno)
        return
    if not math.isfinite(value):
        check.add((), f"value {row['value']!r} is not a finite number", "leave the row out when the value is "
                  "missing; nan and infinity are not data", csv_path, lineno)
        return
    if not FIRST_YEAR <= year <= LAST_YEAR:
        check.add((), f"year {year} is impossible", f"use a year between {FIRST_YEAR} and {LAST_YEAR}",
                  csv_path, lineno)
        return
    series = own.setdefault(row["series"], OwnSeries(unit=row["unit"] or ""))
    series.values.setdefault(row["geo"], {})[year] = value


def _utf8(check: Checker, path: Path) -> str | None:
    """The text of a stakeholder file, or None with a problem when it is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        looks = "UTF-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "cp1252"
        check.add((), f"the file is not UTF-8 (looks like {looks})",
                  "re-save it as UTF-8 (in a spreadsheet: CSV UTF-8; in an editor: encoding UTF-8)", path, line)
        return None


def check_data(check: Checker, raw: dict[str, Any], root: Path) -> dict[str, OwnSeries]:
    """The ``data:`` CSV: inside the stakeholder folder, present, not oversized, well formed."""
    name = raw.get("data")
    if not name:
        return {}
    csv_path = (check.path.parent / str(name)).resolve()
    if not csv_path.is_relative_to(root.resolve()):
        check.add(("data",), f"data file {name!r} is outside the folder {root}",
                  "put the CSV beside the YAML file and name it without '..' or an absolute path")
        return {}
    if not csv_path.is_file():
        check.add(("data",), f"data file {name!r} does not exist", f"create {csv_path.name} beside the YAML file")
        return {}
    if csv_path.stat().st_size > MAX_CSV_BYTES:
        check.add(("data",), f"data file {name!r} is {csv_path.stat().st_size} bytes, over the "
                  f"{MAX_CSV_BYTES} limit", "keep only the series the targets use (annual values)")
        return {}
    return read_own_csv(check, csv_path)


def check_urls(check: Checker, raw: dict[str, Any]) -> None:
    """Links are published as they are given: only absolute ``http(s)`` addresses are accepted (a
    ``javascript:`` or ``data:`` link would run in readers' browsers)."""
    targets = raw.get("targets") if isinstance(raw.get("targets"), list) else []
    places = [*URL_FIELDS, *(("targets", i, "citation", "url") for i in range(len(targets or [])))]
    for where in places:
        value: Any = raw
        for part in where:
            value = value.get(part) if isinstance(value, dict) and isinstance(part, str) else (
                value[part] if isinstance(value, list) and isinstance(part, int) and part < len(value) else None)
        if isinstance(value, str) and value.strip() and safe_url(value) is None:
            check.add(where, f"{dotted(where)} {value[:60]!r} is not an http(s) link",
                      "give a web address starting with https:// (or http://), or leave the field out")


def check_goals(check: Checker, raw: dict[str, Any]) -> None:
    """``contributes_to`` names shared goals 1-4."""
    for index, goal in enumerate(raw.get("contributes_to") or []):
        if isinstance(goal, int) and goal not in GOAL_IDS:
            check.add(("contributes_to", index), f"shared goal {goal} does not exist",
                      "use 1 (shared prosperity), 2 (growth), 3 (trade) or 4 (investment)")


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def check_target(check: Checker, index: int, target: dict[str, Any], known: KnownCodes,
                 own: dict[str, OwnSeries]) -> None:
    """Semantic checks of one target (the schema is checked by pydantic)."""
    at: Path_ = ("targets", index)
    indicator, series = target.get("indicator"), target.get("series")
    if indicator and series:
        check.add(at, "the target names both an indicator and a series", "keep one of them")
    elif not indicator and not series:
        check.add(at, "the target names no indicator and no series",
                  "add `indicator:` (a catalog indicator) or `series:` (a series of your CSV)")
    if isinstance(indicator, str) and indicator not in known.indicators:
        close = difflib.get_close_matches(indicator, sorted(known.indicators), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        check.add((*at, "indicator"), f"unknown indicator {indicator!r}",
                  f"{hint}`usmca indicators` lists the catalog's indicators")
    if isinstance(series, str) and series not in own:
        check.add((*at, "series"), f"series {series!r} is not in the data CSV",
                  "add its rows to the CSV named by `data:`, or fix the name")
    _check_years(check, at, target)
    _check_target_value(check, at, target, own)


def _check_years(check: Checker, at: Path_, target: dict[str, Any]) -> None:
    years = {k: target.get(k) for k in ("baseline_year", "target_year")}
    for key, year in years.items():
        if isinstance(year, int) and not FIRST_YEAR <= year <= LAST_YEAR:
            check.add((*at, key), f"{key} {year} is impossible", f"use a year between {FIRST_YEAR} and {LAST_YEAR}")
            years[key] = None
    base, end = years["baseline_year"], years["target_year"]
    if isinstance(base, int) and isinstance(end, int) and end <= base:
        check.add((*at, "target_year"), f"target_year {end} is not after baseline_year {base}",
                  "set the target year later than the baseline year")


def _check_target_value(check: Checker, at: Path_, target: dict[str, Any], own: dict[str, OwnSeries]) -> None:
    value, base = _number(target.get("target_value")), _number(target.get("baseline_value"))
    if value is None:
        return
    if not target.get("citation"):
        check.add((*at, "target_value"), "a target value without a citation",
                  "add `citation: {text: ..., url: ...}` naming the source of the value, or drop the value "
                  "and keep the direction only")
    direction = target.get("direction")
    if base is None and isinstance(target.get("series"), str) and target["series"] in own:
        base = _own_baseline(own[target["series"]], target)
    if direction in ("increase", "decrease") and base is not None and contradicts(direction, base, value):
        check.add((*at, "direction"), f"direction {direction} contradicts a target of {value:g} from a baseline "
                  f"of {base:g}", "swap the direction, or correct the target value")


def _own_baseline(series: OwnSeries, target: dict[str, Any]) -> float | None:
    geos = (target.get("selection") or {}).get("geo") or ["USA"]
    geo = geos[0] if isinstance(geos, list) else geos
    values = series.values.get(str(geo), {})
    start = target.get("baseline_year")
    years = sorted(y for y in values if not isinstance(start, int) or y >= start)
    return values[years[0]] if years else None


@dataclass(frozen=True)
class KnownCodes:
    """What a stakeholder file may refer to: catalog indicators and area codes."""

    indicators: frozenset[str]
    areas: frozenset[str]

    @classmethod
    def from_catalog(cls) -> KnownCodes:
        """The catalog's indicators and every area code (codelists and the goals' groups)."""
        from usmca_monitor.codelists import load_codelists
        from usmca_monitor.indicators.registry import indicator_specs
        from usmca_monitor.progress.catalog import load_catalog

        areas = set(load_codelists().areas) | set(load_catalog().areas)
        return cls(indicators=frozenset(indicator_specs()), areas=frozenset(areas))


def validate_file(path: Path, known: KnownCodes, root: Path | None = None) -> tuple[Stakeholder | None, list[Problem]]:
    """Check one stakeholder file; return it (when valid) and every problem found."""
    root = root or path.parent
    check = Checker(path, {})
    raw = _parse(check, path, root)
    if raw is None:
        return None, check.problems
    spec = None
    try:
        spec = StakeholderFile.model_validate(raw)
    except ValidationError as exc:
        schema_problems(check, exc)
    own = check_data(check, raw, root)
    check_goals(check, raw)
    check_urls(check, raw)
    listed = raw.get("targets")
    targets: list[Any] = listed if isinstance(listed, list) else []
    seen: dict[str, int] = {}
    for index, target in enumerate(targets):
        if not isinstance(target, dict):
            continue
        check_target(check, index, target, known, own)
        _check_geo_codes(check, ("targets", index), target, known)
        tid = target.get("id")
        if isinstance(tid, str) and tid in seen:
            check.add(("targets", index, "id"), f"target id {tid!r} is used twice", "give each target its own id")
        seen.setdefault(str(tid), index)
    if check.problems or spec is None:
        return None, sorted(check.problems, key=lambda p: (p.file != str(path), p.file, p.line))
    return Stakeholder(path, spec, own), []


def _parse(check: Checker, path: Path, root: Path) -> dict[str, Any] | None:
    """The file's fields (text cleaned of bidirectional controls), or None with the problem recorded: a
    file outside ``root``, oversized, not UTF-8, hostile (aliases, depth, size) or not YAML."""
    if not path.resolve().is_relative_to(root.resolve()):
        check.add((), f"the file is outside the folder {root}", "move it into the stakeholder goals folder")
        return None
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        check.add((), f"the file is {size} bytes, over the {MAX_YAML_BYTES} limit",
                  "keep one organisation's goals per file; put data in the CSV beside it")
        return None
    text = _utf8(check, path)
    if text is None:
        return None
    try:
        check_shape(text)
        check.lines = line_map(text)
        raw = cleaned(yaml.safe_load(text))
    except HostileYaml as exc:
        check.add((), exc.what, exc.fix, line=exc.line)
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        check.add((), f"not valid YAML ({getattr(exc, 'problem', exc)})",
                  "quote values that contain ': ' and check the indentation", line=mark.line + 1 if mark else 1)
        return None
    if not isinstance(raw, dict):
        check.add((), "the file is not a mapping of fields", "start with `owner:`, `contact:`, `title:`…")
        return None
    return raw


def _check_geo_codes(check: Checker, at: Path_, target: dict[str, Any], known: KnownCodes) -> None:
    selection = target.get("selection") or {}
    if not isinstance(selection, dict) or target.get("series"):
        return
    for key in ("geo", "partner"):
        codes = selection.get(key)
        for code in [codes] if isinstance(codes, str) else (codes or []):
            if isinstance(code, str) and code.upper() not in known.areas:
                check.add((*at, "selection", key), f"unknown area code {code!r} in selection.{key}",
                          "use an ISO 3166-1 alpha-3 code (USA, MEX, CAN…) or a group (USMCA, WLD…)")


def load_folder(folder: Path, known: KnownCodes) -> list[Stakeholder]:
    """Every ``*.yaml`` stakeholder file of ``folder``, or a DataError listing every problem found."""
    if not folder.is_dir():
        raise DataError("not a folder", str(folder), "give the folder that holds the stakeholder goal files")
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if len(files) > MAX_FILES:
        raise DataError(f"{len(files)} files, over the limit of {MAX_FILES}", str(folder),
                        "keep one file per organisation")
    found, problems = [], []
    for path in files:
        stakeholder, issues = validate_file(path, known, folder)
        problems.extend(issues)
        if stakeholder is not None:
            found.append(stakeholder)
    if problems:
        shown = "; ".join(str(p) for p in problems[:20])
        raise DataError(f"{len(problems)} problem(s) in stakeholder goal files: {shown}", str(folder),
                        "run `usmca goals validate FILE` on each file and correct it; nothing was published")
    return found


def to_target(target: StakeholderTarget, stakeholder: Stakeholder) -> TargetSpec:
    """A stakeholder target as a catalog TargetSpec (own series are read as ``own:<file>:<series>``)."""
    indicator = target.indicator or f"{OWN_PREFIX}{stakeholder.slug}:{target.series}"
    return TargetSpec(id=target.id, title=target.title, indicator=indicator, selection=target.selection,
                      baseline_year=target.baseline_year, baseline_value=target.baseline_value,
                      target_value=target.target_value, target_year=target.target_year, direction=target.direction,
                      method=target.method, params=target.params, why=target.why, citation=target.citation,
                      aggregate=Aggregate(method="none"), crosses_zero=target.method == "linear")


def stakeholder_loader(stakeholder: Stakeholder, catalog_loader: Loader) -> Loader:
    """Catalog indicators from ``catalog_loader``; the organisation's own series from its CSV."""
    def load(indicator: str) -> IndicatorSeries:
        if not indicator.startswith(OWN_PREFIX):
            return catalog_loader(indicator)
        name = indicator.rsplit(":", 1)[-1]
        own = stakeholder.own[name]
        rows: dict[SeriesKey, dict[int, float]] = {(geo, None, None): dict(v) for geo, v in own.values.items()}
        owner = stakeholder.spec.owner.name
        return IndicatorSeries(indicator=indicator, title=Text(en=name), unit=own.unit, badge="official",
                               source=f"{owner} ({stakeholder.spec.data})", vintages={}, rows=rows)
    return load


def judge_stakeholder(stakeholder: Stakeholder, catalog_loader: Loader,
                      milestones: Sequence[Milestone]) -> list[TargetResult]:
    """Every target of one organisation, judged like the catalog's."""
    load = stakeholder_loader(stakeholder, catalog_loader)
    goal = stakeholder.spec.contributes_to[0]
    return [judge_target(goal, to_target(t, stakeholder), load, milestones) for t in stakeholder.spec.targets]

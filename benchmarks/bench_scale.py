"""Province scale: one unit in process, whole batches, start-up; against a hand-written scorer.

Run: ``pip install -e '.[bench]'`` once, then ``python benchmarks/bench_scale.py`` (a few
minutes; ``--quick`` for a smoke run, ``--units 10000,50000,1000000`` to choose the batches,
``--workers 1,2`` to compare worker counts). It prints three tables, each a set of ratios
measured in one run (absolute times on a shared machine are noise; ratios within a run hold):

1. one unit in process: µs per unit (median of repeats) and the ratio to the hand-written
   Decimal function (``handwritten.py``), for ``score()`` with its full breakdown, ``score_frame``
   and zen-engine (GoRules) with its trace;
2. whole batches: ``scoring batch`` as a process from the CSV to the summary CSV, beside
   ``handwritten.py`` doing the same: seconds, peak RSS, ratio, workers; and the speed-up of
   the most workers over one, beside what a second process gives on this machine at that
   time (plain Decimal arithmetic in two processes against one, before and after), and the
   throughput's speed-up, the start left out (from the smallest batch to the largest);
3. start-up: import time of ``scoring --help`` and ``scoring score`` (``python -X importtime``),
   the median of several starts, with the modules' bytecode cached as a wheel's is (and again
   compiled from source, as an editable install under PYTHONDONTWRITEBYTECODE is); and loading
   and linting the largest shipped ruleset.

Every contender's totals, grades and leaf scores are checked against the hand-written ones
before anything is timed; a batch's summary is checked against the hand-written summary after.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import handwritten
import units as generated

ROOT = Path(__file__).resolve().parent.parent
RULESET = generated.RULESET
EXAMPLE = ROOT / "examples/xinfang-wangcheng-2022.yaml"
DATA = Path(tempfile.gettempdir()) / "scoring-bench"


# --- one unit in process ----------------------------------------------------------------------


def per_unit(count: int, repeats: int) -> list[tuple[str, float]]:
    """µs per unit for each contender, after checking that all of them agree."""
    from scoring import load_ruleset, score
    from scoring.analysis.frame import score_frame
    from scoring.engine.score import scored
    from scoring.load import units
    from scoring.load.facts import check_facts

    ruleset = load_ruleset(RULESET)
    text = generated.csv_text(count)
    rows = list(csv.DictReader(text.splitlines()))
    parsed = [handwritten.read_row(row) for row in rows]
    table = units.read_table(text.encode("utf-8"), "units.csv", ruleset)
    facts = [check_facts(unit.data, unit.source, ruleset, unit.keys) for unit in table]  # type: ignore[arg-type]
    expected = [handwritten.score(*unit) for unit in parsed]

    def ours(index: int) -> tuple[Decimal, str | None, dict[str, Decimal | None]]:
        result = score(ruleset, facts[index])
        leaves = {node.path: node.score for node in result.walk() if not node.children}
        return result.total, result.grade, leaves

    paths = [path for path, _, node in ruleset.walk()]
    for index, (total, grade, _, leaves) in enumerate(expected):
        assert ours(index) == (total, grade, leaves), f"score() differs on row {index + 2}"
        fast = scored(ruleset, facts[index])
        assert fast.scores is not None, f"row {index + 2} was not scored by the compiled function"
        by_path = dict(zip(paths, fast.scores, strict=True))
        assert {path: by_path[path] for path in leaves} == leaves, f"scored() differs, row {index}"
    frame = _frame(text)
    framed = score_frame(ruleset, frame)
    assert list(framed["total"]) == [format(total, "f") for total, *_ in expected]
    contenders: list[tuple[str, Callable[[], Any], int]] = [
        ("hand-written Decimal function, no breakdown", _loop(handwritten.score, parsed), count),
        ("scoring: score(), full breakdown", lambda: [score(ruleset, f) for f in facts], count),
        (
            "scoring: scored(), every indicator's score, words when asked",
            lambda: [scored(ruleset, f) for f in facts],
            count,
        ),
        (
            "scoring: scored(compiled=False), the plain path",
            lambda: [scored(ruleset, f, compiled=False) for f in facts],
            count,
        ),
        (
            "scoring: score_frame, cells read and checked",
            lambda: score_frame(ruleset, frame),
            count,
        ),
    ]
    contenders += _zen_contenders(parsed, expected)
    # round robin, so that a busy spell on a shared machine falls on every contender alike
    seconds: list[list[float]] = [[] for _ in contenders]
    for _ in range(repeats):
        for times, (_, run, _) in zip(seconds, contenders, strict=True):
            times.append(_seconds(run))
    return [
        (label, statistics.median(times) / units * 1e6)
        for times, (label, _, units) in zip(seconds, contenders, strict=True)
    ]


def _loop(function: Callable[..., Any], arguments: Sequence[tuple[Any, ...]]) -> Callable[[], Any]:
    return lambda: [function(*each) for each in arguments]


def _seconds(run: Callable[[], Any]) -> float:
    """CPU seconds of one run: time spent waiting for a core on a shared machine not counted."""
    started = time.process_time()
    run()
    return time.process_time() - started


def _frame(text: str) -> Any:
    import io

    import pandas as pd

    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return frame


def _zen_contenders(
    parsed: list[tuple[dict[str, Any], frozenset[str]]], expected: list[Any]
) -> list[tuple[str, Callable[[], Any], int]]:
    try:
        import zen
    except ImportError:
        print("zen-engine not installed (pip install -e '.[bench]'): no zen rows", file=sys.stderr)
        return []
    import zen_hengshan

    requests = [zen_hengshan.context(*unit) for unit in parsed]
    graph = zen.ZenEngine().create_decision(
        zen.ZenDecisionContent(zen_hengshan.json.dumps(zen_hengshan.decision_graph()))
    )
    expressions = zen_hengshan.Expressions()
    for request, (total, grade, _, leaves) in zip(requests, expected, strict=True):
        assert zen_hengshan.scores(graph.evaluate(request, {"trace": True})) == (
            total,
            grade,
            leaves,
        )
        assert zen_hengshan.scores(expressions.evaluate(request)) == (total, grade, leaves)
    few = requests[:300]  # the graph is slow: fewer units, the same per-unit measure
    version = _version("zen-engine")
    return [
        (
            f"zen-engine {version}: compiled expressions, every result kept",
            lambda: [expressions.evaluate(request) for request in requests],
            len(requests),
        ),
        (
            f"zen-engine {version}: decision graph, trace on",
            lambda: [graph.evaluate(request, {"trace": True}) for request in few],
            len(few),
        ),
        (
            f"zen-engine {version}: decision graph, trace off",
            lambda: [graph.evaluate(request) for request in few],
            len(few),
        ),
    ]


def _version(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)


# --- whole batches ----------------------------------------------------------------------------


TIME = Path("/usr/bin/time")
"""GNU time: a small process that starts the command afresh and reports its own peak RSS.

A process forked from this one (which holds pandas and pyarrow by the end) would count this
one's memory in its peak until it execs; started by time, it counts only its own.
"""


def run(command: list[str]) -> tuple[float, float]:
    """Run a process to its end: wall seconds and its peak RSS in MB (the main process)."""
    timed = [str(TIME), "-f", "peak %M", *command] if TIME.exists() else command
    started = time.perf_counter()
    process = subprocess.Popen(timed, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    error = process.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: some units failed, as the benchmark's never do
        print(error, file=sys.stderr)
        message = f"{' '.join(command)} exited with {code}"
        raise SystemExit(message)
    peak = re.search(r"^peak (\d+)$", error, re.MULTILINE)
    return seconds, (int(peak.group(1)) if peak else usage.ru_maxrss) / 1024


CONTROL = """\
from decimal import Decimal
total, rate = Decimal(0), Decimal("1.01")
for number in range(1_500_000):
    total += (Decimal(number) * rate).quantize(Decimal("0.01"))
"""
"""Plain Decimal arithmetic, no I/O, no pipes: what two processes can do on this machine."""


def two_process_ceiling(rounds: int = 2) -> float:
    """This machine's own speed-up from a second process, measured now: the best a batch's is.

    The same arithmetic runs in one process, then in two processes side by side (the best of
    ``rounds`` each); the ratio is twice the first time over the second. On a machine whose two
    cores are shared (a cloud machine's vCPUs, another tenant busy) it is well under 2, and it
    moves from minute to minute: a batch's speed-up means something only beside it.
    """
    command = [sys.executable, "-c", CONTROL]
    alone, pair = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(command, check=True)
        alone.append(time.perf_counter() - started)
        started = time.perf_counter()
        processes = [subprocess.Popen(command) for _ in range(2)]
        for process in processes:
            process.wait()
        pair.append(time.perf_counter() - started)
    return 2 * min(alone) / min(pair)


def summary_scores(path: Path) -> list[tuple[str, ...]]:
    """A summary CSV's source, total, grade and points lost per 一级, by column name."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file)
        header = next(reader)
        wanted = [header.index(name) for name in header if name in ("来源", "总分", "等级")]
        wanted += [index for index, name in enumerate(header) if name.endswith("失分")]
        return [tuple(row[index] for index in wanted) for row in reader]


def batches(
    counts: list[int], workers: list[int]
) -> tuple[list[tuple[str, int, float, float, int]], dict[int, list[float]]]:
    """(contender, units, seconds, peak RSS MB, workers) for each batch size, and the machine's
    two-process ceiling (:func:`two_process_ceiling`) measured before and after each size's runs.

    ``scoring batch`` runs once per worker count; its summaries must be the same bytes for every
    count, and give the hand-written scorer's totals. With Parquet support, the largest worker
    count also runs Parquet in and out.
    """
    DATA.mkdir(exist_ok=True)
    supports = _batch_help()
    if "--workers" not in supports:
        workers = [1]
    measured, ceilings = [], {}
    for count in counts:
        ceilings[count] = [two_process_ceiling()]
        table = DATA / f"units-{count}.csv"
        if not table.exists():
            generated.write_csv(count, table)
        reference = DATA / f"handwritten-{count}.csv"
        scorer = Path(__file__).parent / "handwritten.py"
        seconds, peak = run([sys.executable, str(scorer), str(table), str(reference)])
        measured.append(("hand-written Decimal scorer, CSV in and out", count, seconds, peak, 1))
        expected = summary_scores(reference)
        outputs = []
        for n in workers:
            output = DATA / f"scoring-{count}-{n}.csv"
            command = [sys.executable, "-m", "scoring", "batch", str(RULESET), str(table)]
            command += ["-o", str(output)] + (["--workers", str(n)] if len(workers) > 1 else [])
            seconds, peak = run(command)
            assert summary_scores(output) == expected, f"batch of {count} differs"
            measured.append(("scoring batch, CSV in and out", count, seconds, peak, n))
            outputs.append(output.read_bytes())
        assert all(output == outputs[0] for output in outputs), "worker counts differ"
        ceilings[count].append(two_process_ceiling())
        if ".parquet" in supports:
            source = DATA / f"units-{count}.parquet"
            if not source.exists():  # in a process of its own: pyarrow stays out of this one
                subprocess.run(
                    [
                        sys.executable,
                        str(Path(__file__).parent / "units.py"),
                        str(count),
                        str(source),
                    ],
                    check=True,
                )
            output = DATA / f"scoring-{count}.parquet"
            command = [sys.executable, "-m", "scoring", "batch", str(RULESET), str(source)]
            command += ["-o", str(output), "--workers", str(workers[-1])]
            seconds, peak = run(command)
            scores = [row[1:] for row in _parquet_scores(output)]  # sources name their file
            assert scores == [row[1:] for row in expected], f"Parquet batch of {count} differs"
            label = "scoring batch, Parquet in and out"
            measured.append((label, count, seconds, peak, workers[-1]))
    return measured, ceilings


def _parquet_scores(path: Path) -> list[tuple[str, ...]]:
    """A Parquet summary's source, total, grade and points lost, as the CSV summary writes them."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    names = [name for name in table.column_names if name in ("来源", "总分", "等级")]
    names += [name for name in table.column_names if name.endswith("失分")]
    columns = [table.column(name).to_pylist() for name in names]
    text = [
        [
            "" if value is None else format(value, "f") if isinstance(value, Decimal) else value
            for value in column
        ]
        for column in columns
    ]
    return [tuple(row) for row in zip(*text, strict=True)]


def _batch_help() -> str:
    done = subprocess.run(
        [sys.executable, "-m", "scoring", "batch", "--help"], capture_output=True, text=True
    )
    return done.stdout


# --- start-up ---------------------------------------------------------------------------------


TOP_LEVEL = re.compile(r"^import time:\s+\d+ \|\s+(\d+) \| (\S.*)$")


COUNT_EVERY_IMPORT = """\
import atexit, builtins, importlib, importlib.util, runpy, sys, time
real_import, depth, spent = builtins.__import__, 0, 0.0
def counted(*arguments, **options):
    global depth, spent
    if depth:
        return real_import(*arguments, **options)
    depth, started = 1, time.thread_time()
    try:
        return real_import(*arguments, **options)
    finally:
        depth, spent = 0, spent + time.thread_time() - started
def import_module(name, package=None):
    name = importlib.util.resolve_name(name, package)
    counted(name)
    return sys.modules[name]
builtins.__import__, importlib.import_module = counted, import_module
atexit.register(lambda: sys.__stderr__.write(f"import CPU: {spent * 1000:.1f}\\n"))
runpy.run_module("scoring", run_name="__main__", alter_sys=True)
"""
"""``python -m scoring``, with ``importlib.import_module`` done by ``__import__`` (-X importtime
reports no time for a module imported by ``import_module``, such as the commands' lazy modules
and the renderers, only for what it imports in turn), and the CPU time of this thread spent in
top-level imports counted: on a busy machine it moves far less than -X importtime's wall time."""
IMPORT_CPU = re.compile(r"^import CPU: ([0-9.]+)$")


def import_ms(arguments: list[str], bytecode: str | None) -> tuple[float, float, float]:
    """``scoring ARGUMENTS``: ms spent importing (-X importtime), import CPU ms, process CPU ms.

    With ``bytecode`` (a folder), modules are compiled once into it and read from it after, as
    from a wheel, which pip compiles as it installs; without, every module of an editable
    install is compiled from its source on each start when PYTHONDONTWRITEBYTECODE is set.
    """
    command = [sys.executable, "-X", "importtime", "-c", COUNT_EVERY_IMPORT, *arguments]
    environment = dict(os.environ)
    if bytecode is not None:
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        environment["PYTHONPYCACHEPREFIX"] = bytecode
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=environment,
    )
    assert process.stderr is not None
    lines = process.stderr.read().splitlines()
    _, _, usage = os.wait4(process.pid, 0)
    total = sum(int(m.group(1)) for line in lines if (m := TOP_LEVEL.match(line)))
    cpu = next(float(m.group(1)) for line in lines if (m := IMPORT_CPU.match(line)))
    return total / 1000, cpu, (usage.ru_utime + usage.ru_stime) * 1000


def lint_ms() -> tuple[str, float, float]:
    """The largest shipped ruleset (by its file), loaded and linted (worked examples run).

    The first time in the process (the search path indexed, the parents read), then the median
    of 5 more: its text parsed, merged with its parents (read once per process), validated,
    checked, and its worked examples scored.
    """
    from scoring.analysis.ruleset_tests import run_tests
    from scoring.load.registry import Registry
    from scoring.load.rulesets import parse_ruleset

    largest = max(ROOT.glob("rulesets/*/*.yaml"), key=lambda path: path.stat().st_size)
    text = largest.read_text(encoding="utf-8")
    registry = Registry()

    def lint() -> None:
        run_tests(parse_ruleset(text, str(largest), registry.parent))

    first = _seconds(lint)
    seconds = statistics.median(_seconds(lint) for _ in range(5))
    return str(largest.relative_to(ROOT)), seconds * 1000, first * 1000


# --- the report -------------------------------------------------------------------------------


def machine() -> str:
    """The CPU, its cores, the system and Python."""
    cpu = platform.processor() or platform.machine()
    info = Path("/proc/cpuinfo")
    model = re.search(r"model name\s*:\s*(.*)", info.read_text()) if info.exists() else None
    if model:
        cpu = model.group(1)
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores; {system}; python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", default="10000,50000", help="batch sizes, comma-separated")
    parser.add_argument("--workers", default="1,2", help="worker counts for scoring batch")
    parser.add_argument("--in-process", type=int, default=2000, help="units for table 1")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument(
        "--startup", action="store_true", help="section 3 only: import times and lint"
    )
    arguments = parser.parse_args()
    if arguments.startup:
        print_startup(*startup_section())
        return
    counts = [int(n) for n in arguments.units.split(",") if n]
    workers = [int(n) for n in arguments.workers.split(",") if n]
    in_process, repeats = arguments.in_process, arguments.repeats
    if arguments.quick:
        counts, in_process, repeats = [2000], 300, 3
    # the batches first: a process started from this one counts this one's memory in its peak
    # RSS until it execs, so this one must still be small
    measured, ceilings = batches(counts, workers)
    startup = startup_section()
    timed = per_unit(in_process, repeats)
    print(f"machine: {machine()}")
    print(f"ruleset: {RULESET.relative_to(ROOT)} (17 leaves, 28 facts); units: benchmarks/units.py")
    print()
    baseline = timed[0][1]
    print(
        f"1. one unit in process ({in_process} units, CPU time, median of {repeats} rounds); "
        "all agree to the cent"
    )
    print(f"   {'contender':<58} {'µs/unit':>9} {'ratio':>7}")
    for label, micros in timed:
        print(f"   {label:<58} {micros:9.1f} {micros / baseline:7.2f}")
    print()
    print("2. whole batches, as processes: CSV in, summary CSV out; the summaries agree")
    heading = f"{'units':>9} {'seconds':>8} {'peak RSS':>9} {'ratio':>6} {'workers':>7}"
    print(f"   {'contender':<44} {heading}")
    reference: dict[int, float] = {}
    for label, count, seconds, peak, n in measured:
        reference.setdefault(count, seconds)
        ratio = seconds / reference[count]
        print(f"   {label:<44} {count:>9,} {seconds:8.2f} {peak:6.0f} MB {ratio:6.1f} {n:>7}")
    print_speedups(measured, ceilings)
    print()
    print_startup(*startup)


def print_speedups(
    measured: list[tuple[str, int, float, float, int]], ceilings: dict[int, list[float]]
) -> None:
    """Each batch size's speed-up from its largest worker count, beside the machine's own; and
    the throughput's, from the smallest batch to the largest.

    A whole run's speed-up counts the start (imports, the ruleset, the workers' start), which
    more workers do not share; the throughput's is the time the extra units took: with one
    worker, (seconds at the largest size − seconds at the smallest) over the same for more.
    """
    runs: dict[int, dict[int, float]] = {}
    for label, units, seconds, _, n in measured:
        if label.startswith("scoring batch, CSV"):
            runs.setdefault(units, {})[n] = seconds
    most = max(max(by_workers) for by_workers in runs.values())
    if most == 1 or any(1 not in by_workers for by_workers in runs.values()):
        return  # one worker count only: nothing to compare
    for count, (before, after) in ceilings.items():
        speedup = runs[count][1] / runs[count][most]
        print(
            f"   {count:,} units: --workers {most} is {speedup:.2f}× one worker; this machine's "
            f"own two-process speed-up (plain Decimal arithmetic) {before:.2f}× before, "
            f"{after:.2f}× after"
        )
    if len(runs) > 1:
        small, large = min(runs), max(runs)
        extra = [runs[large][n] - runs[small][n] for n in (1, most)]
        print(
            f"   throughput from {small:,} to {large:,} units (the start left out): --workers "
            f"{most} is {extra[0] / extra[1]:.2f}× one worker"
        )


STARTS = 7
"""Starts of each command measured; the report gives the median of each figure."""


def startup_section() -> tuple[
    list[tuple[str, tuple[float, float, float]]], tuple[str, float, float]
]:
    """Section 3: the import times of ``--help`` and ``score``, and a lint of the largest.

    Each command is started once to compile its modules, then STARTS times in turn with the
    other, and with bytecode read as a wheel's is; then as many times compiling from source.
    """
    commands = [
        ("scoring --help", ["--help"]),
        (f"scoring score {EXAMPLE.name}", ["score", str(EXAMPLE)]),
    ]
    startup = []
    with tempfile.TemporaryDirectory(prefix="bench-bytecode-") as bytecode:
        for from_bytecode, how in ((bytecode, ""), (None, ", from source")):
            for _, arguments in commands:
                import_ms(arguments, from_bytecode)  # compiled into the cache, the files read once
            starts: list[list[tuple[float, float, float]]] = [[] for _ in commands]
            for _ in range(STARTS):
                for each, (_, arguments) in zip(starts, commands, strict=True):
                    each.append(import_ms(arguments, from_bytecode))
            for (label, _), each in zip(commands, starts, strict=True):
                figures = tuple(statistics.median(figure) for figure in zip(*each, strict=True))
                startup.append((label + how, figures))
    return startup, lint_ms()


def print_startup(
    startup: list[tuple[str, tuple[float, float, float]]], lint: tuple[str, float, float]
) -> None:
    """Section 3 as the report shows it."""
    name, warm, first = lint
    print(
        f"3. start-up: import time (python -X importtime, all top-level imports; median of "
        f"{STARTS} starts)"
    )
    for label, (imports, import_cpu, cpu) in startup:
        print(
            f"   {label:<58} {imports:6.0f} ms  (import CPU {import_cpu:4.0f} ms, "
            f"process CPU {cpu:4.0f} ms)"
        )
    print(f"   load and lint {name:<34} {warm:6.1f} ms  (worked examples run)")
    print(f"   the same, first in a process (search path indexed){first:11.1f} ms")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Side by side: this SDK's CIDR algebra and firehol's iprange on the same generated lists, in one run.

For each size N it
  1. writes two lists of N lines shaped like real allow-lists ("old", and "new" = old with about 5% removed and
     5% added; clustered IPv4 hosts, /16-/31 prefixes, about 10% IPv6, duplicates), with the benchmark program;
  2. times three phases for each tool, median of --runs after one warm-up:
       parse      both lists from text lines to values;
       aggregate  both lists to their minimal CIDR lists;
       diff       what to add and what to remove, as minimal CIDR lists;
  3. checks every output against Python's `ipaddress` (exact equality of the networks), and
  4. prints a Markdown table with the machine, the date and the load.

What each tool's phase covers differs, and the table says so:
  - SDK: in one warmed-up process (cidr-compare): parse = UTF-8 lines in memory to `Cidr` values; aggregate =
    values to `CidrSet` to `ToCidrs()`; diff = both sets built from the values, `CidrSet.Diff`, `ToCidrs()` of
    each side. Nothing is written to disk inside the timings.
  - iprange (IPv4 only: it is given the IPv4 lines of each list): one process a command, so every figure includes
    process start and reading the file: parse = `iprange --count-unique-all old new` (it cannot stop after
    parsing: this also sorts and merges, and prints two counts); aggregate = `iprange old` and `iprange new`,
    printing CIDRs to a file; diff = `iprange new --except old` and `iprange old --except new`. Its aggregate
    and diff therefore include parsing the text again.

This script installs nothing. iprange: the Debian and Ubuntu package `iprange` (`apt-get install iprange`), or
build it from its source (github.com/firehol/iprange). Without it the SDK is still timed and checked, and the
iprange columns say "not installed".

Usage (from the repository root):
  python3 benchmarks/compare-cidr-tools.py [--sizes 2000,100000,1000000] [--runs 7] [--keep DIR]
"""

import argparse
import ipaddress
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROJECT = os.path.join(ROOT, "benchmarks", "Knocknoc.Entra.Sdk.Benchmarks")
PROGRAM = os.path.join(ROOT, "artifacts", "bin", "Knocknoc.Entra.Sdk.Benchmarks", "release", "Knocknoc.Entra.Sdk.Benchmarks")


def build():
    subprocess.run(["dotnet", "build", "-c", "Release", PROJECT, "-v", "q", "-nologo"], check=True, stdout=subprocess.DEVNULL)


def sdk(*args):
    return subprocess.run([PROGRAM, *args], check=True, capture_output=True, text=True).stdout


def load():
    return os.getloadavg()[0]


def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), platform.processor())
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


# --- the reference: Python's ipaddress ---------------------------------------------------------------------------

def intervals(lines):
    """Maximal (first, last) address intervals per family (4, 6) of a list of CIDR lines."""
    by_family = {4: [], 6: []}
    for line in lines:
        network = ipaddress.ip_network(line, strict=True)
        by_family[network.version].append((int(network.network_address), int(network.broadcast_address)))
    merged = {}
    for family, spans in by_family.items():
        spans.sort()
        out = []
        for first, last in spans:
            if out and first <= out[-1][1] + 1:
                if last > out[-1][1]:
                    out[-1][1] = last
            else:
                out.append([first, last])
        merged[family] = out
    return merged


def subtract(a, b):
    """Intervals of a minus intervals of b (both sorted, disjoint, non-adjacent)."""
    out, j = [], 0
    for first, last in a:
        while j < len(b) and b[j][1] < first:
            j += 1
        start, k = first, j
        while k < len(b) and b[k][0] <= last and start <= last:
            if b[k][0] > start:
                out.append([start, b[k][0] - 1])
            start = max(start, b[k][1] + 1)
            k += 1
        if start <= last:
            out.append([start, last])
    return out


def cover(spans_by_family, families=(4, 6)):
    """The minimal exact CIDR cover of the intervals: summarize_address_range is minimal for one interval."""
    networks = set()
    for family in families:
        make = ipaddress.IPv4Address if family == 4 else ipaddress.IPv6Address
        for first, last in spans_by_family[family]:
            networks.update(ipaddress.summarize_address_range(make(first), make(last)))
    return networks


def read_networks(path):
    with open(path) as text:
        return {ipaddress.ip_network(line.strip(), strict=True) for line in text if line.strip()}


# --- iprange -------------------------------------------------------------------------------------------------------

def time_commands(commands, runs):
    """Median wall time (ms) of running the commands one after another; one warm-up round first."""
    rounds = []
    for round_index in range(runs + 1):
        started = time.perf_counter()
        for argv, output in commands:
            with open(output, "w") as sink:
                subprocess.run(argv, stdout=sink, check=False)
        if round_index > 0:
            rounds.append((time.perf_counter() - started) * 1000)
    return statistics.median(rounds)


def run_iprange(iprange, directory, runs):
    old4, new4 = (os.path.join(directory, f"{name}4.txt") for name in ("old", "new"))
    out = lambda name: os.path.join(directory, f"iprange-{name}.txt")
    return {
        "parse": time_commands([([iprange, "--count-unique-all", old4, new4], os.devnull)], runs),
        "aggregate": time_commands([([iprange, old4], out("agg-old")), ([iprange, new4], out("agg-new"))], runs),
        "diff": time_commands([([iprange, new4, "--except", old4], out("added")), ([iprange, old4, "--except", new4], out("removed"))], runs),
    }


# --- one size ------------------------------------------------------------------------------------------------------

def compare(size, runs, directory, iprange):
    sdk("cidr-lists", str(size), directory)
    lines = {}
    for name in ("old", "new"):
        with open(os.path.join(directory, f"{name}.txt")) as text:
            lines[name] = [line.strip() for line in text if line.strip()]
        with open(os.path.join(directory, f"{name}4.txt"), "w") as ipv4:
            ipv4.writelines(line + "\n" for line in lines[name] if ":" not in line)

    load_before = load()
    ours = json.loads(sdk("cidr-compare", directory, str(runs)))
    theirs = run_iprange(iprange, directory, runs) if iprange else None
    load_after = load()

    old, new = intervals(lines["old"]), intervals(lines["new"])
    added = {f: subtract(new[f], old[f]) for f in (4, 6)}
    removed = {f: subtract(old[f], new[f]) for f in (4, 6)}
    expected = {"agg-old": old, "agg-new": new, "added": added, "removed": removed}
    checks = []
    for name, spans in expected.items():
        if read_networks(os.path.join(directory, f"sdk-{name}.txt")) != cover(spans):
            checks.append(f"SDK {name} differs from ipaddress")
        if iprange and read_networks(os.path.join(directory, f"iprange-{name}.txt")) != cover(spans, families=(4,)):
            checks.append(f"iprange {name} differs from ipaddress (IPv4)")
    return ours, theirs, (load_before, load_after), checks


def cell(value):
    return "-" if value is None else (f"{value:,.3f}" if value < 1 else f"{value:,.2f}" if value < 10 else f"{value:,.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,100000,1000000")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", help="keep the lists and outputs in this directory")
    arguments = parser.parse_args()

    iprange = shutil.which("iprange")
    if not iprange:
        print("iprange is not installed: apt-get install iprange (Debian, Ubuntu), or build github.com/firehol/iprange.", file=sys.stderr)
    build()
    version = subprocess.run([iprange, "--version"], capture_output=True, text=True).stdout.split("\n")[0] if iprange else "not installed"

    rows, failures = [], []
    for size in (int(s) for s in arguments.sizes.split(",")):
        directory = arguments.keep and os.path.join(arguments.keep, str(size)) or tempfile.mkdtemp(prefix=f"cidr-{size}-")
        os.makedirs(directory, exist_ok=True)
        ours, theirs, loads, checks = compare(size, arguments.runs, directory, iprange)
        failures += [f"N={size}: {c}" for c in checks]
        rows.append((size, ours, theirs, loads, not checks))
        if not arguments.keep:
            shutil.rmtree(directory)

    print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; {machine()}; .NET {subprocess.run(['dotnet', '--version'], capture_output=True, text=True).stdout.strip()}; iprange: {version}")
    print()
    print("| N per list | SDK parse / agg / diff (ms) | iprange parse / agg / diff (ms, IPv4 only) | iprange ÷ SDK | file to CidrSet | load 1 min | outputs = ipaddress |")
    print("|---:|---|---|---|---:|---|---|")
    for size, ours, theirs, (before, after), equal in rows:
        phases = ("parse", "aggregate", "diff")
        sdk_text = " / ".join(cell(ours[p]) for p in phases)
        theirs_text = " / ".join(cell(theirs[p]) for p in phases) if theirs else "not installed"
        ratio = " / ".join(f"{theirs[p] / ours[p]:.1f}x" for p in phases) if theirs else "-"
        print(f"| {size:,} | {sdk_text} | {theirs_text} | {ratio} | {ours['file_mb_per_s']:.0f} MB/s | {before:.1f}-{after:.1f} | {'yes' if equal else 'NO'} |")
    for failure in failures:
        print(f"MISMATCH {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The table of bench.sh.

Usage: bench-report.py BENCH_RESULTS TEST_TIMES COMMAND

Reads BENCH_RESULTS/{base,series}-N/guest/samples.tsv (written by
guest-bench.sh) and TEST_TIMES (the runs that test.sh recorded), and
prints a Markdown table: for each figure the median and the min-max range
of each kernel's samples, pooled over its boots, and the series/base ratio
of the medians and of the minima (Rust/C for the Rust replacement).  It
only says whether each median ratio is within the goal; nothing fails on
a figure.
"""

import datetime
import math
import os
import platform
import re
import statistics
import subprocess
import sys

GOAL = 1.02


def samples(res):
    """{kernel: {figure: [values]}}, the figures in the order first seen."""
    data = {"base": {}, "series": {}}
    order = []
    boots = {"base": 0, "series": 0}
    for run in sorted(os.listdir(res)):
        m = re.fullmatch(r"(base|series)-(\d+)", run)
        if not m:
            continue
        boots[m.group(1)] += 1
        with open(os.path.join(res, run, "guest", "samples.tsv")) as f:
            for line in f:
                fig, val = line.rstrip("\n").split("\t")
                if fig not in order:
                    order.append(fig)
                data[m.group(1)].setdefault(fig, []).append(float(val))
    return data, order, boots


def scale(fig):
    """The unit shown for a figure, and the factor from its samples' unit."""
    if fig.endswith("[us]"):
        return fig[: -len("[us]")] + "[ms]", 1e-3
    return fig, 1.0


def num(x):
    """x with 4 significant digits, never in exponent form."""
    if x == 0:
        return "0"
    digits = max(0, 3 - int(math.floor(math.log10(abs(x)))))
    return f"{x:.{digits}f}"


def cell(vals, factor):
    if not vals:
        return "-"
    v = [x * factor for x in vals]
    return f"{num(statistics.median(v))} ({num(min(v))}-{num(max(v))}), n={len(v)}"


def ratio(a, b, stat=statistics.median):
    if not a or not b:
        return None
    return stat(a) / stat(b)


def fmt_ratio(r, what="series/base"):
    if r is None:
        return "-", "-"
    return f"{r:.3f}" + ("" if what == "series/base" else f" ({what})"), (
        "yes" if r <= GOAL else "no")


def machine():
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // (1024 * 1024)
    return f"{platform.node()}: {model}, {os.cpu_count()} CPUs, {mem} GiB"


RECENT = 5


def test_times(path):
    """Rows for make test from test.sh's records (date, kind, seconds,
    command, commit, result): the last RECENT passed runs of each command
    that were cold or warm, with the dates of the first and the last."""
    runs = {}
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 6 or parts[5] != "passed" or parts[1] not in ("cold", "warm"):
                continue
            key = f"`{parts[3]}`, {parts[1]} [min]"
            runs.setdefault(key, []).append((parts[0][:10], float(parts[2]) / 60))
    rows = {}
    for key, recs in runs.items():
        recs = recs[-RECENT:]
        dates = sorted({d for d, _ in recs})
        span = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
        rows[f"{key}, {span}"] = [m for _, m in recs]
    return rows


def main():
    res, times_path, command = sys.argv[1:4]
    data, order, boots = samples(res)
    def read(name, default="?"):
        p = os.path.join(res, name)
        return open(p).read().strip() if os.path.exists(p) else default
    accel = read("accel")
    cpus = read("guest-cpus")
    unames = {}
    for k in ("base", "series"):
        p = os.path.join(res, f"{k}-1", "guest", "uname")
        unames[k] = open(p).read().strip() if os.path.exists(p) else "?"
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"Bench of {now}, `{command}`: {boots['base']} boots of the base kernel "
          f"and {boots['series']} of the series kernel, alternating, base first "
          f"(guest: {cpus} CPUs, {accel.upper()}).")
    print(f"Machine: {machine()}. Kernels: base {unames['base']}, series {unames['series']}.")
    print()
    print("| Figure | base: median (min-max), n | series: median (min-max), n "
          f"| ratio of medians | median ratio <= {GOAL}? | ratio of minima |")
    print("|---|---|---|---|---|---|")
    c_call = data["series"].get("call: C replacement [ns/call]")
    for fig in order:
        shown, factor = scale(fig)
        b, s = data["base"].get(fig), data["series"].get(fig)
        if fig.startswith("call: Rust"):
            r, goal = fmt_ratio(ratio(s, c_call), "Rust/C")
            rmin, _ = fmt_ratio(ratio(s, c_call, min), "Rust/C")
        else:
            r, goal = fmt_ratio(ratio(s, b))
            rmin, _ = fmt_ratio(ratio(s, b, min))
        print(f"| {shown} | {cell(b, factor)} | {cell(s, factor)} | {r} | {goal} | {rmin} |")
    times = test_times(times_path)
    for key, vals in sorted(times.items()):
        print(f"| {key} | - | {cell(vals, 1.0)} | - | - | - |")
    print()
    print("Ratios are series/base, and Rust/C for the Rust replacement (both on the "
          "series kernel), of the medians and of the minima. The durations are wall "
          "time in the kernel, sleeps included: klp_module_going() is nearly all the "
          "unpatching of the module's object, which unregisters the ftrace handler and "
          "waits for that to take effect.")
    print()
    if times:
        print(f"The make test rows are the last {RECENT} (or fewer) passed runs of each "
              "kind that test.sh recorded on this machine (cold: no kernel tree and no "
              "build at the start; warm: everything built), not part of the A/B boots.")
    else:
        print("No passed cold or warm run of make test is recorded on this machine "
              f"({times_path}); BENCH_TEST=1 make bench runs one of each first.")
    print()
    print("Checked in each boot of the series kernel (guest-bench.sh):")
    seen = []
    for run in sorted(os.listdir(res)):
        p = os.path.join(res, run, "guest", "checks.txt")
        if run.startswith("series-") and os.path.exists(p):
            for line in open(p):
                line = re.sub(r"0x[0-9a-f]+", "0x...", line.strip())
                if line not in seen:
                    seen.append(line)
    for line in seen:
        print(f"- {line}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""runs-page.py TIMES PAGE [README]: the measured times of whole runs.

TIMES is $WB_CACHE/test-times.tsv, a line per run that test.sh appends:
date, kind (cold: no ./linux at the start, as in a fresh clone; warm:
the test kernel built; partial), seconds, command, commit, result and,
from 2026-11-30 on, the seconds of each phase (name=seconds ...).
Writes PAGE (docs/runs.md) and, in README, the lines between
"<!-- runs: begin -->" and "<!-- runs: end -->": the newest passed run
of each command that the README promises a time for, against its bound
(issue 15)."""

import os
import platform
import re
import sys

# What the README shows: (label, command, kind, bound in minutes).
PROMISED = [
    ('`.ci/run` in a fresh clone (CI)', 'TEST_DEBUG=1 make test', 'cold', 45),
    ('`make test`, nothing changed', 'make test', 'warm', 10),
    ('`make test`, one patch changed', 'make test', 'one-patch', 15),
    ('`make selftest T=test-unwind.sh`', 'make selftest T=test-unwind.sh', 'warm', 4),
]
PHASES = {'prep': 'toolchain, base, apply', 'kernel': 'test kernel build',
          'checks': 'checks', 'debug': 'debug kernel build',
          'guests': 'guests', 'report': 'samples, report',
          # From 2026-11-30 22:00 the checks run in the background from the
          # end of the test kernel's build, beside the debug kernel's build
          # and the guests: the phases after the test kernel's build are
          # then the debug build, the rest until all has ended, and the
          # checks' own wall time, which overlaps both.
          'debug_beside': 'debug kernel build (beside the checks)',
          'side': 'guests (beside the checks)',
          'checks_wall': 'checks, wall time in the background'}


def mmss(s):
    s = int(s)
    return f'{s // 60} min {s % 60:02d} s' if s >= 60 else f'{s} s'


def read(path):
    runs = []
    if not os.path.exists(path):
        return runs
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        if len(f) < 6:
            continue
        r = dict(date=f[0], kind=f[1], secs=int(f[2]), cmd=f[3], commit=f[4],
                 result=f[5], phases=f[6] if len(f) > 6 else '')
        runs.append(r)
    return runs


def phases(text):
    out = []
    for item in text.split():
        k, _, v = item.partition('=')
        if v.isdigit():
            out.append(f'{PHASES.get(k, k)} {mmss(v)}')
    return ', '.join(out)


def machine():
    cpu = '?'
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                cpu = re.sub(r'\s+', ' ', line.split(':', 1)[1].strip())
                break
    except OSError:
        pass
    return f'{os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}'


def main():
    times, page = sys.argv[1], sys.argv[2]
    readme = sys.argv[3] if len(sys.argv) > 3 else None
    runs = read(times)
    newest = {}
    for r in runs:
        if r['result'] == 'passed':
            newest[(r['cmd'], r['kind'])] = r

    rows = []
    for label, cmd, kind, bound in PROMISED:
        r = newest.get((cmd, kind))
        if r is None:
            rows.append(f'| {label} | not measured yet | {bound} min |')
        else:
            ok = 'within' if r['secs'] <= bound * 60 else '**over**'
            rows.append(f"| {label} | {mmss(r['secs'])} ({r['date'][:10]}, {r['commit']}) | "
                        f"{bound} min, {ok} |")
    table = ['| run | newest passed | bound |', '| --- | --- | --- |'] + rows

    lines = [
        '# Measured runs',
        '',
        'Written by `scripts/runs-page.py`, which `scripts/test.sh` runs at the end of',
        'every `make test` and `make selftest`, from `$WB_CACHE/test-times.tsv`: one',
        'line per run on this machine (the time of test.sh, and the commit it',
        'started at), CI\'s runs included (CI runs `.ci/run` on the machine of',
        'the session that submitted, with the same `~/.cache`).',
        f'Machine of the last write: {machine()}.',
        '',
        '*cold*: the run started without `./linux` (a fresh clone; ccache and the',
        'downloads in `~/.cache` may be warm). *warm*: the test kernel was built and',
        'nothing the run reads (scripts, config, series/, ...) changed since the',
        'last run here. *changed*: built, but something changed (a script, say).',
        '*one-patch*: a `make test` after one patch of `series/` changed',
        '(`WB_RUN_KIND=one-patch make test`, said by whoever measures it).',
        '',
        '## Against the bounds of the README',
        '',
    ] + table + [
        '',
        '## The last 25 runs, newest first',
        '',
        '| date (UTC) | kind | time | command | commit | result | phases |',
        '| --- | --- | --- | --- | --- | --- | --- |',
    ]
    for r in reversed(runs[-25:]):
        lines.append(f"| {r['date']} | {r['kind']} | {mmss(r['secs'])} | `{r['cmd']}` | "
                     f"{r['commit']} | {r['result']} | {phases(r['phases'])} |")
    open(page, 'w').write('\n'.join(lines) + '\n')

    if readme and os.path.exists(readme):
        text = open(readme).read()
        new = re.sub(r'(<!-- runs: begin -->\n).*?(<!-- runs: end -->)',
                     lambda m: m.group(1) + '\n'.join(table) + '\n' + m.group(2),
                     text, flags=re.S)
        if new != text:
            open(readme, 'w').write(new)
    return 0


if __name__ == '__main__':
    sys.exit(main())

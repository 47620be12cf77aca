#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn a results directory into one table and the closing line
'N passed, N failed[, N skipped]'. Exit 1 on any failure.

Rows come from:
  checks.tsv               name, result (pass/fail/skip), seconds, detail
  expected-kselftests      one COLLECTION:TEST a line; each must have a result
  kselftest/NAME.tap       run_kselftest.sh output of one test; its
                           "# SKIP: why" lines are skipped scenarios
  kselftest/durations      NAME START END (guest wall clock)
  expected-kunit           one KUnit suite a line; each must report
  dmesg.txt                KUnit KTAP at boot, and the splat scan
  expected-kmemleak        the kernel has kmemleak: kmemleak.txt must exist
  kmemleak.txt             the guest's kmemleak report after the tests
A test that was expected and has no result line is a failure, never a pass.
A leak or a splat is a failed row. RES/debug, if present, is the same for
the debug kernel (make test-debug); its rows are named "[debug] ...".
"""

import os
import re
import sys

SPLATS = [
    r'WARNING:', r'BUG:', r'Oops', r'Kernel panic', r'general protection fault',
    r'possible recursive locking', r'possible circular locking',
    r'inconsistent lock state', r'INFO: possible', r'INFO: task .* blocked',
    r'KASAN:', r'UBSAN:', r'kernel BUG at',
    r'kmemleak: \d+ new suspected memory leaks', r'unreferenced object 0x',
    r'list_add corruption', r'list_del corruption', r'Call Trace:',
]
SPLAT_RE = re.compile('|'.join(SPLATS))
TS_RE = re.compile(r'^\[\s*(\d+\.\d+)\]\s?(.*)$')
SKIP_RE = re.compile(r'^#\s*SKIP:\s*(.*)$')
# What a test says of its own scale, for the row's detail: the line it
# logs to the kernel log (its stdout interleaves with the runner's TAP).
FIGURES = {'fault matrix': 'test-fault-matrix.sh', 'stress': 'test-stress.sh'}
FIGURES_RE = re.compile(r'^\[\s*\d+\.\d+\] ((fault matrix|stress): .*)$')
RESULT_RE = re.compile(r'^(\s*)(not )?ok (\d+)\s+(?:- )?([^#]*?)\s*(?:#\s*(.*))?$')


def tap_result(not_ok, directive):
    d = (directive or '').upper()
    if d.startswith('SKIP'):
        return 'skip'
    return 'fail' if not_ok else 'pass'


def checks(res, rows):
    p = os.path.join(res, 'checks.tsv')
    if not os.path.exists(p):
        return
    for line in open(p):
        f = line.rstrip('\n').split('\t')
        if len(f) >= 3:
            rows.append(('check', f[0], f[1], f[2], f[3] if len(f) > 3 else ''))


def kselftests(res, rows):
    p = os.path.join(res, 'expected-kselftests')
    if not os.path.exists(p):
        return
    durations = {}
    dp = os.path.join(res, 'kselftest', 'durations')
    if os.path.exists(dp):
        for line in open(dp):
            name, a, b = line.split()
            durations[name] = '%.1f' % (float(b) - float(a))
    figures = {}
    dm = os.path.join(res, 'dmesg.txt')
    if os.path.exists(dm):
        for line in open(dm, errors='replace'):
            m = FIGURES_RE.match(line.rstrip('\n'))
            if m:
                figures.setdefault(FIGURES[m.group(2)], []).append(m.group(1))
    for t in open(p).read().split():
        name = t.split(':', 1)[1]
        tap = os.path.join(res, 'kselftest', name + '.tap')
        result, detail = 'fail', 'did not run'
        skipped = []
        if os.path.exists(tap):
            detail = 'no result line'
            for line in open(tap, errors='replace'):
                m = RESULT_RE.match(line)
                if m and m.group(1) == '' and name in m.group(4):
                    result = tap_result(m.group(2), m.group(5))
                    detail = (m.group(5) or '').strip()
                # A scenario that a test skips on its own ("SKIP: why")
                # is a skip of its own in the summary, not a silent pass.
                m = SKIP_RE.match(line)
                if m:
                    skipped.append(m.group(1).strip())
        detail = '; '.join([d for d in [detail] + figures.get(name, []) if d])
        rows.append(('kselftest', t, result, durations.get(name, '-'), detail))
        for i, why in enumerate(skipped, 1):
            rows.append(('kselftest', '%s scenario skip %d' % (t, i), 'skip', '-', why))


def kunit(res, rows):
    """KUnit's KTAP in the boot log: suites at depth 0, cases at depth 1."""
    p = os.path.join(res, 'dmesg.txt')
    if not os.path.exists(p):
        return
    suites = set()
    suite, plan, seen, last_ts, in_ktap = None, 0, 0, None, False
    for raw in open(p, errors='replace'):
        m = TS_RE.match(raw.rstrip('\n'))
        if not m:
            continue
        ts, line = float(m.group(1)), m.group(2)
        if line.strip() == 'KTAP version 1':
            in_ktap = True
        if not in_ktap:
            continue
        sm = re.match(r'^\s+# Subtest: (\S+)', line)
        if sm:
            suite, plan, seen, last_ts = sm.group(1), 0, 0, ts
            suites.add(suite)
            continue
        pm = re.match(r'^\s+1\.\.(\d+)', line)
        if pm and suite:
            plan = int(pm.group(1))
            last_ts = ts
            continue
        rm = RESULT_RE.match(line)
        if not rm:
            continue
        indent, name = len(rm.group(1)), rm.group(4)
        if indent and suite:
            seen += 1
            dur = '%.3f' % (ts - last_ts) if last_ts is not None else '-'
            rows.append(('kunit', suite + '.' + name,
                         tap_result(rm.group(2), rm.group(5)), dur,
                         (rm.group(5) or '').strip()))
            last_ts = ts
        elif not indent and suite and name == suite:
            if seen < plan:
                rows.append(('kunit', suite, 'fail', '-',
                             'planned %d cases, %d reported' % (plan, seen)))
            suite = None
    if suite:
        rows.append(('kunit', suite, 'fail', '-',
                     'suite did not finish (%d of %d cases reported)' % (seen, plan)))
    ep = os.path.join(res, 'expected-kunit')
    if os.path.exists(ep):
        for name in open(ep).read().split():
            if name not in suites:
                rows.append(('kunit', name, 'fail', '-', 'suite did not run at boot'))


def kernel_log(res, rows, expect_guest):
    if not expect_guest:
        return
    if not os.path.exists(os.path.join(res, 'guest-done')):
        rows.append(('guest', 'guest run finished', 'fail', '-',
                     'no guest-done marker: the guest died or timed out (see console.log)'))
    p = os.path.join(res, 'dmesg.txt')
    if not os.path.exists(p):
        rows.append(('guest', 'kernel log saved', 'fail', '-', 'no dmesg.txt'))
        return
    log = open(p, errors='replace').readlines()
    # Read after the selftests: if the ring buffer wrapped, the start of the
    # log (KUnit at boot, any early splat) is gone and this scan is blind.
    whole = any('Linux version' in l for l in log[:5])
    rows.append(('guest', 'kernel log complete from boot', 'pass' if whole else 'fail', '-',
                 '' if whole else 'ring buffer wrapped: first line is ' + (log[0].strip() if log else 'none')))
    splats = [l.rstrip('\n') for l in log if SPLAT_RE.search(l)]
    rows.append(('guest', 'kernel log has no splat', 'fail' if splats else 'pass', '-',
                 '%d splat line(s)' % len(splats) +
                 ''.join('; ' + s.strip() for s in splats[:3])))


def kmemleak(res, rows):
    if not os.path.exists(os.path.join(res, 'expected-kmemleak')):
        return
    p = os.path.join(res, 'kmemleak.txt')
    if not os.path.exists(p):
        rows.append(('guest', 'kmemleak: no leaks', 'fail', '-', 'no kmemleak report'))
        return
    report = open(p, errors='replace').read().splitlines()
    leaks = [l for l in report if l.startswith('unreferenced object')]
    # The first function of each leak's backtrace that is not kmemleak's
    # or the allocator's own says where it was allocated.
    where = []
    for i, l in enumerate(report):
        if l.startswith('unreferenced object'):
            for b in report[i + 1:]:
                m = re.match(r'^\s+\[<[0-9a-f]+>\] (\S+)', b)
                if m and not re.match(r'(kmemleak|__?k[mz]alloc|kmem_cache|slab|__kmalloc|alloc_)', m.group(1)):
                    where.append(m.group(1))
                    break
    rows.append(('guest', 'kmemleak: no leaks', 'fail' if leaks else 'pass', '-',
                 '%d leak(s)' % len(leaks) + ''.join('; ' + w for w in where[:3])))


def guest_rows(res):
    rows = []
    kselftests(res, rows)
    kunit(res, rows)
    kernel_log(res, rows, os.path.exists(os.path.join(res, 'expected-kselftests')))
    kmemleak(res, rows)
    return rows


def main():
    res = sys.argv[1]
    rows = []
    checks(res, rows)
    rows += guest_rows(res)
    debug = os.path.join(res, 'debug')
    if os.path.isdir(debug):
        rows += [(k, '[debug] ' + n, r, d, x) for k, n, r, d, x in guest_rows(debug)]

    w = max([len(r[1]) for r in rows] + [4])
    lines = ['%-10s %-*s %-6s %8s  %s' % ('kind', w, 'test', 'result', 'seconds', 'detail')]
    for kind, name, result, dur, detail in rows:
        lines.append('%-10s %-*s %-6s %8s  %s' % (kind, w, name, result.upper(), dur, detail))
    n = {k: sum(1 for r in rows if r[2] == k) for k in ('pass', 'fail', 'skip')}
    by_kind = {}
    for kind, _, result, _, _ in rows:
        by_kind.setdefault(kind, {'pass': 0, 'fail': 0, 'skip': 0})[result] += 1
    lines.append('')
    for kind, c in by_kind.items():
        lines.append('by kind, %-10s pass %d, fail %d, skip %d' % (kind, c['pass'], c['fail'], c['skip']))
    closing = '%d passed, %d failed' % (n['pass'], n['fail'])
    if n['skip']:
        closing += ', %d skipped' % n['skip']
    if not rows:
        closing = '0 passed, 1 failed'
        lines.append('no test ran')
    lines.append(closing)
    text = '\n'.join(lines) + '\n'
    with open(os.path.join(res, 'summary.txt'), 'w') as f:
        f.write(text)
    sys.stdout.write(text)
    return 1 if (n['fail'] or not rows) else 0


if __name__ == '__main__':
    sys.exit(main())

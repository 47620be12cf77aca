#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn a results directory into one table, the failed and skipped rows
again at its end, RES/junit.xml, and the closing line
'N passed, N failed[, N skipped]'. Exit 1 on any failure.

Rows come from:
  checks.tsv               name, result (pass/fail/skip), seconds, detail
  expected-kselftests      one COLLECTION:TEST a line; each must have a result
  kselftest/NAME.tap       run_kselftest.sh output of one test; its
                           "# SKIP: why" lines are skipped scenarios
  kselftest/NAME.dmesg     the kernel log of that test alone
  console.log              the guest's console: names the test that was
                           running when a guest did not finish
  kselftest/durations      NAME START END (guest wall clock)
  expected-kunit           one KUnit suite a line; each must report
  dmesg.txt                KUnit KTAP at boot (parsed by the kernel's
                           kunit.py, one row per suite), and the splat scan
  expected-kmemleak        the kernel has kmemleak: kmemleak.txt must exist
  kmemleak.txt             the guest's kmemleak report after the tests
A test that was expected and has no result line is a failure, never a pass.
A leak or a splat is a failed row. RES/debug, if present, is the same for
the debug kernel (make test-debug); its rows are named "[debug] ...".
"""

import glob
import json
import os
import re
import subprocess
import sys

# The one list of what counts as a splat in a kernel log, read by every
# script that scans one (grep -E -f in the shell scripts).
SPLATS = [l for l in open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                       'splat-patterns')).read().splitlines() if l]
SPLAT_RE = re.compile('|'.join(SPLATS))
TS_RE = re.compile(r'^\[\s*(\d+\.\d+)\]\s?(.*)$')
SKIP_RE = re.compile(r'^#\s*SKIP:\s*(.*)$')
# What a test says of its own scale, for the row's detail: the line it
# logs to the kernel log (its stdout interleaves with the runner's TAP).
FIGURES = {'fault matrix': 'test-fault-matrix.sh', 'stress': 'test-stress.sh',
           'fail-nth': 'test-fail-nth.sh'}
FIGURES_RE = re.compile(r'^\[\s*\d+\.\d+\] ((fault matrix|stress|fail-nth): .*)$')
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
    """KUnit's KTAP in the boot log, parsed by the kernel's own kunit.py
    (KUNIT_PY, default KSRC/tools/testing/kunit/kunit.py), which also
    writes res/kunit.json: one row per suite, with its case counts."""
    p = os.path.join(res, 'dmesg.txt')
    ep = os.path.join(res, 'expected-kunit')
    expected = open(ep).read().split() if os.path.exists(ep) else []
    if not os.path.exists(p) or not expected:
        for name in expected:
            rows.append(('kunit', name, 'fail', '-', 'no kernel log'))
        return
    kunit_py = os.environ.get('KUNIT_PY') or os.path.join(
        os.environ.get('KSRC', ''), 'tools/testing/kunit/kunit.py')
    out = os.path.join(res, 'kunit.json')
    if os.path.exists(out):
        os.remove(out)
    with open(os.path.join(res, 'kunit-parse.txt'), 'w') as log:
        subprocess.run([sys.executable, kunit_py, 'parse', '--json=' + out, p],
                       stdout=log, stderr=subprocess.STDOUT)
    if not os.path.exists(out):
        for name in expected:
            rows.append(('kunit', name, 'fail', '-',
                         'kunit.py parse wrote no JSON (see kunit-parse.txt)'))
        return
    top = json.load(open(out))
    suites = {}

    def walk(group):
        for sub in group.get('sub_groups', []):
            cases = sub.get('test_cases', [])
            c = {k: sum(1 for t in cases if t['status'] == k)
                 for k in ('PASS', 'FAIL', 'SKIP', 'ERROR')}
            failed = [t['name'] for t in cases if t['status'] in ('FAIL', 'ERROR')]
            misc = sub.get('misc', {})
            suites[sub['name']] = (len(cases), c, failed, misc)
            walk(sub)
    walk(top)
    for name, (n, c, failed, misc) in suites.items():
        if not n:
            continue
        bad = failed or misc.get('errors') or misc.get('crashed')
        result = 'fail' if bad else ('skip' if c['SKIP'] == n else 'pass')
        detail = '%d cases: %d passed, %d failed, %d skipped' % (
            n, c['PASS'], c['FAIL'] + c['ERROR'], c['SKIP'])
        if misc.get('errors'):
            detail += ', %d parse error(s) (missing or unplanned cases)' % misc['errors']
        if failed:
            detail += '; failed: ' + ', '.join(failed[:5])
        rows.append(('kunit', name, result, '-', detail))
    for name in expected:
        if name not in suites:
            rows.append(('kunit', name, 'fail', '-', 'suite did not run at boot'))


def kernel_log(res, rows, expect_guest, label=''):
    if not expect_guest:
        return
    if not os.path.exists(os.path.join(res, 'guest-done')):
        # Which test was running, and how the console ended.
        con = os.path.join(res, 'console.log')
        lines = open(con, errors='replace').read().splitlines() if os.path.exists(con) else []
        running = [l.split('guest: running ', 1)[1] for l in lines if 'guest: running ' in l]
        tail = [l.strip() for l in lines[-40:] if l.strip()][-8:]
        rows.append(('guest', 'guest run finished' + label, 'fail', '-',
                     'the guest died or timed out%s; end of %s: %s' % (
                         ' while running ' + running[-1] if running else ' before the first test',
                         con, ' | '.join(tail) or 'no console log')))
    p = os.path.join(res, 'dmesg.txt')
    if not os.path.exists(p):
        rows.append(('guest', 'kernel log saved' + label, 'fail', '-', 'no dmesg.txt'))
        return
    log = open(p, errors='replace').readlines()
    # Read after the selftests: if the ring buffer wrapped, the start of the
    # log (KUnit at boot, any early splat) is gone and this scan is blind.
    whole = any('Linux version' in l for l in log[:5])
    rows.append(('guest', 'kernel log complete from boot' + label, 'pass' if whole else 'fail', '-',
                 '' if whole else 'ring buffer wrapped: first line is ' + (log[0].strip() if log else 'none')))
    splats = [l.rstrip('\n') for l in log if SPLAT_RE.search(l)]
    rows.append(('guest', 'kernel log has no splat' + label, 'fail' if splats else 'pass', '-',
                 '%d splat line(s)' % len(splats) +
                 ''.join('; ' + s.strip() for s in splats[:3])))


def kmemleak(res, rows, label=''):
    if not os.path.exists(os.path.join(res, 'expected-kmemleak')):
        return
    p = os.path.join(res, 'kmemleak.txt')
    if not os.path.exists(p):
        rows.append(('guest', 'kmemleak: no leaks' + label, 'fail', '-', 'no kmemleak report'))
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
    rows.append(('guest', 'kmemleak: no leaks' + label, 'fail' if leaks else 'pass', '-',
                 '%d leak(s)' % len(leaks) + ''.join('; ' + w for w in where[:3])))


def guest_rows(res):
    """The rows of one kernel: its first guest's results in res, the other
    guests' (scripts/guests.sh) in res/guest-N. Every test of
    res/all-kselftests must have a row from one of them."""
    rows = []
    dirs = [res] + sorted(glob.glob(os.path.join(res, 'guest-[0-9]*')),
                          key=lambda d: int(d.rsplit('-', 1)[1]))
    for i, d in enumerate(dirs, 1):
        label = ' (guest %d)' % i if len(dirs) > 1 else ''
        kselftests(d, rows)
        if i == 1:
            kunit(d, rows)
        kernel_log(d, rows, os.path.exists(os.path.join(d, 'expected-kselftests')), label)
        kmemleak(d, rows, label)
    # Tests this kernel was told not to run (test.sh: the error-path tests
    # that plain make test leaves to the debug kernel) are skips, with why.
    sp = os.path.join(res, 'skipped-kselftests')
    if os.path.exists(sp):
        for line in open(sp):
            t, _, why = line.rstrip('\n').partition(' ')
            if t:
                rows.append(('kselftest', t, 'skip', '-', why))
    ap = os.path.join(res, 'all-kselftests')
    if os.path.exists(ap):
        have = {r[1] for r in rows if r[0] == 'kselftest'}
        for t in open(ap).read().split():
            if t not in have:
                rows.append(('kselftest', t, 'fail', '-', 'taken by no guest'))
    return rows


def write_junit(path, rows):
    """The same rows as JUnit XML: a testsuite per kind of row."""
    import xml.etree.ElementTree as ET
    top = ET.Element('testsuites', {'name': 'klp-workbench'})
    kinds = {}
    for kind, name, result, dur, detail in rows:
        if kind not in kinds:
            kinds[kind] = ET.SubElement(top, 'testsuite', {'name': kind})
        attrs = {'name': name, 'classname': kind}
        try:
            attrs['time'] = '%.3f' % float(dur)
        except ValueError:
            pass
        case = ET.SubElement(kinds[kind], 'testcase', attrs)
        if result == 'fail':
            ET.SubElement(case, 'failure', {'message': detail or 'failed'})
        elif result == 'skip':
            ET.SubElement(case, 'skipped', {'message': detail or 'skipped'})
        elif detail:
            ET.SubElement(case, 'system-out').text = detail
    for kind, suite in kinds.items():
        cases = list(suite)
        suite.set('tests', str(len(cases)))
        suite.set('failures', str(sum(1 for c in cases if c.find('failure') is not None)))
        suite.set('skipped', str(sum(1 for c in cases if c.find('skipped') is not None)))
    ET.indent(top)
    ET.ElementTree(top).write(path, encoding='unicode', xml_declaration=True)


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
    # The rows that need a look, again at the end, where a reader is.
    bad = [r for r in rows if r[2] in ('fail', 'skip')]
    if bad:
        lines.append('')
        lines.append('failed and skipped:')
        for kind, name, result, dur, detail in bad:
            lines.append('  %-6s %s: %s%s' % (result.upper(), kind, name,
                                             ' (%s)' % detail if detail else ''))
    write_junit(os.path.join(res, 'junit.xml'), rows)
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

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""cover.py OLD NEW: put OLD cover letter's subject and blurb into NEW, a
fresh git format-patch cover letter with '*** SUBJECT HERE ***' and
'*** BLURB HERE ***'. Without OLD, NEW keeps the placeholders.

cover.py --text COVER: print COVER's subject, a blank line and its blurb,
the form of a b4 prep cover letter (b4.sh)."""

import os
import re
import sys


def parse(text):
    head, _, body = text.partition('\n\n')
    m = re.search(r'^Subject: (.*(?:\n[ \t].*)*)', head, re.M)
    subject = re.sub(r'\s*\n[ \t]+', ' ', m.group(1)) if m else ''
    subject = re.sub(r'^\[[^]]*\]\s*', '', subject)
    lines = body.split('\n')
    end = len(lines)
    for i, l in enumerate(lines[:-1]):
        if re.match(r'^\S.* \(\d+\):$', l) and lines[i + 1].startswith('  '):
            end = i
            break
    return subject, '\n'.join(lines[:end]).rstrip('\n')


def main():
    if sys.argv[1] == '--text':
        subject, blurb = parse(open(sys.argv[2]).read())
        print(subject + '\n\n' + blurb)
        return 0
    old, new = sys.argv[1], sys.argv[2]
    if not os.path.exists(old):
        return 0
    subject, blurb = parse(open(old).read())
    text = open(new).read()
    if subject and '*** SUBJECT HERE ***' not in subject:
        text = text.replace('*** SUBJECT HERE ***', subject, 1)
    if blurb and '*** BLURB HERE ***' not in blurb:
        text = text.replace('*** BLURB HERE ***', blurb, 1)
    open(new, 'w').write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())

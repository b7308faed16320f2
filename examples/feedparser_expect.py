#!/usr/bin/env python3
"""What Python's feedparser reads from each file of its own test corpus.

Used only for measuring (see examples/feedparser_corpus.rs); the test suite
never runs Python. Prints one JSON object per line:

    {"path": "wellformed/rss/foo.xml", "bozo": false, "version": "rss20",
     "titles": ["First", null, ...]}

`titles` has one entry per item, as plain text (tags stripped, entities
decoded, whitespace collapsed) so it compares with tricorder's titles; null
where feedparser found no title.

Usage: python3 feedparser_expect.py TESTS_DIR > expect.jsonl
"""

import html
import json
import os
import re
import sys

import feedparser

HEADER = re.compile(rb"^Header:\s+([^:]+):(.+)$", re.MULTILINE)
TAG = re.compile(r"<[^>]*>")


def plain(s):
    if s is None:
        return None
    return " ".join(html.unescape(TAG.sub("", s)).split())


def main(root):
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if not name.endswith(".xml"):
                continue
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                data = f.read()
            headers = {k.decode().strip().lower(): v.decode().strip()
                       for k, v in HEADER.findall(data[:2000])}
            try:
                d = feedparser.parse(data, response_headers=headers)
                titles = [plain(e.get("title")) for e in d.entries]
                rec = {"bozo": bool(d.bozo), "version": d.get("version", ""),
                       "titles": titles}
            except Exception as e:  # measuring only: record and go on
                rec = {"error": repr(e), "titles": []}
            rec["path"] = os.path.relpath(path, root)
            print(json.dumps(rec))


if __name__ == "__main__":
    main(sys.argv[1])

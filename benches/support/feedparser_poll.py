"""The poll bench's point of comparison: fetch and parse every feed in a
list with requests + feedparser on 8 threads, as a small Python reader
would, and print `<seconds> <feeds> <entries>` on one line.

Run by `cargo bench --bench poll` when TRICORDER_BENCH_PYTHON names a Python
that has both packages (the bench never installs them). Usage:
    python feedparser_poll.py URLS_FILE
"""
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import feedparser
import requests


def fetch(session_url):
    url = session_url
    r = requests.get(url, timeout=30)
    r.raise_for_status()
    return len(feedparser.parse(r.content).entries)


def main():
    with open(sys.argv[1]) as f:
        urls = [line.strip() for line in f if line.strip()]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        entries = sum(pool.map(fetch, urls))
    print(f"{time.monotonic() - started:.3f} {len(urls)} {entries}")


if __name__ == "__main__":
    main()

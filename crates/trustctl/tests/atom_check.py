"""Reads an Atom feed with two independent parsers and prints what they saw as JSON.

Used by crates/trustctl/tests/feed.rs. xml.etree (the standard library) checks that the file is
well-formed XML and has the elements RFC 4287 requires (atom:feed with exactly one id, title and
updated, an author; every atom:entry with exactly one id, title and updated, and an alternate
link); feedparser (the PyPI/Debian package) must read it without a "bozo" error. Exits non-zero
with a message on the first problem.
"""

import json
import re
import sys
import xml.etree.ElementTree as ET

import feedparser

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def exactly_one(parent, name, where):
    found = parent.findall(ATOM + name)
    if len(found) != 1:
        fail(f"{where}: {len(found)} atom:{name} elements, RFC 4287 wants exactly one")
    return found[0]


def main(path):
    with open(path, "rb") as handle:
        data = handle.read()
    root = ET.fromstring(data)
    if root.tag != ATOM + "feed":
        fail(f"root element is {root.tag}, not atom:feed")
    for name in ("id", "title", "updated"):
        exactly_one(root, name, "feed")
    if not RFC3339.match(root.find(ATOM + "updated").text or ""):
        fail("feed updated is not an RFC 3339 date-time")
    entries = root.findall(ATOM + "entry")
    if not root.findall(ATOM + "author") and any(not e.findall(ATOM + "author") for e in entries):
        fail("an entry has no author and the feed has none either")
    seen = []
    for index, entry in enumerate(entries):
        where = f"entry {index}"
        for name in ("id", "title", "updated"):
            exactly_one(entry, name, where)
        if not RFC3339.match(entry.find(ATOM + "updated").text or ""):
            fail(f"{where}: updated is not an RFC 3339 date-time")
        alternates = [l for l in entry.findall(ATOM + "link") if l.get("rel", "alternate") == "alternate"]
        if len(alternates) != 1:
            fail(f"{where}: {len(alternates)} alternate links")
        seen.append({
            "id": entry.find(ATOM + "id").text,
            "title": entry.find(ATOM + "title").text,
            "summary": entry.find(ATOM + "summary").text,
            "updated": entry.find(ATOM + "updated").text,
            "link": alternates[0].get("href"),
            "category": [c.get("term") for c in entry.findall(ATOM + "category")],
        })
    ids = [e["id"] for e in seen]
    if len(set(ids)) != len(ids):
        fail("entry ids are not unique")

    parsed = feedparser.parse(data)
    if parsed.bozo:
        fail(f"feedparser: {parsed.bozo_exception!r}")
    if parsed.version != "atom10":
        fail(f"feedparser reads it as {parsed.version!r}, not atom10")
    print(json.dumps({
        "feed_id": root.find(ATOM + "id").text,
        "feed_title": root.find(ATOM + "title").text,
        "feed_updated": root.find(ATOM + "updated").text,
        "self": [l.get("href") for l in root.findall(ATOM + "link") if l.get("rel") == "self"],
        "entries": seen,
        "feedparser": {
            "title": parsed.feed.get("title"),
            "entries": [
                {"id": e.get("id"), "title": e.get("title"), "link": e.get("link"),
                 "summary": e.get("summary"), "updated": e.get("updated"),
                 "tags": [t.get("term") for t in e.get("tags", [])]}
                for e in parsed.entries
            ],
        },
    }))


if __name__ == "__main__":
    main(sys.argv[1])

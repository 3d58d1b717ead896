"""Mend Material's Chinese query segmentation in the built search worker (Material 9.x, MIT licence).

Material segments a Han query greedily against the tokens of the search index, but its loop never tries a
slice that ends at the query's last character: "党费" became "党", "主题党日" became "主题 党", and a search for
a term found every page with 党 in it. It also glued a Han run to the digits beside it ("连续6个月" was one
term that matches nothing), stopped at the first character that starts no token ("经管学生" searched
only for 经: no token starts with 管) and gave every segment but the last a second wildcard ("机电**"),
which the result list then showed as a missing term (缺少: 机电*). The mended segmenter and join are
below; each original must occur exactly once, so a Material release that changes the code is reported
instead of silently left unmended.
"""

from __future__ import annotations

import json
from pathlib import Path

# (Material's minified code, the mended code, what it means): the names are those of 9.8.x's bundle.
PATCHES: tuple[tuple[str, str, str], ...] = (
    # segment(query, index): wordcuts n[i] = length of the longest index token that starts at i
    ('function fe(t,e){let r=new Set,n=new Uint16Array(t.length);'
     'for(let s=0;s<t.length;s++)for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s);'
     'let i=[0];for(let s=i.length;s>0;){let o=i[--s];'
     'for(let u=1;u<n[o];u++)n[o+u]>n[o]-u&&(r.add(t.slice(o,o+u)),i[s++]=o+u);'
     'let a=o+n[o];n[a]&&a<t.length-1&&(i[s++]=a),r.add(t.slice(o,a))}return r.has("")?new Set([t]):r}',
     'function fe(t,e){let r=new Set,n=new Uint16Array(t.length);'
     'for(let s=0;s<t.length;s++)for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s);'
     'let i=[0];for(let s=i.length;s>0;){let o=i[--s];'
     'for(let u=1;u<n[o];u++)n[o+u]>n[o]-u&&(r.add(t.slice(o,o+u)),i[s++]=o+u);'
     'let a=o+Math.max(n[o],1);for(;a<t.length&&!n[a];)a++;a<t.length&&(i[s++]=a),n[o]&&r.add(t.slice(o,o+n[o]))}'
     'return r.size?r:new Set([t])}',
     "a token may end at the query's last character; a character no token starts with is skipped, "
     "not the end of the query"),
    ('s=>[...fe(s,this.index.invertedIndex)].join("* ")',
     's=>" "+[...fe(s,this.index.invertedIndex)].join(" ")+" "',
     "a Han run is a term of its own beside digits and Latin letters, each segment one term"),
)


def mend(script: str) -> tuple[str, list[str]]:
    """The worker's code with every patch applied, and the patches whose original code was not found once."""
    missing = []
    for old, new, meaning in PATCHES:
        if script.count(old) == 1:
            script = script.replace(old, new)
        elif script.count(new) != 1:
            missing.append(meaning)
    return script, missing


def mend_site(site: Path) -> list[str]:
    """Mend the search worker(s) of a built site in place; the patches that could not be applied."""
    workers = sorted((site / "assets/javascripts/workers").glob("search.*.min.js"))
    if not workers:
        return ["Material's search worker was not found"]
    missing: list[str] = []
    for worker in workers:
        script, gaps = mend(worker.read_text(encoding="utf-8"))
        worker.write_text(script, encoding="utf-8")
        missing += gaps
    return missing


def compact_index(site: Path) -> None:
    """search_index.json in UTF-8: Material writes it with every Han character and every U+200B between
    jieba's tokens escaped (\\u4e00: six bytes for three), which made the index of a Chinese site almost
    twice its size. The same JSON value, so the search worker reads exactly what it read before."""
    path = site / "search/search_index.json"
    if path.is_file():
        index = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

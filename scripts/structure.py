#!/usr/bin/env python3
"""The code's structure, checked (`make structure`, part of `make test`):

- no crate's modules import each other round a circle (`crate::a` and `super::a` paths, unit
  tests left out), so every crate reads bottom up;
- the front ends stay thin: no file of the CLI over 600 lines (ARCHITECTURE.md);
- the store stays a store: none of the network, keyring or async crates among its
  dependencies.

Prints what it found and exits 1 on any breach.
"""
import os
import re
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRATES = ["crates/roadmap-core", "crates/roadmap-store", "crates/roadmap-app",
          "crates/roadmap-cli", "src-tauri"]
MAX_LINES = {"crates/roadmap-cli/src": 600}
STORE_MUST_NOT_USE = {"ureq", "url", "libdav", "http", "keyring", "tokio", "bytes",
                      "tower-service", "http-body-util", "base64"}


def modules(src):
    out = {}
    for folder, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(folder, f), src)[:-3].replace(os.sep, "::")
            rel = rel[:-5] if rel.endswith("::mod") else rel
            if rel in ("lib", "main"):
                continue
            text = open(os.path.join(folder, f), encoding="utf-8").read()
            text = text.split("#[cfg(test)]")[0]
            out[rel] = re.sub(r"//[^\n]*", "", text)
    return out


def edges(mods):
    names = set(mods)
    graph = {m: set() for m in mods}
    for m, text in mods.items():
        paths = []
        for g in re.finditer(r"crate::\{([^}]*)\}", text):
            paths += [p.strip() for p in g.group(1).split(",")]
        paths += re.findall(r"crate::([a-z_][a-z_0-9]*(?:::[a-z_][a-z_0-9]*)*)", text)
        parent = "::".join(m.split("::")[:-1])
        paths += [(parent + "::" if parent else "") + s
                  for s in re.findall(r"super::([a-z_][a-z_0-9]*)", text)]
        for p in paths:
            parts = p.split("::")
            for k in range(len(parts), 0, -1):
                cand = "::".join(parts[:k])
                if cand in names:
                    if cand != m and not m.startswith(cand + "::"):
                        graph[m].add(cand)
                    break
    return graph


def circles(graph):
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def main():
    bad = []
    for crate in CRATES:
        graph = edges(modules(os.path.join(ROOT, crate, "src")))
        found = circles(graph)
        for c in found:
            bad.append(f"{crate}: modules import each other round a circle: {', '.join(c)}")
        if not found:
            print(f"{crate}: {len(graph)} modules, no import circle")
    for folder, limit in MAX_LINES.items():
        for f in sorted(os.listdir(os.path.join(ROOT, folder))):
            n = sum(1 for _ in open(os.path.join(ROOT, folder, f), encoding="utf-8"))
            if n > limit:
                bad.append(f"{folder}/{f}: {n} lines, more than {limit}")
    with open(os.path.join(ROOT, "crates/roadmap-store/Cargo.toml"), "rb") as f:
        deps = set(tomllib.load(f).get("dependencies", {}))
    for d in sorted(deps & STORE_MUST_NOT_USE):
        bad.append(f"crates/roadmap-store depends on {d}: the store is SQLite only")
    for b in bad:
        print("error:", b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

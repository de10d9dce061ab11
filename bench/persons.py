#!/usr/bin/env python3
"""The case record's benchmarks (issue 15): person search over synthetic persons, a person page
with many diary entries, and the server's peak memory, on SQLite and PostgreSQL, with DuckDB
answering the same searches on the same data for the ratio.

    python3 bench/persons.py --persons 1000000 --backend both

What is measured and how to read it: bench/README.md, "Case record". Exit code 0 when every
step ran and every target was met, 1 when a target was missed, 2 when something could not run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (BENCH_DIR, REPO_DIR, WRK_LUA, BenchError, check_ok, ensure_wrk, free_port,  # noqa: E402
                 git_commit, machine, run_child, stop_server, tail)

TARGET_P95_MS = 50.0
CONNECTIONS, THREADS = 200, 2
QUERIES = 400

# wrk walks a list of paths, one per request, so the search is not one cached query.
PATHS_LUA = r"""
local paths = {}
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
""" + WRK_LUA


def ambito_cmd(binary: Path, database: str, *args) -> list[str]:
    return [str(binary), "--database", database, *map(str, args)]


def pg_database(server: str) -> tuple[str, str]:
    name = f"ambito_bench_{os.getpid()}_{secrets.token_hex(3)}"
    run = subprocess.run(["psql", f"{server}/postgres", "-qc", f"CREATE DATABASE {name}"], capture_output=True, text=True)
    if run.returncode != 0:
        raise BenchError(f"cannot create the PostgreSQL database on {server}: {run.stderr.strip()}")
    return f"{server}/{name}", name


def drop_pg(server: str, name: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)


def queries(persons_csv: Path, n: int, seed: int) -> list[tuple[str, str]]:
    """(kind, text) a front desk types: a codice fiscale, a surname prefix, surname and name,
    a name and surname, and a surname with one letter wrong."""
    rng = random.Random(seed)
    with persons_csv.open(encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter=";"))[1:]
    picked = rng.sample(rows, min(n, len(rows)))
    out = []
    for i, r in enumerate(picked):
        cf, cognome, nome = r[0], r[1], r[2]
        kind = ["cf", "prefix", "full", "name_first", "typo"][i % 5]
        if kind == "cf":
            text = cf
        elif kind == "prefix":
            text = cognome[: max(3, len(cognome) - 2)]
        elif kind == "full":
            text = f"{cognome} {nome}"
        elif kind == "name_first":
            text = f"{nome} {cognome}"
        else:
            k = rng.randrange(1, len(cognome)) if len(cognome) > 1 else 0
            text = cognome[:k] + ("a" if cognome[k:k + 1] != "a" else "e") + cognome[k + 1:]
        out.append((kind, text))
    return out


def http(method: str, url: str, token: str, data: dict | None = None) -> tuple[int, dict, bytes]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, method=method, headers={"Authorization": f"Bearer {token}"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def wrk(paths: list[str], base: str, token: str, seconds: int, work: Path, name: str, connections: int = CONNECTIONS) -> dict:
    listing = work / f"{name}.paths"
    listing.write_text("\n".join(paths) + "\n")
    lua = work / f"{name}.lua"
    lua.write_text(PATHS_LUA)
    run = subprocess.run([ensure_wrk(), f"-t{min(THREADS, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                          "-H", f"Authorization: Bearer {token}", "-s", str(lua), base, "--", str(listing)],
                         capture_output=True, text=True, timeout=seconds + 120)
    m = re.search(r"^WRK_JSON (\{.*\})$", run.stdout, re.M)
    if run.returncode != 0 or not m:
        raise BenchError(f"wrk failed (exit {run.returncode}): {run.stderr.strip() or run.stdout.strip()}")
    return json.loads(m.group(1))


def duckdb_search(persons_csv: Path, qs: list[tuple[str, str]], work: Path) -> dict:
    """The same searches in DuckDB on the same file: a codice fiscale by equality, the rest as
    an accent- and case-insensitive prefix of "surname name" or "name surname" (`ILIKE`), top 20.
    DuckDB has no typo rule; a typo query is the same prefix query (and finds nothing)."""
    import duckdb

    con = duckdb.connect(str(work / "persons.duckdb"))
    start = time.perf_counter()
    con.execute(f"CREATE TABLE person AS SELECT * FROM read_csv('{persons_csv}', delim=';', header=true, all_varchar=true)")
    con.execute("ALTER TABLE person ADD COLUMN k1 VARCHAR; ALTER TABLE person ADD COLUMN k2 VARCHAR")
    con.execute("UPDATE person SET k1 = upper(strip_accents(cognome || ' ' || nome)), k2 = upper(strip_accents(nome || ' ' || cognome))")
    load = time.perf_counter() - start
    sql = ("SELECT codice_fiscale, cognome, nome, data_nascita FROM person WHERE codice_fiscale = $cf "
           "OR k1 LIKE $p OR k2 LIKE $p ORDER BY cognome, nome, codice_fiscale LIMIT 20")
    times, hits = [], 0
    for kind, text in qs:
        p = text.upper() + "%"
        t0 = time.perf_counter()
        rows = con.execute(sql, {"cf": text.upper(), "p": p}).fetchall()
        times.append(time.perf_counter() - t0)
        hits += bool(rows)
    con.close()
    times.sort()
    return {"load_seconds": round(load, 3), "queries": len(times), "found": hits,
            "p50_ms": round(statistics.median(times) * 1000, 3),
            "p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 3), "threads": None}


def one_backend(args, backend: str, binary: Path, data: Path, first: str, qs, work: Path) -> dict:
    out: dict = {"backend": backend}
    pg_name = None
    if backend == "postgres":
        database, pg_name = pg_database(args.pg.rstrip("/"))
    else:
        database = f"sqlite://{work / 'persons.db'}"
    env = dict(os.environ, LANG="C", LC_ALL="C", NO_COLOR="1")
    amb = lambda *a: ambito_cmd(binary, database, *a)  # noqa: E731
    try:
        # The first Ambito's catalogue (the case's service) needs its territory, population and targets.
        for what, argv in [("migrate", amb("migrate")), ("import territory", amb("import", "territory", data / "territory.csv")),
                           ("import population", amb("import", "population", data / "population-2025.csv", "--year", 2025)),
                           ("import targets", amb("import", "targets", data / "targets.csv")),
                           ("import activity", amb("import", "activity", data / first / "activity-2025.csv", "--ambito", first))]:
            check_ok(run_child(argv, env=env), f"ambito {what}")
        print(f"  [{backend}] import persons ({args.persons} rows)...", flush=True)
        r = check_ok(run_child(amb("import", "persons", data / "persons.csv", "--ambito", first), env=env), "ambito import persons")
        out["import"] = {"rows": args.persons, "seconds": round(r["seconds"], 3), "rows_per_s": round(args.persons / r["seconds"], 1),
                         "peak_rss_kib": r["rss_kib"]}
        again = check_ok(run_child(amb("import", "persons", data / "persons.csv", "--ambito", first), env=env), "re-import")
        out["reimport"] = {"seconds": round(again["seconds"], 3), "peak_rss_kib": again["rss_kib"],
                           "unchanged": "0 nuove, 0 aggiornate" in again["stdout"] or "0 new, 0 updated" in again["stdout"]}
        # The page's person: the first of the file, in a case whose manager is the bench user.
        with (data / "persons.csv").open(encoding="utf-8") as f:
            page_cf = list(csv.reader([f.readlines()[1]], delimiter=";"))[0][0]
        pw = dict(env, AMBITO_PASSWORD="bench-" + secrets.token_hex(16))
        check_ok(run_child(amb("user", "create", "--username", "bench.as", "--name", "Benchmark", "--role", "assistente_sociale",
                               "--ambito", first), env=pw), "ambito user create")
        tok = check_ok(run_child(amb("token", "create", "--user", "bench.as", "--name", "wrk", "--scopes", "person.read,person.write"),
                                 env=pw), "ambito token create")
        token = tok["stdout"].strip().splitlines()[-1].strip()
        cases = work / f"cases-{backend}.csv"
        cases.write_text(f"codice_fiscale;servizio;ente;data_apertura;data_chiusura;stato;area;operatore\n"
                         f"{page_cf};SAD;;2024-01-10;;erogazione;anziani;bench.as\n")
        check_ok(run_child(amb("import", "cases", cases, "--ambito", first), env=env), "ambito import cases")
        port = free_port()
        log = open(work / f"serve-{backend}.log", "wb")
        server = subprocess.Popen(amb("serve", "--listen", f"127.0.0.1:{port}"), stdout=log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 60
            while True:
                if server.poll() is not None:
                    raise BenchError(f"ambito serve exited:\n{tail((work / f'serve-{backend}.log').read_text(errors='replace'))}")
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2).read()
                    break
                except OSError:
                    if time.time() > deadline:
                        raise BenchError("ambito serve did not answer within 60 s") from None
                    time.sleep(0.2)
            status, headers, _ = http("GET", f"{base}/ambiti/{first}/persone?cf={page_cf}", token)
            loc = headers.get("location") or headers.get("Location") or ""
            m = re.search(r"/persone/(\d+)", loc)
            if not m:
                raise BenchError(f"search by cf answered {status} without the person's page ({loc!r})")
            person = m.group(1)
            print(f"  [{backend}] {args.notes} diary entries...", flush=True)
            t0 = time.perf_counter()
            for i in range(args.notes):
                s, _, body = http("POST", f"{base}/ambiti/{first}/persone/{person}/note", token,
                                  {"tipo": "sociale", "testo": f"Colloquio n. {i + 1}: aggiornamento del progetto e delle condizioni."})
                if s not in (200, 303):
                    raise BenchError(f"POST note answered {s}: {body[:300]!r}")
            out["notes"] = {"count": args.notes, "seconds": round(time.perf_counter() - t0, 3)}
            # The one-box search (`?q=`) when this build has it, else the search by codice fiscale.
            # The list page answers `?q=` too (ignoring it): the one-box search is there only when
            # a person outside the caller's cases shows up by surname.
            with (data / "persons.csv").open(encoding="utf-8") as f:
                probe = list(csv.reader([f.readlines()[2]], delimiter=";"))[0]
            s, _, body = http("GET", f"{base}/ambiti/{first}/persone?q={urllib.parse.quote(probe[1])}", token)
            one_box = s == 200 and probe[0].encode() in body
            if one_box:
                paths = [f"/ambiti/{first}/persone?q={urllib.parse.quote(t)}" for _, t in qs]
                out["search_route"] = "/ambiti/{code}/persone?q=TEXT (one box)"
            else:
                paths = [f"/ambiti/{first}/persone?cf={urllib.parse.quote(t)}" for k, t in qs if k == "cf"]
                out["search_route"] = f"/ambiti/{{code}}/persone?cf=CF (the one-box ?q= answered {s}: not in this build)"
            print(f"  [{backend}] wrk search ({args.seconds} s, {CONNECTIONS} connections)...", flush=True)
            out["search"] = wrk(paths, base, token, args.seconds, work, f"search-{backend}")
            # One connection, one search after the other: the latency a front desk sees on an
            # idle server, and the like-for-like comparison with DuckDB's sequential searches.
            print(f"  [{backend}] wrk search ({args.seconds} s, 1 connection)...", flush=True)
            out["search_one"] = wrk(paths, base, token, args.seconds, work, f"search1-{backend}", connections=1)
            print(f"  [{backend}] wrk person page ({args.seconds} s)...", flush=True)
            s, _, body = http("GET", f"{base}/ambiti/{first}/persone/{person}", token)
            out["page_bytes"] = len(body)
            if s != 200:
                raise BenchError(f"person page answered {s}")
            out["page"] = wrk([f"/ambiti/{first}/persone/{person}"], base, token, args.seconds, work, f"page-{backend}")
            out["page_one"] = wrk([f"/ambiti/{first}/persone/{person}"], base, token, args.seconds, work, f"page1-{backend}", connections=1)
        finally:
            out["server_peak_rss_kib"] = stop_server(server)
            log.close()
    finally:
        if pg_name:
            drop_pg(args.pg.rstrip("/"), pg_name)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description="case-record benchmarks (bench/README.md)")
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--notes", type=int, default=500, help="diary entries on the benchmarked person page")
    ap.add_argument("--seconds", type=int, default=15, help="wrk duration per endpoint")
    ap.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--pg", default=os.environ.get("AMBITO_TEST_PG") or "postgres://postgres@127.0.0.1:5432")
    ap.add_argument("--binary", default=str(REPO_DIR / "target" / "release" / "ambito"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--smoke", action="store_true", help="CI: 2,000 persons, 50 entries, 3 s per endpoint, SQLite")
    args = ap.parse_args()
    if args.smoke:
        args.persons, args.notes, args.seconds, args.backend = 2000, 50, 3, "sqlite"
    binary = Path(args.binary).resolve()
    if not binary.is_file():
        print(f"error: no ambito binary at {binary} (--binary PATH)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="ambito-persons-bench-"))
    started = dt.datetime.now()
    report: dict = {"date": started.date().isoformat(), "persons": args.persons, "notes": args.notes, "seconds": args.seconds,
                    "connections": CONNECTIONS, "machine": machine(), "binary": str(binary), "commit": git_commit(),
                    "smoke": args.smoke, "target_p95_ms": TARGET_P95_MS}
    try:
        data = work / "data"
        env = dict(os.environ, LANG="C", LC_ALL="C")
        check_ok(run_child([str(binary), "synth", "--scale", "small", "-o", str(data)], env=env), "ambito synth")
        r = check_ok(run_child([str(binary), "synth", "--scale", "small", "--persons", str(args.persons), "-o", str(data)], env=env),
                     "ambito synth --persons")
        report["synth_persons_seconds"] = round(r["seconds"], 3)
        first = sorted(p.name for p in data.iterdir() if (p / "activity-2025.csv").is_file())[0]
        qs = queries(data / "persons.csv", QUERIES, args.seed)
        print(f"DuckDB: {len(qs)} searches...", flush=True)
        report["duckdb"] = duckdb_search(data / "persons.csv", qs, work)
        backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
        report["backends"] = {}
        for b in backends:
            print(f"ambito on {b}:", flush=True)
            res = one_backend(args, b, binary, data, first, qs, work)
            res["search_ratio_p95"] = round(res["search"]["p95_ms"] / report["duckdb"]["p95_ms"], 2) if report["duckdb"]["p95_ms"] else None
            res["search_one_ratio_p95"] = (round(res["search_one"]["p95_ms"] / report["duckdb"]["p95_ms"], 2)
                                           if report["duckdb"]["p95_ms"] else None)
            report["backends"][b] = res
        out_dir = BENCH_DIR / "results"
        out_dir.mkdir(exist_ok=True)
        out_file = out_dir / f"{report['date']}-persons{'-smoke' if args.smoke else ''}.json"
        out_file.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        met = print_table(report)
        print(f"\nwritten {out_file}")
        return 0 if met else 1
    except BenchError as e:
        print(f"\nerror: {e}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            import shutil
            shutil.rmtree(work, ignore_errors=True)


def print_table(r: dict) -> bool:
    d = r["duckdb"]
    print(f"\ncase record: {r['persons']} persons, page with {r['notes']} diary entries, wrk {r['connections']} connections, "
          f"{r['seconds']} s per endpoint; DuckDB search p95 {d['p95_ms']} ms (in process, {d['queries']} queries)")
    print(f"{'backend':<9} {'import rows/s':>13} {'import s':>9} {'RSS MiB':>8} | {'search p50':>10} {'p95':>7} {'req/s':>8} "
          f"{'vs DuckDB':>9} | {'page p50':>8} {'p95':>7} {'req/s':>8} | {'server MiB':>10}")
    met = True
    for b, x in r["backends"].items():
        s, p = x["search"], x["page"]
        errors = sum(s[k] + p[k] for k in ("errors_connect", "errors_read", "errors_write", "errors_timeout"))
        met &= s["p95_ms"] < TARGET_P95_MS and p["p95_ms"] < TARGET_P95_MS and errors == 0
        print(f"{b:<9} {x['import']['rows_per_s']:>13.0f} {x['import']['seconds']:>9.1f} {x['import']['peak_rss_kib'] / 1024:>8.0f} | "
              f"{s['p50_ms']:>10.2f} {s['p95_ms']:>7.2f} {s['rps']:>8.0f} {x['search_ratio_p95'] or 0:>9.2f} | "
              f"{p['p50_ms']:>8.2f} {p['p95_ms']:>7.2f} {p['rps']:>8.0f} | {(x['server_peak_rss_kib'] or 0) / 1024:>10.0f}")
        s1, p1 = x["search_one"], x["page_one"]
        print(f"          1 connection: search p50 {s1['p50_ms']:.2f} p95 {s1['p95_ms']:.2f} ms ({s1['rps']:.0f} req/s, "
              f"{x['search_one_ratio_p95'] or 0:.2f}x DuckDB's p95); page p50 {p1['p50_ms']:.2f} p95 {p1['p95_ms']:.2f} ms")
        print(f"          search route: {x['search_route']}; re-import {x['reimport']['seconds']} s "
              f"(unchanged: {x['reimport']['unchanged']}); socket errors {errors}, non-2xx/3xx {s['non_2xx_3xx'] + p['non_2xx_3xx']}")
    print(f"target p95 < {TARGET_P95_MS:.0f} ms on search and page: {'met' if met else 'NOT met'}")
    return met


if __name__ == "__main__":
    sys.exit(main())

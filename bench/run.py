#!/usr/bin/env python3
"""ambito against DuckDB on the same synthetic region, with an answer check.

    python3 bench/run.py --scale region --http

Python 3.11, the standard library and `duckdb` (bench/requirements.txt). What is measured and how
to read the output: bench/README.md. Exit code: 0 when every answer matched, 1 when an answer
differs, 2 when something could not be run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
import urllib.error
import urllib.request
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
YEAR = 2025
HTTP_CONNECTIONS, HTTP_THREADS, HTTP_SECONDS = 200, 2, 15
Q4_SERVICE = "SAD"

QUESTIONS = {
    "q1": "Q1 load delivery events",
    "q2": "Q2 region indicator table",
    "q3": "Q3 one Ambito's report data",
    "q4": "Q4 one person's history",
}


class BenchError(Exception):
    """Something could not be run; the message says what and shows the command's stderr."""


# ---------------------------------------------------------------------------------------------
# Running commands: wall time and peak RSS of exactly that child (wait4 gives its rusage).


def run_child(argv: list[str], *, cwd: Path | None = None, env: dict | None = None, what: str = "") -> dict:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd, env=env)
        except OSError as e:
            raise BenchError(f"{what or argv[0]}: cannot start {argv[0]}: {e}") from e
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    # ru_maxrss is in KiB on Linux.
    return {"argv": argv, "seconds": seconds, "rss_kib": usage.ru_maxrss, "rc": proc.returncode,
            "stdout": stdout, "stderr": stderr}


def tail(text: str, lines: int = 25) -> str:
    kept = text.strip().splitlines()[-lines:]
    return "\n".join("    " + line for line in kept) if kept else "    (nothing)"


def check_ok(result: dict, what: str) -> dict:
    if result["rc"] != 0:
        raise BenchError(
            f"{what} failed (exit code {result['rc']}):\n  $ {' '.join(map(str, result['argv']))}\n"
            f"  stderr:\n{tail(result['stderr'])}\n  stdout:\n{tail(result['stdout'], 10)}")
    return result


def public(result: dict) -> dict:
    """What goes into the JSON for one command run."""
    return {"argv": [str(a) for a in result["argv"]], "seconds": round(result["seconds"], 6),
            "peak_rss_kib": result["rss_kib"]}


# ---------------------------------------------------------------------------------------------
# Numbers as ambito writes them (mirror of crates/domain/src/number.rs, Italian style).


def parse_it(raw: str | None) -> Decimal | None:
    """`1.234,56` -> Decimal; blank -> None; `-` (zero amount) -> 0. Raises ValueError."""
    if raw is None:
        return None
    text = raw.strip().strip("€").replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if text == "":
        return None
    if text == "-":
        return Decimal(0)
    sign = ""
    if text[0] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:]
    if not text or not re.fullmatch(r"[0-9.,]+", text):
        raise ValueError(f"not a number: {raw!r}")
    if "," in text:
        whole, _, frac = text.partition(",")
        whole = whole.replace(".", "")
    else:
        groups = text.split(".")
        lone_dot_decimal = len(groups) == 2 and (
            len(groups[1]) != 3 or groups[0] == "" or len(groups[0]) > 3 or groups[0] == "0")
        if lone_dot_decimal:
            whole, frac = groups
        else:
            whole, frac = text.replace(".", ""), ""
    if frac and not frac.isdigit():
        raise ValueError(f"not a number: {raw!r}")
    try:
        return Decimal(f"{sign}{whole or '0'}.{frac}" if frac else f"{sign}{whole}")
    except InvalidOperation as e:
        raise ValueError(f"not a number: {raw!r}") from e


def dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def round2(exact: Decimal | None) -> Decimal | None:
    """Half-up at 2 decimals: how ambito displays hours (DuckDB's sum is exact)."""
    return None if exact is None else exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse_date(text: str) -> dt.date:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise ValueError(f"not a date: {text!r}")


def sniff_dateformat(path: Path) -> str:
    """DuckDB strptime format of the `data` column, read off the first event of a file."""
    with open(path, encoding="utf-8-sig") as f:
        f.readline()
        first = f.readline().split(";")[0].strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d"):
        try:
            dt.datetime.strptime(first, fmt)
            return fmt
        except ValueError:
            pass
    raise BenchError(f"{path}: cannot tell the date format of {first!r}")


def read_csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    if not rows:
        raise BenchError(f"{path}: empty file")
    return [h.strip() for h in rows[0]], [r for r in rows[1:] if any(c.strip() for c in r)]


def count_data_lines(path: Path) -> int:
    lines, last = 0, b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    if last != b"\n":
        lines += 1
    return lines - 1  # header


# ---------------------------------------------------------------------------------------------
# The DuckDB side. It runs in its own process (`--duckdb-worker SPEC`) so that its peak RSS is
# DuckDB's and not the orchestrator's.

DUCKDB_MACROS = r"""
-- Italian number in a VARCHAR -> DECIMAL(18,4); blank -> NULL; '-' -> 0 (mirror of number.rs).
CREATE OR REPLACE MACRO it_num(x) AS (
  CASE
    WHEN x IS NULL OR trim(x) = '' THEN NULL
    WHEN trim(x) = '-' THEN 0::DECIMAL(18,4)
    WHEN contains(x, ',') THEN TRY_CAST(replace(replace(trim(x), '.', ''), ',', '.') AS DECIMAL(18,4))
    WHEN regexp_full_match(trim(x), '[+-]?[0-9]*\.[0-9]+')
         AND NOT regexp_full_match(trim(x), '[+-]?[1-9][0-9]{0,2}\.[0-9]{3}')
      THEN TRY_CAST(trim(x) AS DECIMAL(18,4))
    ELSE TRY_CAST(replace(trim(x), '.', '') AS DECIMAL(18,4))
  END);
-- n / d rounded half away from zero at 2 decimals, exactly. DuckDB divides DECIMALs as DOUBLE,
-- so the division is done on integers (both sides scaled by 10^4) and only the result is a
-- DECIMAL(38,2). NULL when either side is NULL or d = 0, like ambito's blank.
CREATE OR REPLACE MACRO r2(n, d) AS (
  CASE WHEN n IS NULL OR d IS NULL OR d = 0 THEN NULL ELSE
    (sign(n) * sign(d)
      * ((200 * abs((n::DECIMAL(38,4) * 10000)::HUGEINT) + abs((d::DECIMAL(38,4) * 10000)::HUGEINT)) // (2 * abs((d::DECIMAL(38,4) * 10000)::HUGEINT)))
    )::DECIMAL(38,0) * 0.01
  END);
"""


def sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_list(paths: list[Path]) -> str:
    return "[" + ", ".join(sql_str(str(p)) for p in paths) + "]"


def duckdb_untimed_loads(con, data: Path, ambiti: list[str]) -> None:
    def varchar_csv(paths: list[Path], names: list[str], extra: str = "") -> str:
        cols = "{" + ", ".join(f"{sql_str(n)}: 'VARCHAR'" for n in names) + "}"
        return (f"read_csv({sql_list(paths)}, delim=';', header=true, quote='\"', columns={cols}"
                f"{extra})")

    con.execute(f"""CREATE TABLE territory AS SELECT * FROM {varchar_csv([data / 'territory.csv'], [
        'codice_regione', 'regione', 'codice_ats', 'ats', 'codice_distretto', 'distretto',
        'codice_ambito', 'ambito', 'codice_istat', 'comune'])}""")
    con.execute(f"""CREATE TABLE population AS
        SELECT trim(codice_istat) AS codice_istat,
               regexp_extract(eta, '^\\s*([0-9]+)', 1)::INTEGER AS eta,
               it_num(totale) AS totale
        FROM {varchar_csv([data / f'population-{YEAR}.csv'], [
            'codice_istat', 'comune', 'eta', 'maschi', 'femmine', 'totale'])}
        WHERE regexp_extract(eta, '^\\s*([0-9]+)', 1) <> '999'""")
    con.execute(f"""CREATE TABLE targets AS
        SELECT trim(codice_ambito) AS codice_ambito, trim(nome) AS nome,
               coalesce(it_num(eta_min), 0) AS eta_min, it_num(eta_max) AS eta_max,
               nullif(trim(comuni), '') AS comuni, it_num(valore) AS valore
        FROM {varchar_csv([data / 'targets.csv'], [
            'codice_ambito', 'nome', 'eta_min', 'eta_max', 'comuni', 'valore'])}""")
    activity_files = [data / a / f"activity-{YEAR}.csv" for a in ambiti]
    con.execute(f"""CREATE TABLE activity AS
        SELECT regexp_extract(filename, '([^/]+)/[^/]+$', 1) AS codice_ambito,
               trim(codice_servizio) AS codice_servizio, nullif(trim(popolazione_target), '') AS popolazione_target,
               it_num(budget) AS budget
        FROM {varchar_csv(activity_files, [
            'anno', 'area', 'codice_servizio', 'servizio', 'codice_padre', 'utenti_in_carico',
            'domande_pervenute', 'beneficiari', 'ore_erogate', 'accessi', 'visite_domiciliari',
            'indicatore', 'popolazione_target', 'budget'], ", filename=true")}
        WHERE trim(anno) = '{YEAR}' AND upper(trim(codice_servizio)) <> 'TOTALE'
          AND upper(trim(area)) <> 'TOTALE AMBITO'""")


def duckdb_q1_sql(files: list[Path], dateformat: str) -> str:
    columns = ("{'data': 'DATE', 'codice_servizio': 'VARCHAR', 'comune_istat': 'VARCHAR', "
               "'codice_persona': 'VARCHAR', 'ore': 'DECIMAL(18,4)', 'visita_domiciliare': 'VARCHAR', "
               "'ente_erogatore': 'VARCHAR'}")
    return f"""CREATE OR REPLACE TABLE events AS
        SELECT regexp_extract(filename, '([^/]+)/[^/]+$', 1) AS codice_ambito,
               data, codice_servizio, comune_istat, codice_persona, ore, visita_domiciliare, ente_erogatore
        FROM read_csv({sql_list(files)}, delim=';', header=true, quote='"', decimal_separator=',',
                      dateformat={sql_str(dateformat)}, columns={columns}, filename=true)"""


EVENTS_2025 = f"data >= DATE '{YEAR}-01-01' AND data < DATE '{YEAR + 1}-01-01'"
IS_VISIT = "lower(trim(visita_domiciliare)) IN ('si', 'sì')"

Q2_SQL = f"""
WITH ev AS (
  SELECT codice_ambito, codice_servizio, count(DISTINCT codice_persona) AS persone,
         sum(ore) AS ore, count(*) FILTER (WHERE {IS_VISIT}) AS visite
  FROM events WHERE {EVENTS_2025}
  GROUP BY codice_ambito, codice_servizio),
target_comuni AS (           -- the Comuni a target population covers
  SELECT t.codice_ambito, t.nome, c.codice_istat
  FROM targets t JOIN territory c ON c.codice_ambito = t.codice_ambito
  WHERE t.comuni IS NULL AND t.valore IS NULL
  UNION ALL
  SELECT codice_ambito, nome, trim(unnest(string_split(comuni, ','))) AS codice_istat
  FROM targets WHERE comuni IS NOT NULL AND valore IS NULL),
target_size AS (
  SELECT t.codice_ambito, t.nome,
         coalesce(t.valore, (SELECT coalesce(sum(p.totale), 0)
                             FROM target_comuni tc JOIN population p ON p.codice_istat = tc.codice_istat
                             WHERE tc.codice_ambito = t.codice_ambito AND tc.nome = t.nome
                               AND p.eta >= t.eta_min AND (t.eta_max IS NULL OR p.eta <= t.eta_max))) AS valore
  FROM targets t),
service AS (
  SELECT a.codice_ambito, a.codice_servizio, a.budget,
         coalesce(ts.valore, it_num(a.popolazione_target)) AS target
  FROM activity a
  LEFT JOIN target_size ts ON ts.codice_ambito = a.codice_ambito AND ts.nome = a.popolazione_target)
SELECT ev.codice_ambito, ev.codice_servizio, ev.persone, ev.ore, ev.visite,
       r2(ev.ore, ev.persone) AS ore_per_persona,
       r2(ev.persone * 1000, s.target) AS persone_per_1000,
       r2(s.budget, ev.persone) AS costo_per_persona
FROM ev LEFT JOIN service s USING (codice_ambito, codice_servizio)
ORDER BY ev.codice_ambito, ev.codice_servizio
"""

Q3_SQL = f"""
SELECT codice_servizio, count(DISTINCT codice_persona) AS persone, sum(ore) AS ore,
       count(*) FILTER (WHERE {IS_VISIT}) AS visite
FROM events WHERE codice_ambito = $ambito AND {EVENTS_2025}
GROUP BY codice_servizio ORDER BY codice_servizio
"""

Q4_SQL = """
SELECT data, codice_servizio, comune_istat, codice_persona, ore, visita_domiciliare, ente_erogatore
FROM events WHERE codice_ambito = $ambito AND codice_servizio = $service AND codice_persona = $person
ORDER BY data
"""


def duckdb_worker(spec_path: Path) -> int:
    import duckdb

    spec = json.loads(spec_path.read_text())
    data, ambiti, reps = Path(spec["data"]), spec["ambiti"], spec["reps"]
    first = ambiti[0]
    delivery_files = [data / a / f"deliveries-{YEAR}.csv" for a in ambiti]
    con = duckdb.connect(spec["database"])
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute(DUCKDB_MACROS)
    out: dict = {"version": duckdb.__version__, "threads": threads, "database": spec["database"]}

    t0 = time.perf_counter()
    duckdb_untimed_loads(con, data, ambiti)
    out["untimed_loads_seconds"] = time.perf_counter() - t0

    # Q1: CREATE TABLE AS over every delivery file, into a database file (committed, durable).
    sql = duckdb_q1_sql(delivery_files, sniff_dateformat(delivery_files[0]))
    t0 = time.perf_counter()
    con.execute(sql)
    q1_seconds = time.perf_counter() - t0
    rows = con.execute("SELECT count(*) FROM events").fetchone()[0]
    per_ambito = dict(con.execute(
        "SELECT codice_ambito, count(*) FROM events GROUP BY ALL ORDER BY ALL").fetchall())
    out["q1"] = {"seconds": [q1_seconds], "rows": rows, "rows_per_ambito": per_ambito}

    # Q4's person: the one with most events in SAD of the first Ambito (ties: smallest code).
    service = Q4_SERVICE
    pick = con.execute("""SELECT codice_persona, count(*) AS n FROM events
                          WHERE codice_ambito = $a AND codice_servizio = $s
                          GROUP BY ALL ORDER BY n DESC, codice_persona LIMIT 1""",
                       {"a": first, "s": service}).fetchone()
    if pick is None:  # no SAD in this data: the busiest service of the first Ambito instead
        service = con.execute("""SELECT codice_servizio FROM events WHERE codice_ambito = $a
                                 GROUP BY ALL ORDER BY count(*) DESC, codice_servizio LIMIT 1""",
                              {"a": first}).fetchone()[0]
        pick = con.execute("""SELECT codice_persona, count(*) AS n FROM events
                              WHERE codice_ambito = $a AND codice_servizio = $s
                              GROUP BY ALL ORDER BY n DESC, codice_persona LIMIT 1""",
                           {"a": first, "s": service}).fetchone()
    out["q4_pick"] = {"ambito": first, "service": service, "person": pick[0], "events": pick[1]}

    def timed(sql: str, params: dict | None = None):
        times, result = [], None
        for _ in range(reps):
            t = time.perf_counter()
            result = con.execute(sql, params).fetchall() if params else con.execute(sql).fetchall()
            times.append(time.perf_counter() - t)
        return times, result

    s = lambda v: None if v is None else str(v)  # noqa: E731 (Decimals travel as text)
    times, result = timed(Q2_SQL)
    out["q2"] = {"seconds": times, "rows": [[r[0], r[1]] + [s(v) for v in r[2:]] for r in result]}
    times, result = timed(Q3_SQL, {"ambito": first})
    out["q3"] = {"seconds": times, "ambito": first, "rows": [[r[0]] + [s(v) for v in r[1:]] for r in result]}
    times, result = timed(Q4_SQL, {"ambito": first, "service": service, "person": pick[0]})
    out["q4"] = {"seconds": times, "rows": [[r[0].isoformat(), r[1], r[2], r[3], s(r[4]), r[5], r[6]]
                                            for r in result]}
    con.close()
    Path(spec["out"]).write_text(json.dumps(out))
    return 0


# ---------------------------------------------------------------------------------------------
# Comparisons. Each returns (equal, differences, detail).


def compare_q1(duck: dict, line_counts: dict, ambito_counts: dict | None) -> dict:
    diffs = []
    for amb, lines in line_counts.items():
        got = duck["rows_per_ambito"].get(amb, 0)
        if got != lines:
            diffs.append(f"{amb}: file has {lines} events, DuckDB loaded {got}")
        if ambito_counts is not None and ambito_counts.get(amb) != lines:
            diffs.append(f"{amb}: file has {lines} events, ambito reported {ambito_counts.get(amb)} rows imported")
    how = ("events per Ambito: file lines = DuckDB rows = ambito's 'rows imported'" if ambito_counts is not None
           else "events per Ambito: file lines = DuckDB rows (ambito printed no row count); the figures are checked in Q2-Q4")
    return {"equal": not diffs, "differences": diffs[:5], "n_differences": len(diffs), "checked": how}


Q2_HEADER = ["codice_ambito", "codice_servizio", "persone", "ore", "visite", "ore_per_persona",
             "persone_per_1000", "costo_per_persona"]


def compare_q2(path: Path, duck: dict) -> dict:
    header, rows = read_csv_rows(path)
    diffs: list[str] = []
    if header != Q2_HEADER:
        diffs.append(f"header is {';'.join(header)!r}, expected {';'.join(Q2_HEADER)!r}")
        return {"equal": False, "differences": diffs, "n_differences": 1, "rows": len(rows)}
    mine = {}
    order = []
    for n, r in enumerate(rows, start=2):
        key = (r[0].strip(), r[1].strip())
        try:
            mine[key] = [parse_it(c) for c in r[2:8]]
        except ValueError as e:
            diffs.append(f"line {n}: {e}")
            continue
        order.append(key)
    theirs = {(r[0], r[1]): [dec(v) for v in r[2:]] for r in duck["rows"]}
    if order != sorted(order):
        diffs.append("ambito's rows are not sorted by codice_ambito, codice_servizio")
    for key in sorted(set(mine) | set(theirs)):
        if key not in mine:
            diffs.append(f"{key[0]} {key[1]}: row missing in ambito (DuckDB: {fmt_vals(theirs[key])})")
            continue
        if key not in theirs:
            diffs.append(f"{key[0]} {key[1]}: row only in ambito ({fmt_vals(mine[key])})")
            continue
        a, d = mine[key], list(theirs[key])
        d[1] = round2(d[1])  # ore: DuckDB's exact sum, half-up at 2 decimals
        for col, x, y in zip(Q2_HEADER[2:], a, d):
            if x != y:
                diffs.append(f"{key[0]} {key[1]} {col}: ambito {x}, DuckDB {y}")
    return {"equal": not diffs, "differences": diffs[:5], "n_differences": len(diffs), "rows": len(rows)}


def fmt_vals(vals) -> str:
    return ";".join("" if v is None else str(v) for v in vals)


def compare_q3(path: Path, duck: dict) -> dict:
    header, rows = read_csv_rows(path)
    wanted = ["codice_servizio", "utenti_in_carico", "ore_erogate", "visite_domiciliari"]
    missing = [c for c in wanted if c not in header]
    if missing:
        return {"equal": False, "differences": [f"report CSV has no column {', '.join(missing)}"],
                "n_differences": 1, "rows": len(rows)}
    idx = [header.index(c) for c in wanted]
    report: dict[str, list] = {}
    diffs: list[str] = []
    for n, r in enumerate(rows, start=2):
        code = r[idx[0]].strip()
        if code == "" or code.upper() == "TOTALE":  # area totals and TOTALE AMBITO
            continue
        if code in report:
            diffs.append(f"line {n}: service {code} appears twice")
        try:
            report[code] = [parse_it(r[i]) for i in idx[1:]]
        except ValueError as e:
            diffs.append(f"line {n}: {e}")
    for code, persone, ore, visite in duck["rows"]:
        if code not in report:
            diffs.append(f"{code}: has events but no row in the report")
            continue
        a = report[code]
        d = [dec(persone), round2(dec(ore)), dec(visite)]
        for col, x, y in zip(wanted[1:], a, d):
            if x != y:
                diffs.append(f"{code} {col}: ambito {x}, DuckDB {y}")
    return {"equal": not diffs, "differences": diffs[:5], "n_differences": len(diffs),
            "services_compared": len(duck["rows"]), "report_rows": len(rows)}


Q4_HEADER = ["data", "codice_servizio", "comune_istat", "codice_persona", "ore", "visita_domiciliare",
             "ente_erogatore"]


def norm_event(row: list[str], parse_ore) -> tuple:
    return (parse_date(row[0]) if isinstance(row[0], str) else row[0], row[1].strip(), row[2].strip(),
            row[3].strip(), parse_ore(row[4]), row[5].strip().lower().replace("sì", "si"), row[6].strip())


def compare_q4(path: Path, duck: dict) -> dict:
    header, rows = read_csv_rows(path)
    diffs: list[str] = []
    if header != Q4_HEADER:
        diffs.append(f"header is {';'.join(header)!r}, expected {';'.join(Q4_HEADER)!r}")
        return {"equal": False, "differences": diffs, "n_differences": 1, "rows": len(rows)}
    try:
        mine = [norm_event(r, parse_it) for r in rows]
    except (ValueError, IndexError) as e:
        return {"equal": False, "differences": [f"cannot read ambito's output: {e}"], "n_differences": 1,
                "rows": len(rows)}
    theirs = [norm_event([dt.date.fromisoformat(r[0])] + r[1:], dec) for r in duck["rows"]]
    dates = [e[0] for e in mine]
    if dates != sorted(dates):
        diffs.append("ambito's events are not sorted by date")
    # Events on the same day may come in any order: compare them as multisets.
    if len(mine) != len(theirs):
        diffs.append(f"ambito has {len(mine)} events, DuckDB {len(theirs)}")
    a, d = Counter(mine), Counter(theirs)
    diffs += [f"only in DuckDB: {fmt_event(e)}" for e in sorted((d - a).elements())]
    diffs += [f"only in ambito: {fmt_event(e)}" for e in sorted((a - d).elements())]
    return {"equal": not diffs, "differences": diffs[:5], "n_differences": len(diffs), "rows": len(rows)}


def fmt_event(e: tuple) -> str:
    return ";".join(f"{v.normalize():f}" if isinstance(v, Decimal) else str(v) for v in e)


# ---------------------------------------------------------------------------------------------
# The machine.


def machine() -> dict:
    info = {"cores": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return info


# ---------------------------------------------------------------------------------------------
# HTTP load test: ambito serve + wrk.

WRK_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_JSON {\"requests\":%d,\"duration_s\":%.3f,\"rps\":%.2f,\"p50_ms\":%.3f,\"p95_ms\":%.3f,"
    .. "\"p99_ms\":%.3f,\"max_ms\":%.3f,\"errors_connect\":%d,\"errors_read\":%d,\"errors_write\":%d,"
    .. "\"errors_timeout\":%d,\"non_2xx_3xx\":%d}\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect, e.read, e.write, e.timeout, e.status))
end
"""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise BenchError("--http needs wrk (Debian package `wrk`): apt-get install -y wrk")
    print("installing wrk (apt-get install -y wrk)...", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if subprocess.run(["apt-get", "install", "-y", "wrk"], **quiet).returncode != 0:
        subprocess.run(["apt-get", "update"], **quiet)
        subprocess.run(["apt-get", "install", "-y", "wrk"], **quiet)
    found = shutil.which("wrk")
    if not found:
        raise BenchError("could not install wrk (apt-get install -y wrk failed)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 30, token: str | None = None) -> tuple[int, int]:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, len(r.read())
    except urllib.error.HTTPError as e:
        return e.code, 0


def run_checked(argv: list[str], env: dict) -> str:
    run = subprocess.run(argv, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise BenchError(f"{' '.join(argv)} failed (exit {run.returncode}):\n{tail(run.stderr or run.stdout)}")
    return run.stdout


def bench_token(binary: Path, database: str, ambito: str) -> str:
    """Every report route needs a caller: a responsabile of the Ambito with an API token that may
    only read reports, as an integration would use (the same guard, audit and checks as a browser)."""
    env = dict(os.environ, AMBITO_PASSWORD="wrk-load-" + secrets.token_hex(16))
    run_checked([str(binary), "--database", database, "user", "create", "--username", "bench", "--name", "Benchmark",
                    "--role", "responsabile", "--ambito", ambito], env=env)
    argv = [str(binary), "--database", database, "token", "create", "--user", "bench", "--name", "wrk", "--scopes", "report.read"]
    return run_checked(argv, env=env).strip().splitlines()[-1].strip()


def http_bench(binary: Path, database: str, ambito: str, work: Path) -> dict:
    wrk = ensure_wrk()
    token = bench_token(binary, database, ambito)
    lua = work / "done.lua"
    lua.write_text(WRK_LUA)
    port = free_port()
    log = open(work / "serve.log", "wb")
    argv = [str(binary), "--database", database, "serve", "--listen", f"127.0.0.1:{port}"]
    server = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    result: dict = {"connections": HTTP_CONNECTIONS, "threads": HTTP_THREADS, "seconds": HTTP_SECONDS,
                    "server": " ".join(argv), "endpoints": {}}
    try:
        deadline = time.time() + 60
        while True:
            if server.poll() is not None:
                raise BenchError(f"ambito serve exited with code {server.returncode}:\n"
                                 f"{tail((work / 'serve.log').read_text(errors='replace'))}")
            try:
                http_get(base + "/healthz", timeout=2)
                break
            except (urllib.error.URLError, OSError):
                if time.time() > deadline:
                    raise BenchError("ambito serve did not answer /healthz within 60 s") from None
                time.sleep(0.2)
        for path in (f"/ambiti/{ambito}/relazione?anno={YEAR}", f"/api/v1/ambiti/{ambito}/relazione/{YEAR}"):
            status, size = http_get(base + path, token=token)
            entry: dict = {"first_status": status, "first_bytes": size}
            if status != 200:
                entry["error"] = f"GET {path} answered {status}; not load-tested"
                result["endpoints"][path] = entry
                continue
            print(f"  wrk {path} ({HTTP_SECONDS} s)...", flush=True)
            run = subprocess.run([wrk, f"-t{HTTP_THREADS}", f"-c{HTTP_CONNECTIONS}", f"-d{HTTP_SECONDS}s",
                                  "--timeout", "10s", "-H", f"Authorization: Bearer {token}", "-s", str(lua), base + path],
                                 capture_output=True, text=True, timeout=HTTP_SECONDS + 120)
            m = re.search(r"^WRK_JSON (\{.*\})$", run.stdout, re.M)
            if run.returncode != 0 or not m:
                entry["error"] = f"wrk failed (exit {run.returncode}): {run.stderr.strip() or run.stdout.strip()}"
            else:
                entry.update(json.loads(m.group(1)))
            result["endpoints"][path] = entry
    finally:
        result["server_peak_rss_kib"] = stop_server(server)
        log.close()
    return result


def stop_server(proc: subprocess.Popen) -> int | None:
    """SIGTERM (SIGKILL after 10 s), reap it, and return its peak RSS in KiB."""
    if proc.returncode is not None:
        return None
    proc.send_signal(signal.SIGTERM)
    deadline = time.time() + 10
    while time.time() < deadline:
        if os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            break
        time.sleep(0.1)
    else:
        proc.kill()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss


# ---------------------------------------------------------------------------------------------
# The run.


def git_commit() -> str | None:
    """The commit of the checkout the bench ran from, `+dirty` when it has changes."""
    try:
        head = subprocess.run(["git", "-C", str(REPO_DIR), "rev-parse", "--short=12", "HEAD"],
                              capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(REPO_DIR), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def main() -> int:
    ap = argparse.ArgumentParser(description="ambito vs DuckDB on the same synthetic region (bench/README.md)")
    ap.add_argument("--scale", choices=["small", "ambito", "region"], default="small")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--binary", default=str(REPO_DIR / "target" / "release" / "ambito"),
                    help="the ambito binary (default: target/release/ambito)")
    ap.add_argument("--data", help="reuse data generated by `ambito synth` instead of generating it")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (databases, outputs, data)")
    ap.add_argument("--http", action="store_true", help="also load-test ambito serve with wrk")
    ap.add_argument("--smoke", action="store_true", help="CI: small scale, each query once, no HTTP")
    ap.add_argument("--reps", type=int, default=3, help="runs per query, the median is reported (default 3)")
    ap.add_argument("--duckdb-worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.duckdb_worker:
        return duckdb_worker(Path(args.duckdb_worker))
    if args.smoke:
        args.scale, args.reps, args.http = "small", 1, False
    try:
        import duckdb  # noqa: F401  (fail early, in the orchestrator, with a clear message)
    except ImportError:
        print("error: the Python package duckdb is missing: pip install -r bench/requirements.txt", file=sys.stderr)
        return 2
    try:
        return bench(args)
    except BenchError as e:
        print(f"\nerror: {e}\n(--keep keeps the work dir to look at)", file=sys.stderr)
        return 2


def bench(args) -> int:
    import duckdb

    binary = Path(args.binary).resolve()
    if not binary.is_file():
        raise BenchError(f"no ambito binary at {binary}: build it with `cargo build --release` "
                         "or pass --binary PATH")
    started = dt.datetime.now()
    work = Path(tempfile.mkdtemp(prefix="ambito-bench-"))
    print(f"work dir {work}{' (kept)' if args.keep else ''}", flush=True)
    env = dict(os.environ, LANG="C", LC_ALL="C", NO_COLOR="1")
    report: dict = {"date": started.date().isoformat(), "started": started.isoformat(timespec="seconds"),
                    "scale": args.scale, "seed": args.seed, "smoke": args.smoke, "reps": args.reps,
                    "machine": machine(), "binary": str(binary)}
    try:
        version = check_ok(run_child([str(binary), "--version"], env=env), "ambito --version")
        report["versions"] = {"ambito": version["stdout"].strip(), "duckdb": duckdb.__version__,
                              "commit": git_commit()}
        # What a do-nothing ambito process costs (startup), to read the small-scale ratios with.
        report["ambito_startup_seconds"] = round(version["seconds"], 6)

        # --- data ---
        if args.data:
            data = Path(args.data).resolve()
            report["data"] = {"dir": str(data), "generated": False}
        else:
            data = work / "data"
            print(f"generating data: ambito synth --scale {args.scale} --seed {args.seed}...", flush=True)
            r = check_ok(run_child([str(binary), "synth", "--scale", args.scale, "--seed", str(args.seed),
                                    "-o", str(data)], env=env), "ambito synth")
            report["data"] = {"dir": str(data), "generated": True, "synth_seconds": round(r["seconds"], 3)}
        for name in ("territory.csv", f"population-{YEAR}.csv", "targets.csv"):
            if not (data / name).is_file():
                raise BenchError(f"{data} has no {name}: is it a directory written by `ambito synth`?")
        ambiti = sorted(p.name for p in data.iterdir() if (p / f"deliveries-{YEAR}.csv").is_file())
        if not ambiti:
            raise BenchError(f"{data} has no <codice_ambito>/deliveries-{YEAR}.csv")
        first = ambiti[0]
        line_counts = {a: count_data_lines(data / a / f"deliveries-{YEAR}.csv") for a in ambiti}
        events = sum(line_counts.values())
        report["data"].update({"ambiti": len(ambiti), "events": events,
                               "deliveries_bytes": sum((data / a / f"deliveries-{YEAR}.csv").stat().st_size
                                                       for a in ambiti)})
        print(f"data: {len(ambiti)} Ambiti, {events} delivery events", flush=True)

        # --- DuckDB (own process, for its own peak RSS) ---
        print("DuckDB: loading and querying...", flush=True)
        spec = work / "duckdb-spec.json"
        duck_out = work / "duckdb-result.json"
        spec.write_text(json.dumps({"data": str(data), "ambiti": ambiti, "reps": args.reps,
                                    "database": str(work / "bench.duckdb"), "out": str(duck_out)}))
        w = check_ok(run_child([sys.executable, str(Path(__file__).resolve()), "--duckdb-worker", str(spec)]),
                     "the DuckDB side")
        duck = json.loads(duck_out.read_text())
        report["duckdb"] = {"threads": duck["threads"], "process_peak_rss_kib": w["rss_kib"],
                            "process_seconds": round(w["seconds"], 3),
                            "untimed_loads_seconds": round(duck["untimed_loads_seconds"], 4)}
        pick = duck["q4_pick"]

        # --- ambito ---
        database = f"sqlite://{work / 'ambito.db'}"
        amb = lambda *a: [str(binary), "--database", database, *map(str, a)]  # noqa: E731
        print("ambito: setup (territory, population, targets, activity, budgets)...", flush=True)
        setup_cmds = [("migrate", amb("migrate")),
                      ("import territory", amb("import", "territory", data / "territory.csv")),
                      ("import population", amb("import", "population", data / f"population-{YEAR}.csv",
                                                "--year", YEAR)),
                      ("import targets", amb("import", "targets", data / "targets.csv"))]
        for a in ambiti:
            setup_cmds.append((f"import activity {a}", amb("import", "activity", data / a / f"activity-{YEAR}.csv",
                                                           "--ambito", a)))
            budget = data / a / f"budgets-{YEAR}.csv"
            if budget.is_file():
                setup_cmds.append((f"import budget {a}", amb("import", "budget", budget, "--ambito", a)))
        setup = [check_ok(run_child(argv, env=env), f"ambito {what}") for what, argv in setup_cmds]
        report["ambito_setup"] = {"seconds": round(sum(r["seconds"] for r in setup), 4),
                                  "peak_rss_kib": max(r["rss_kib"] for r in setup),
                                  "commands": [public(r) for r in setup]}

        print(f"ambito: Q1 import deliveries ({len(ambiti)} files)...", flush=True)
        q1_runs, ambito_counts, phases = [], {}, Counter()
        # The importer logs where its time went (read and write, checks, aggregates, commit).
        q1_env = dict(env, RUST_LOG="info,sqlx=warn,ambito_app::deliveries=debug")
        for i, a in enumerate(ambiti, start=1):
            r = check_ok(run_child(amb("import", "deliveries", data / a / f"deliveries-{YEAR}.csv", "--ambito", a),
                                   env=q1_env), f"ambito import deliveries --ambito {a}")
            q1_runs.append(r)
            for line in r["stderr"].splitlines():
                if "delivery import timings" in line:
                    plain = re.sub(r"\x1b\[[0-9;]*m", "", line)
                    for key, value in re.findall(r"(\w+_s)=([0-9.]+)", plain):
                        phases[key] += float(value)
            if len(ambiti) > 1 and (i % 10 == 0 or i == len(ambiti)):
                print(f"  {i}/{len(ambiti)} files, {sum(x['seconds'] for x in q1_runs):.1f} s", flush=True)
            m = re.search(r"(\d+) (?:rows imported|righe importate)", r["stdout"])
            if m and ambito_counts is not None:
                ambito_counts[a] = int(m.group(1))
            else:
                ambito_counts = None
        q1_seconds = sum(r["seconds"] for r in q1_runs)

        def repeat(what: str, argv: list) -> list[dict]:
            return [check_ok(run_child(argv, env=env), what) for _ in range(args.reps)]

        # Q2-Q4 in one ambito process on an open database, each repeated --reps times: the same
        # footing as DuckDB's open connection. The first repetition of each is the first read
        # after the import (SQLite's page cache empty, the OS cache as the import left it).
        print("ambito: Q2-Q4 in process (ambito bench queries)...", flush=True)
        inproc_dir = work / "inproc"
        inproc = check_ok(run_child(amb("bench", "queries", "--year", YEAR, "--ambito", first, "--service", pick["service"],
                                        "--person", pick["person"], "--reps", args.reps, "--out", inproc_dir), env=env),
                          "ambito bench queries")
        try:
            inproc_times = json.loads(inproc["stdout"].strip().splitlines()[-1])
        except (ValueError, IndexError) as e:
            raise BenchError(f"ambito bench queries printed no JSON: {inproc['stdout'][-500:]}") from e

        print("ambito: Q2 report region...", flush=True)
        q2_out = work / "q2-region.csv"
        q2_runs = repeat("ambito report region", amb("report", "region", "--year", YEAR, "-o", q2_out))
        print(f"ambito: Q3 report annual --ambito {first}...", flush=True)
        q3_out = work / "q3-annual.csv"
        q3_runs = repeat("ambito report annual", amb("report", "annual", "--ambito", first, "--year", YEAR,
                                                      "--format", "csv", "-o", q3_out))
        print(f"ambito: Q4 deliveries history ({pick['service']}, {pick['person']})...", flush=True)
        q4_out = work / "q4-history.csv"
        q4_runs = repeat("ambito deliveries history", amb("deliveries", "history", "--ambito", first, "--service",
                                                          pick["service"], "--person", pick["person"], "-o", q4_out))

        # --- answers ---
        checks = {"q1": compare_q1(duck["q1"], line_counts, ambito_counts),
                  "q2": compare_q2(q2_out, duck["q2"]),
                  "q3": compare_q3(q3_out, duck["q3"]),
                  "q4": compare_q4(q4_out, duck["q4"])}
        inproc_checks = {"q2": compare_q2(inproc_dir / "q2.csv", duck["q2"]),
                         "q3": compare_q3(inproc_dir / "q3.csv", duck["q3"]),
                         "q4": compare_q4(inproc_dir / "q4.csv", duck["q4"])}
        ambito_runs = {"q1": q1_runs, "q2": q2_runs, "q3": q3_runs, "q4": q4_runs}
        questions = {}
        for q, title in QUESTIONS.items():
            process_s = q1_seconds if q == "q1" else median([r["seconds"] for r in ambito_runs[q]])
            a_s = process_s if q == "q1" else median(inproc_times[q])
            d_s = median(duck[q]["seconds"])
            same = checks[q]["equal"] and (q == "q1" or inproc_checks[q]["equal"])
            entry = {"title": title, "ambito_seconds": round(a_s, 6), "duckdb_seconds": round(d_s, 6),
                     "ratio": round(a_s / d_s, 3) if d_s > 0 else None,
                     "ambito_peak_rss_kib": max(r["rss_kib"] for r in ambito_runs[q]),
                     "ambito_runs": [public(r) for r in ambito_runs[q]],
                     "duckdb_runs_seconds": [round(x, 6) for x in duck[q]["seconds"]],
                     "same_answer": same, "check": checks[q]}
            if q != "q1":
                entry.update({"ambito_timed": "in process, open database (ambito bench queries)",
                              "ambito_in_process_seconds": [round(x, 6) for x in inproc_times[q]],
                              "ambito_first_in_process_seconds": round(inproc_times[q][0], 6),
                              "ambito_process_seconds": round(process_s, 6),
                              "process_ratio": round(process_s / d_s, 3) if d_s > 0 else None,
                              "check_in_process": inproc_checks[q]})
            if q == "q1":
                entry["ambito_phase_seconds"] = {k: round(v, 3) for k, v in phases.items()}
                entry["events"] = events
                entry["ambito_rows_per_s"] = round(events / a_s, 1) if a_s > 0 else None
                entry["duckdb_rows_per_s"] = round(events / d_s, 1) if d_s > 0 else None
            if q == "q3":
                entry["ambito"] = first
            if q == "q4":
                entry.update(pick)
            questions[q] = entry
        report["questions"] = questions
        report["ambito_in_process"] = {"open_seconds": inproc_times.get("open_seconds"),
                                       "peak_rss_kib": inproc["rss_kib"], "process_seconds": round(inproc["seconds"], 4)}

        if args.http:
            print(f"HTTP: ambito serve + wrk ({HTTP_CONNECTIONS} connections, {HTTP_THREADS} threads, "
                  f"{HTTP_SECONDS} s per endpoint)...", flush=True)
            report["http"] = http_bench(binary, database, first, work)

        report["finished"] = dt.datetime.now().isoformat(timespec="seconds")
        out_dir = BENCH_DIR / "results"
        out_dir.mkdir(exist_ok=True)
        out_file = out_dir / f"{report['date']}-{args.scale}{'-smoke' if args.smoke else ''}.json"
        out_file.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print_table(report)
        print(f"\nwritten {out_file.relative_to(REPO_DIR) if out_file.is_relative_to(REPO_DIR) else out_file}")
        same = all(q["same_answer"] for q in questions.values())
        if not same:
            print("\nANSWERS DIFFER: see the differences above; the ratios are not a fair comparison.")
        return 0 if same else 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def mib(kib: int | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.0f}"


def secs(s: float) -> str:
    return f"{s:.4f}" if s < 1 else f"{s:.2f}"


def print_table(r: dict) -> None:
    m, v, d = r["machine"], r["versions"], r["data"]
    print()
    print(f"ambito vs DuckDB: scale {r['scale']}{' (smoke)' if r['smoke'] else ''}, seed {r['seed']}, "
          f"{d['ambiti']} Ambiti, {d['events']} delivery events; median of {r['reps']} run(s)")
    print(f"machine: {m.get('cpu', '?')}, {m['cores']} cores, {m.get('ram_gib', '?')} GiB RAM; "
          f"{v['ambito']}, duckdb {v['duckdb']} ({r['duckdb']['threads']} threads)")
    print()
    head = (f"{'question':<34} {'ambito s':>10} {'DuckDB s':>10} {'ratio':>8} {'process s':>10} {'ratio':>8} "
            f"{'ambito RSS MiB':>15}  same answer")
    print(head)
    print("-" * len(head))
    for q in r["questions"].values():
        ratio = "-" if q["ratio"] is None else f"{q['ratio']:.3f}"
        proc = secs(q["ambito_process_seconds"]) if "ambito_process_seconds" in q else ""
        pratio = f"{q['process_ratio']:.2f}" if q.get("process_ratio") is not None else ""
        print(f"{q['title']:<34} {secs(q['ambito_seconds']):>10} {secs(q['duckdb_seconds']):>10} {ratio:>8} "
              f"{proc:>10} {pratio:>8} {mib(q['ambito_peak_rss_kib']):>15}  {'yes' if q['same_answer'] else 'NO'}")
        if "ambito_rows_per_s" in q:
            print(f"{'  events/s':<34} {q['ambito_rows_per_s']:>10.0f} {q['duckdb_rows_per_s']:>10.0f}")
    s = r["ambito_setup"]
    print(f"{'ambito setup (not in Q1)':<34} {secs(s['seconds']):>10} {'':>10} {'':>8} {mib(s['peak_rss_kib']):>15}")
    print(f"DuckDB process peak RSS {mib(r['duckdb']['process_peak_rss_kib'])} MiB; "
          f"ambito process start-up {r['ambito_startup_seconds']:.4f} s (included in Q1 and in every 'process s')")
    print("Q2-Q4 'ambito s' are timed in one process on the open database (median); 'process s' is a whole "
          "`ambito report ...` command, start-up and database open included.")
    for q in r["questions"].values():
        for c in (q["check"], q.get("check_in_process")):
            if c is not None and not c["equal"]:
                print(f"\n{q['title']}: {c['n_differences']} difference(s), first {len(c['differences'])}:")
                for line in c["differences"]:
                    print(f"  - {line}")
    if "http" in r:
        h = r["http"]
        print(f"\nHTTP (wrk, {h['connections']} connections, {h['threads']} threads, {h['seconds']} s; "
              f"server peak RSS {mib(h.get('server_peak_rss_kib'))} MiB)")
        print(f"{'endpoint':<42} {'req/s':>9} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'errors':>7}")
        for path, e in h["endpoints"].items():
            if "error" in e:
                print(f"{path:<42} {e['error']}")
                continue
            errors = sum(e[k] for k in ("errors_connect", "errors_read", "errors_write", "errors_timeout",
                                        "non_2xx_3xx"))
            print(f"{path:<42} {e['rps']:>9.1f} {e['p50_ms']:>9.2f} {e['p95_ms']:>9.2f} {e['p99_ms']:>9.2f} "
                  f"{errors:>7}")


if __name__ == "__main__":
    sys.exit(main())

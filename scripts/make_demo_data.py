#!/usr/bin/env python3
"""Generate the ambito demo dataset into crates/app/demo/.

Deterministic (fixed seeds, stdlib only): running it twice produces identical
files.  Run from the repository root:

    python3 scripts/make_demo_data.py

Two Ambiti of ATS Bergamo / Distretto Bergamo Est:

* ALTO_SEBINO  - the 10 Comuni of the Piano di Zona 2021-2023 in /work/shared;
* BASSO_SEBINO - 8 Comuni of the Basso Sebino (around Sarnico), smaller offer.

Files written (all UTF-8, ';'-delimited, Italian number format):

    territory.csv                 Regione > ATS > Distretto > Ambito > Comune
    population-2024.csv           ISTAT layout, residents on 1 January
    population-2025.csv           2024 aged by one year (deaths, births, migration)
    targets.csv                   named target populations per Ambito
    <ambito>/activity-YYYY.csv    one row per service and year
    <ambito>/budgets-YYYY.csv     funding by phase and source
    <ambito>/narrative-2025.json  the staff's reading of the year, per area

Conventions worth knowing when loading the files
------------------------------------------------
* A blank measure means "not recorded", never zero.  Budget `-` means the
  service costs the Ambito nothing (staff paid elsewhere); blank = unknown.
* Parents (`codice_padre`) are of two kinds:
  - "blank" parents (e.g. B2, DOPO_NOI) have every measure and the budget
    blank: their figures are the roll-up of the children;
  - "inclusive" parents (e.g. SAD, TM, TM_AFFIDI) carry their own measures
    AND budget, which ALREADY INCLUDE the children's.  Never add children to
    an inclusive parent.  Ambito totals = sum over root services, where a
    blank parent counts as the sum of its children.
* budgets-YYYY.csv: for every service with a numeric budget, the impegnato
  rows summed over sources equal the activity budget to the cent; the
  rows of an inclusive parent include its children's money too.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "crates" / "app" / "demo"

YEARS = (2024, 2025)
AREAS = ("Anziani", "Disabilità", "Inclusione Sociale", "Minori e Famiglia", "Piano di Zona")
SOURCES = (
    "Comune",
    "Utenza",
    "Altri enti pubblici",
    "Altre entrate",
    "Fondo sociale regionale",
    "FNPS",
    "Fondo non autosufficienze",
    "Fondo povertà",
)
PHASES = ("stanziato", "impegnato", "liquidato")
MEASURES = ("utenti_in_carico", "domande_pervenute", "beneficiari", "ore_erogate", "accessi", "visite_domiciliari")
PERSON_MEASURES = ("utenti_in_carico", "beneficiari")
INDICATORS = (
    "beneficiari/domande",
    "ore/utenti",
    "utenti/target_x1000",
    "accessi/target_x1000",
    "beneficiari/target_x1000",
)

# ---------------------------------------------------------------------------
# Territory
# ---------------------------------------------------------------------------

REGIONE = ("03", "Lombardia")
ATS = ("ATS_BG", "ATS Bergamo")
DISTRETTO = ("BG_EST", "Distretto Bergamo Est")

# ISTAT codes (province of Bergamo = 016).  Population on 1/1/2024 is a
# target for the generator (close to the real order of magnitude); `old` and
# `foreign` shape the pyramid of each Comune.
AMBITI = {
    "ALTO_SEBINO": {
        "name": "Ambito Distrettuale Alto Sebino",
        "old_base": 0.06,
        "foreign_base": 0.0,
        "birth_rate": 0.0068,
        "net_migration": 1.18,  # in-migrants per out-migrant
        "comuni": [
            # code, name, residents 1/1/2024, old (ageing), foreign (young adults + children)
            ("016033", "Bossico", 938, 0.07, 0.03),
            ("016065", "Castro", 1322, 0.08, 0.07),
            ("016086", "Costa Volpino", 8987, -0.02, 0.07),
            ("016102", "Fonteno", 574, 0.12, 0.03),
            ("016128", "Lovere", 4993, 0.08, 0.06),
            ("016162", "Pianico", 1486, -0.04, 0.12),
            ("016180", "Riva di Solto", 829, 0.08, 0.04),
            ("016182", "Rogno", 3846, -0.04, 0.06),
            ("016200", "Solto Collina", 1718, 0.01, 0.04),
            ("016204", "Sovere", 5221, 0.0, 0.06),
        ],
    },
    "BASSO_SEBINO": {
        "name": "Ambito Basso Sebino",
        "old_base": -0.04,
        "foreign_base": 0.04,
        "birth_rate": 0.0076,
        "net_migration": 1.30,
        "comuni": [
            ("016001", "Adrara San Martino", 2148, -0.03, 0.08),
            ("016088", "Credaro", 3563, -0.05, 0.10),
            ("016104", "Foresto Sparso", 3095, -0.04, 0.06),
            ("016109", "Gandosso", 1512, -0.02, 0.06),
            ("016174", "Predore", 1832, 0.08, 0.04),
            ("016193", "Sarnico", 6612, 0.05, 0.08),
            ("016211", "Tavernola Bergamasca", 1985, 0.09, 0.03),
            ("016242", "Villongo", 7936, -0.05, 0.14),
        ],
    },
}

# ---------------------------------------------------------------------------
# Number formatting (Italian)
# ---------------------------------------------------------------------------


def it_int(n: int) -> str:
    """12345 -> '12.345' (used in narratives)."""
    s = f"{abs(int(n)):,}".replace(",", ".")
    return ("-" if n < 0 else "") + s


def it_cents(cents: int) -> str:
    """123456789 cents -> '1.234.567,89'."""
    sign = "-" if cents < 0 else ""
    cents = abs(int(cents))
    return f"{sign}{it_int(cents // 100)},{cents % 100:02d}"


def it_dec(x: float, nd: int = 1) -> str:
    s = f"{x:.{nd}f}"
    ip, _, fp = s.partition(".")
    return it_int(int(ip)) + ("," + fp if fp else "")


def parse_it_number(s: str) -> float:
    return float(s.replace(".", "").replace(",", "."))


def parse_it_cents(s: str) -> int:
    ip, _, fp = s.replace(".", "").partition(",")
    fp = (fp + "00")[:2]
    sign = -1 if ip.startswith("-") else 1
    return sign * (abs(int(ip)) * 100 + int(fp))


# ---------------------------------------------------------------------------
# Population
# ---------------------------------------------------------------------------

# Relative births by calendar year (Lombard mountain pattern: baby boom
# 1960-1972, low fertility since 1980, slight rebound 2000-2010, decline).
BIRTH_KNOTS = [
    (1900, 0.72), (1915, 0.76), (1925, 0.90), (1935, 0.92), (1945, 0.86),
    (1950, 0.98), (1955, 1.02), (1960, 1.16), (1964, 1.30), (1970, 1.24),
    (1975, 1.06), (1980, 0.90), (1985, 0.82), (1990, 0.80), (1995, 0.76),
    (2000, 0.78), (2005, 0.80), (2010, 0.78), (2014, 0.68), (2018, 0.58),
    (2024, 0.52),
]


def birth_weight(year: int) -> float:
    if year <= BIRTH_KNOTS[0][0]:
        return BIRTH_KNOTS[0][1]
    for (y0, v0), (y1, v1) in zip(BIRTH_KNOTS, BIRTH_KNOTS[1:]):
        if y0 <= year <= y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return BIRTH_KNOTS[-1][1]


def death_prob(age: int, sex: str) -> float:
    """Gompertz-Makeham one-year death probability (period table, ~2023)."""
    if age == 0:
        return 0.0025
    h80, beta = (0.052, 0.118) if sex == "M" else (0.028, 0.140)
    q = 0.0002 + h80 * math.exp(beta * (age - 80))
    if sex == "M" and 17 < age < 35:
        q += 0.0003
    return min(q, 0.7)


def survivorship(sex: str) -> list[float]:
    lx = [1.0]
    for a in range(0, 130):
        lx.append(lx[-1] * (1 - death_prob(a, sex)))
    return lx


LX = {"M": survivorship("M"), "F": survivorship("F")}
MALE_SHARE_AT_BIRTH = 0.514


def migration_shape(age: int, foreign: float) -> float:
    m = 1 + (0.10 + foreign) * math.exp(-(((age - 36) / 11) ** 2))  # working-age inflow
    m *= 1 - 0.05 * math.exp(-(((age - 26) / 5) ** 2))  # young adults leave the valley
    if age < 15:
        m *= 1 + 0.7 * foreign
    return m


def expected_pyramid(year: int, total: int, old: float, foreign: float) -> dict:
    e = {}
    for sex in "MF":
        share = MALE_SHARE_AT_BIRTH if sex == "M" else 1 - MALE_SHARE_AT_BIRTH
        for a in range(0, 101):
            if a < 100:
                v = birth_weight(year - 1 - a) * LX[sex][a]
            else:
                v = sum(birth_weight(year - 1 - b) * LX[sex][b] for b in range(100, 125))
            v *= share * migration_shape(a, foreign)
            v *= 1 + old * max(-1.0, min(1.5, (a - 40) / 40))
            if sex == "M" and a >= 75:
                v *= 1 - 0.006 * (a - 75)  # older male cohorts: war years, past mortality
            e[(sex, a)] = v
    k = total / sum(e.values())
    return {key: v * k for key, v in e.items()}


def make_population_2024(ambito_code: str) -> dict:
    """{istat: {(sex, age): count}} on 1 January 2024."""
    amb = AMBITI[ambito_code]
    rng = random.Random(f"ambito-demo/pop2024/{ambito_code}")
    pop = {}
    for code, _name, total, old, foreign in amb["comuni"]:
        e = expected_pyramid(2024, total, amb["old_base"] + old, amb["foreign_base"] + foreign)
        counts = {}
        for key in sorted(e):
            v = e[key]
            n = int(round(v + rng.gauss(0, 0.45 * math.sqrt(v + 0.25))))
            counts[key] = max(0, n)
        # bring the Comune exactly to its target total
        keys = sorted(e)
        weights = [e[k] for k in keys]
        diff = total - sum(counts.values())
        while diff != 0:
            k = rng.choices(keys, weights)[0]
            if diff > 0:
                counts[k] += 1
                diff -= 1
            elif counts[k] > 0:
                counts[k] -= 1
                diff += 1
        pop[code] = counts
    return pop


def binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(1 for _ in range(n) if rng.random() < p)


def age_population(ambito_code: str, pop: dict) -> dict:
    """One year of demography: deaths, births, migration.  Returns the next 1 January."""
    amb = AMBITI[ambito_code]
    rng = random.Random(f"ambito-demo/ageing/{ambito_code}")
    nxt = {}
    for code, _name, _total, _old, foreign in amb["comuni"]:
        cur = pop[code]
        new = {(s, a): 0 for s in "MF" for a in range(0, 101)}
        # survivors move up one year of age
        for sex in "MF":
            for a in range(0, 101):
                n = cur[(sex, a)]
                survivors = n - binomial(rng, n, death_prob(a, sex))
                new[(sex, min(a + 1, 100))] += survivors
        # births of the year (crude rate on the current population), minus infant deaths
        total = sum(cur.values())
        births = binomial(rng, total, amb["birth_rate"])
        for _ in range(births):
            sex = "M" if rng.random() < MALE_SHARE_AT_BIRTH else "F"
            if rng.random() >= death_prob(0, sex) / 2:
                new[(sex, 0)] += 1
        # migration: some young adults (and their children) leave, a few more arrive
        out = 0
        for sex in "MF":
            for a in range(1, 60):
                p = 0.011 * math.exp(-(((a - 30) / 10) ** 2)) + (0.004 if a < 12 else 0.0)
                k = binomial(rng, new[(sex, a)], p)
                new[(sex, a)] -= k
                out += k
        arrivals = int(round(out * amb["net_migration"] * (1 + foreign)))
        weights = [(a, migration_shape(a, 0.3) * math.exp(-(((a - 33) / 12) ** 2)) + (0.25 if a < 12 else 0))
                   for a in range(0, 70)]
        wsum = sum(w for _, w in weights)
        for _ in range(arrivals):
            r = rng.random() * wsum
            acc = 0.0
            for a, w in weights:
                acc += w
                if r <= acc:
                    break
            sex = "M" if rng.random() < 0.5 else "F"
            new[(sex, a)] += 1
        nxt[code] = new
    return nxt


def indices(counts_iter) -> dict:
    young = old = work = 0
    o75 = 0
    bands = {}
    for (sex, a), n in counts_iter:
        if a < 15:
            young += n
        elif a < 65:
            work += n
        else:
            old += n
        if a >= 75:
            o75 += n
        bands[a // 10] = bands.get(a // 10, 0) + n
    top = max(bands, key=bands.get)
    total = young + old + work
    return {
        "totale": total,
        "vecchiaia": 100 * old / young,
        "dipendenza": 100 * (young + old) / work,
        "invecchiamento": 100 * old / total,
        "fascia_piu_popolosa": f"{top * 10}-{top * 10 + 9}",
    }


def ambito_indices(pop: dict) -> dict:
    return indices(((k, v) for c in pop.values() for k, v in c.items()))


# ---------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------

# (name, eta_min, eta_max, comuni, valore); None = blank
TARGETS = {
    "ALTO_SEBINO": [
        ("totale residenti", 0, None, None, None),
        ("minori 0-17", 0, 17, None, None),
        ("15-64", 15, 64, None, None),
        ("anziani 65+", 65, None, None, None),
        ("anziani 75+", 75, None, None, None),
        ("minori 6-13 Sovere Pianico Bossico", 6, 13, ["016204", "016162", "016033"], None),
        ("fragili ATS", None, None, None, 7635),
        ("famiglie con minori", None, None, None, 3120),
    ],
    "BASSO_SEBINO": [
        ("totale residenti", 0, None, None, None),
        ("minori 0-17", 0, 17, None, None),
        ("15-64", 15, 64, None, None),
        ("anziani 65+", 65, None, None, None),
        ("anziani 75+", 75, None, None, None),
        ("minori 0-17 Sarnico Villongo", 0, 17, ["016193", "016242"], None),
        ("fragili ATS", None, None, None, 6480),
        ("famiglie con minori", None, None, None, 3565),
    ],
}

# ---------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------
# Each service:
#   code, name, area, parent, kind ('own' | 'incl' | 'blank'),
#   m: 2024 measures (for 'incl' parents: the parent's OWN part, children are
#      added by the generator: additive measures summed, persons summed with
#      `overlap` share removed and never below the largest child),
#   f: 2025 factor per measure (key '*' = default), b: 2024 budget in EUR
#      (own part for 'incl'), '-' (no cost) or None (unknown); bf: 2025 budget
#      factor, '-' or None; ind/target: indicator and popolazione_target;
#   split: funding shares by source; years: years the service exists.

U, D, B, O, A, V = MEASURES  # short names


def S(code, name, area, parent=None, kind="own", m=None, f=None, b=None, bf=1.0,
      ind=None, target=None, split=None, years=YEARS, overlap=0.0):
    return dict(code=code, name=name, area=area, parent=parent, kind=kind, m=m or {}, f=f or {},
                b=b, bf=bf, ind=ind, target=target, split=split or {"Comune": 1.0},
                years=years, overlap=overlap)


SERVICES = {
    "ALTO_SEBINO": [
        # --- Anziani -------------------------------------------------------
        S("SAD", "Servizio di Assistenza Domiciliare (SAD)", "Anziani", kind="incl", overlap=0.55,
          m={U: 64, D: 24, O: 6842.5, V: 6215}, f={U: 1.08, D: 1.13, O: 1.11, V: 1.09}, b=198412.37, bf=1.07,
          ind="ore/utenti", split={"Comune": 0.72, "Utenza": 0.28}),
        S("SAD_PASTI", "Pasti a domicilio", "Anziani", "SAD",
          m={U: 41, D: 12, A: 9870}, f={U: 1.05, D: 1.08, A: 1.06}, b=37650.00, bf=1.05,
          ind="utenti/target_x1000", target="anziani 75+", split={"Comune": 0.35, "Utenza": 0.65}),
        S("SAD_TELESOCC", "Telesoccorso", "Anziani", "SAD",
          m={U: 58, D: 10}, f={U: 1.09, D: 1.10}, b=11238.40, bf=1.08,
          ind="utenti/target_x1000", target="anziani 75+", split={"Comune": 0.6, "Utenza": 0.4}),
        S("TRASP", "Trasporto sociale", "Anziani",
          m={U: 74, A: 3182}, f={U: 1.04, A: 1.07}, b=41806.55, bf=None,
          split={"Comune": 0.78, "Utenza": 0.14, "Altre entrate": 0.08}),
        S("B2", "Misura B2 - Fondo Non Autosufficienze", "Anziani", kind="blank"),
        S("B2_CAREGIVER", "Buono sociale caregiver familiare (B2)", "Anziani", "B2",
          m={D: 41, B: 57}, f={D: 1.12, B: 1.04}, b=54400.00, bf=1.04,
          ind="beneficiari/domande", split={"Fondo non autosufficienze": 1.0}),
        S("B2_VOUCHER", "Voucher sociale per l'assistenza domiciliare (B2)", "Anziani", "B2",
          m={D: 29, B: 22}, f={D: 1.10, B: 0.95}, b=26300.00, bf=0.96,
          ind="beneficiari/domande", split={"Fondo non autosufficienze": 1.0}),
        S("SOLLIEVO", "Ricoveri temporanei di sollievo in RSA", "Anziani",
          m={D: 18, B: 15}, f={D: 1.0, B: 1.0}, b=13600.00, bf=1.0,
          ind="beneficiari/domande", split={"Comune": 0.40, "Utenza": 0.25, "Fondo non autosufficienze": 0.35}),
        S("INT_RETTE", "Integrazione rette RSA e CDI", "Anziani",
          m={D: 26, B: 21}, f={D: 1.08, B: 1.05}, b=98230.12, bf=1.09,
          ind="beneficiari/target_x1000", target="anziani 75+", split={"Comune": 0.97, "Utenza": 0.03}),
        # --- Disabilità ----------------------------------------------------
        S("AES", "Assistenza educativa scolastica (AES)", "Disabilità",
          m={U: 68, O: 16524.0}, f={U: 1.09, O: 1.06}, b=312346.80, bf=1.08,
          ind="ore/utenti", split={"Comune": 0.95, "Altri enti pubblici": 0.03, "Altre entrate": 0.02}),
        S("SADH", "Assistenza domiciliare disabili (SADH)", "Disabilità",
          m={U: 17, O: 2312.5, V: 1046}, f={U: 1.06, O: 1.03, V: 1.02}, b=41290.00, bf=1.03,
          ind="ore/utenti", split={"Comune": 0.86, "Utenza": 0.14}),
        S("CDD", "Centro Diurno Disabili (CDD)", "Disabilità",
          m={U: 20, A: 4280}, f={U: 1.0, A: 1.02}, b=188452.64, bf=1.02,
          split={"Comune": 0.83, "Utenza": 0.11, "Fondo sociale regionale": 0.06}),
        S("CSE", "Centro Socio Educativo (CSE)", "Disabilità",
          m={U: 11, A: 2210}, f={U: 1.09, A: 1.07}, b=89115.20, bf=1.05,
          split={"Comune": 0.80, "Utenza": 0.14, "Fondo sociale regionale": 0.06}),
        S("SFA", "Servizio Formazione all'Autonomia (SFA)", "Disabilità",
          m={U: 9, A: 1540}, f={U: 1.0, A: 0.97}, b=44210.00, bf=1.0,
          split={"Comune": 0.86, "Utenza": 0.09, "Fondo sociale regionale": 0.05}),
        S("DOPO_NOI", "Dopo di Noi (L. 112/2016)", "Disabilità", kind="blank"),
        S("DN_ABITARE", "Dopo di Noi - accompagnamento all'autonomia abitativa", "Disabilità", "DOPO_NOI",
          m={D: 3, B: 7}, f={D: 1.0, B: 1.15}, b=38500.00, bf=1.12,
          ind="beneficiari/domande", split={"Altri enti pubblici": 0.9, "Comune": 0.1}),
        S("DN_EMERGENZA", "Dopo di Noi - pronto intervento e sollievo", "Disabilità", "DOPO_NOI",
          m={D: 2, B: 2}, f={D: 1.0, B: 1.0}, b=9800.00, bf=0.87,
          ind="beneficiari/domande", split={"Altri enti pubblici": 1.0}),
        # --- Minori e Famiglia --------------------------------------------
        S("TM", "Servizio Tutela Minori", "Minori e Famiglia", kind="incl", overlap=1.0,
          m={U: 146, D: 38, V: 312}, f={U: 1.04, D: 1.08, V: 1.05}, b=168000.00, bf=1.03,
          ind="utenti/target_x1000", target="minori 0-17", split={"Comune": 0.95, "FNPS": 0.05}),
        S("TM_AFFIDI", "Servizio Affidi", "Minori e Famiglia", "TM", kind="incl", overlap=0.0,
          m={U: 12}, f={U: 1.17}, b=52800.00, bf=1.14,
          split={"Comune": 0.85, "Fondo sociale regionale": 0.15}),
        S("TM_AFFIDO_LEGGERO", "Affido leggero e reti di famiglie", "Minori e Famiglia", "TM_AFFIDI",
          m={U: 5}, f={U: 1.0}, b=6000.00, bf=1.10),
        S("TM_INC_PROT", "Incontri protetti (diritto di visita)", "Minori e Famiglia", "TM",
          m={U: 21, O: 684.0}, f={U: 1.05, O: 1.06}, b=27400.00, bf=1.06,
          ind="ore/utenti", split={"Comune": 0.92, "FNPS": 0.08}),
        S("TM_COMUNITA", "Inserimenti in comunità (minori e madre-bambino)", "Minori e Famiglia", "TM",
          m={U: 7}, f={U: 0.86}, b=198350.00, bf=0.88,
          split={"Comune": 0.89, "Utenza": 0.02, "Fondo sociale regionale": 0.05, "Altri enti pubblici": 0.04}),
        S("ADM", "Assistenza Domiciliare Minori (ADM)", "Minori e Famiglia",
          m={U: 45, O: 1712.0, V: 812}, f={U: 1.07, O: 1.09, V: 1.08}, b=49310.00, bf=1.07,
          ind="ore/utenti", split={"Comune": 0.84, "Utenza": 0.08, "FNPS": 0.08}),
        S("CED", "Centro Educativo Diurno per minori", "Minori e Famiglia",
          m={U: 14, A: 2090}, f={U: 1.0, A: 1.03}, b=58700.00, bf=1.02,
          ind="utenti/target_x1000", target="minori 6-13 Sovere Pianico Bossico",
          split={"Comune": 0.68, "Utenza": 0.27, "Altre entrate": 0.05}),
        S("NIDI", "Nidi Gratis e contributi per la prima infanzia", "Minori e Famiglia",
          m={D: 61, B: 54}, f={D: 1.11, B: 1.09}, b=41200.00, bf=1.10,
          ind="beneficiari/domande",
          split={"Comune": 0.55, "Fondo sociale regionale": 0.30, "Altri enti pubblici": 0.15}),
        S("PIPPI", "Programma P.I.P.P.I. (PNRR M5C2 1.1.1)", "Minori e Famiglia",
          m={U: 10}, b=34800.00, years=(2025,), split={"Altri enti pubblici": 1.0}),
        # --- Inclusione Sociale -------------------------------------------
        S("ADI", "Assegno di Inclusione - patti per l'inclusione", "Inclusione Sociale",
          m={U: 112, D: 84, B: 97}, f={U: 1.06, D: 1.10, B: 1.05}, b=78940.00, bf=1.06,
          ind="beneficiari/domande", split={"Fondo povertà": 0.85, "Comune": 0.15}),
        S("SIL", "Servizio Inserimenti Lavorativi (SIL)", "Inclusione Sociale",
          m={U: 48, D: 19}, f={U: 1.04, D: 1.11}, b=71300.00, bf=1.04,
          ind="utenti/target_x1000", target="15-64", split={"Comune": 0.84, "Altri enti pubblici": 0.16}),
        S("TIS", "Tirocini di inclusione sociale", "Inclusione Sociale",
          m={U: 16, O: 5760.0}, f={U: 1.13, O: 1.10}, b=29800.00, bf=1.12,
          ind="ore/utenti", split={"Fondo povertà": 0.6, "Comune": 0.4}),
        S("EMERG_ABIT", "Fondo emergenza abitativa e contributi affitto", "Inclusione Sociale",
          m={D: 57, B: 38}, f={D: 1.14, B: 1.05}, b=46200.00, bf=1.10,
          ind="beneficiari/domande", split={"Altri enti pubblici": 0.55, "Comune": 0.40, "Altre entrate": 0.05}),
        S("CONTRIB_ECON", "Contributi economici a nuclei in difficoltà", "Inclusione Sociale",
          m={D: 104, B: 83}, f={D: 0.97, B: 0.94}, b=54380.00, bf=0.95,
          ind="beneficiari/target_x1000", target="12950",
          split={"Comune": 0.85, "Altre entrate": 0.15}),
        # --- Piano di Zona -------------------------------------------------
        S("SEGR", "Segretariato sociale (front office)", "Piano di Zona",
          m={A: 4870}, f={A: 1.06}, b="-", bf="-", ind="accessi/target_x1000", target="totale residenti"),
        S("SSP", "Servizio sociale professionale", "Piano di Zona",
          m={U: 1214, V: 588}, f={U: 1.04, V: 1.03}, b=148600.00, bf=1.04,
          ind="utenti/target_x1000", target="totale residenti", split={"Comune": 0.96, "Altre entrate": 0.02, "FNPS": 0.02}),
        S("PUA", "Punto Unico di Accesso (PUA) - Casa di Comunità di Lovere", "Piano di Zona",
          m={A: 1360}, f={A: 1.15}, b="-", bf="-", ind="accessi/target_x1000", target="anziani 65+"),
        S("UDP", "Ufficio di Piano - programmazione e monitoraggio", "Piano di Zona",
          b=86400.00, bf=1.03, split={"FNPS": 0.40, "Comune": 0.45, "Fondo sociale regionale": 0.15}),
        S("PROT_GIUR", "Sportello protezione giuridica e amministrazione di sostegno", "Piano di Zona",
          m={A: 212}, f={A: 1.09}, b=None, bf=None),
    ],
    "BASSO_SEBINO": [
        S("SAD", "Servizio di Assistenza Domiciliare (SAD)", "Anziani",
          m={U: 71, D: 29, O: 7410.0, V: 6880}, f={U: 1.06, D: 1.07, O: 1.08, V: 1.07}, b=227816.42, bf=1.06,
          ind="ore/utenti", split={"Comune": 0.75, "Utenza": 0.25}),
        S("B2", "Misura B2 - buoni e voucher FNA", "Anziani",
          m={D: 78, B: 86}, f={D: 1.09, B: 0.97}, b=92150.00, bf=0.98,
          ind="beneficiari/domande", split={"Fondo non autosufficienze": 1.0}),
        S("AES", "Assistenza educativa scolastica (AES)", "Disabilità",
          m={U: 83, O: 17890.0}, f={U: 1.07, O: 1.05}, b=338204.15, bf=1.06,
          ind="ore/utenti", split={"Comune": 0.96, "Altri enti pubblici": 0.02, "Altre entrate": 0.02}),
        S("CDD", "Centro Diurno Disabili (CDD) - quote sociali", "Disabilità",
          m={U: 18, A: 3890}, f={U: 1.06, A: 1.05}, b=176310.00, bf=1.04,
          split={"Comune": 0.82, "Utenza": 0.12, "Fondo sociale regionale": 0.06}),
        S("TM", "Servizio Tutela Minori", "Minori e Famiglia", kind="blank"),
        S("TM_EQUIPE", "Tutela minori - équipe psico-sociale", "Minori e Famiglia", "TM",
          m={U: 162, D: 44, V: 296}, f={U: 1.03, D: 0.93, V: 1.04}, b=151980.00, bf=1.03,
          ind="utenti/target_x1000", target="minori 0-17", split={"Comune": 0.94, "FNPS": 0.06}),
        S("TM_COMUNITA", "Inserimenti in comunità (minori)", "Minori e Famiglia", "TM",
          m={U: 8}, f={U: 0.88}, b=241380.00, bf=0.90,
          split={"Comune": 0.90, "Fondo sociale regionale": 0.05, "Altri enti pubblici": 0.05}),
        S("ADM", "Assistenza Domiciliare Minori (ADM)", "Minori e Famiglia",
          m={U: 52, O: 2046.0, V: 918}, f={U: 1.04, O: 1.06, V: 1.05}, b=58120.00, bf=1.05,
          ind="utenti/target_x1000", target="minori 0-17 Sarnico Villongo",
          split={"Comune": 0.84, "Utenza": 0.08, "FNPS": 0.08}),
        S("ADI", "Assegno di Inclusione - patti per l'inclusione", "Inclusione Sociale",
          m={U: 131, D: 97, B: 118}, f={U: 1.05, D: 1.12, B: 1.06}, b=91870.00, bf=1.07,
          ind="beneficiari/domande", split={"Fondo povertà": 0.88, "Comune": 0.12}),
        S("SIL", "Servizio Inserimenti Lavorativi (SIL)", "Inclusione Sociale",
          m={U: 44, D: 21}, f={U: 1.07, D: 1.05}, b=64200.00, bf=1.05,
          ind="utenti/target_x1000", target="15-64", split={"Comune": 0.82, "Altri enti pubblici": 0.18}),
        S("TIS", "Tirocini di inclusione sociale", "Inclusione Sociale",
          m={U: 9, O: 3240.0}, b=18600.00, years=(2025,),
          ind="ore/utenti", split={"Fondo povertà": 0.7, "Comune": 0.3}),
        S("SEGR", "Segretariato sociale (front office)", "Piano di Zona",
          m={A: 5320}, f={A: 1.04}, b="-", bf="-", ind="accessi/target_x1000", target="totale residenti"),
        S("SSP", "Servizio sociale professionale e Ufficio di Piano", "Piano di Zona",
          m={U: 1386, V: 512}, f={U: 1.03, V: 1.06}, b=221440.00, bf=1.03,
          ind="utenti/target_x1000", target="totale residenti",
          split={"Comune": 0.92, "FNPS": 0.05, "Altre entrate": 0.03}),
    ],
}


def allocate_cents(total: int, weights: dict) -> dict:
    """Split `total` cents over sources by weight, largest remainder, exact sum."""
    keys = [s for s in SOURCES if weights.get(s, 0) > 0]
    wsum = sum(weights[k] for k in keys)
    raw = {k: total * weights[k] / wsum for k in keys}
    out = {k: int(math.floor(raw[k])) for k in keys}
    rest = total - sum(out.values())
    for k in sorted(keys, key=lambda k: (-(raw[k] - out[k]), SOURCES.index(k)))[:rest]:
        out[k] += 1
    return out


def children_of(services, code):
    return [s for s in services if s["parent"] == code]


def build_year(ambito: str, year: int) -> dict:
    """Return {code: row} for one Ambito and year.  Rows carry measures,
    budget (cents | '-' | None) and the per-phase/per-source split."""
    specs = [s for s in SERVICES[ambito] if year in s["years"]]
    rng = random.Random(f"ambito-demo/budget/{ambito}/{year}")
    rows = {}

    def own_values(s):
        vals = {}
        first = year == s["years"][0]
        for m, v in s["m"].items():
            if year == 2024 or first:
                vals[m] = v
            else:
                fac = s["f"].get(m, s["f"].get("*", 1.0))
                if m == O:
                    vals[m] = round(v * fac * 4) / 4
                else:
                    vals[m] = int(round(v * fac))
        return vals

    def own_budget(s):
        b = s["b"]
        if b in ("-", None):
            return b
        cents = int(round(b * 100))
        if year == 2025 and s["years"][0] == 2024:
            if s["bf"] in ("-", None):
                return s["bf"]
            cents = int(round(cents * s["bf"]))
        if cents % 100 == 0:  # whole euros: make it look like a real account
            jitter = random.Random(f"ambito-demo/cents/{ambito}/{s['code']}/{year}")
            cents = int(round(cents * (1 + jitter.uniform(-0.004, 0.004))))
        return cents

    def phases_for(cents, weights):
        imp = allocate_cents(cents, weights)
        out = {"impegnato": imp, "stanziato": {}, "liquidato": {}}
        lo, hi = (0.90, 0.995) if year == 2024 else (0.84, 0.97)
        for src, v in imp.items():
            out["stanziato"][src] = int(round(v * (1 + rng.uniform(0.0, 0.07))))
            out["liquidato"][src] = int(round(v * rng.uniform(lo, hi)))
        return out

    def build(s):
        code = s["code"]
        if code in rows:
            return rows[code]
        kids = [build(c) for c in children_of(specs, code)]
        row = {"spec": s, "measures": {}, "budget": None, "split": None}
        if s["kind"] == "blank":
            rows[code] = row
            return row
        vals = own_values(s)
        budget = own_budget(s)
        split = None
        if isinstance(budget, int):
            split = phases_for(budget, s["split"])
        if s["kind"] == "incl":
            for m in MEASURES:
                kv = [k["measures"][m] for k in kids if k["measures"].get(m) is not None]
                if not kv and m not in vals:
                    continue
                own = vals.get(m, 0)
                if m in PERSON_MEASURES:  # people: remove the overlap, never below a child
                    v = own + int(round(sum(kv) * (1 - s["overlap"])))
                    v = max([v] + kv)
                else:  # activity units add up
                    v = own + sum(kv)
                vals[m] = v
            if isinstance(budget, int):
                for k in kids:
                    if not isinstance(k["budget"], int):
                        continue
                    budget += k["budget"]
                    for ph in PHASES:
                        for src, v in k["split"][ph].items():
                            split[ph][src] = split[ph].get(src, 0) + v
        row["measures"] = vals
        row["budget"] = budget
        row["split"] = split
        rows[code] = row
        return row

    for s in specs:
        build(s)
    # keep catalogue order
    return {s["code"]: rows[s["code"]] for s in specs}


def rolled_budget(rows: dict, code: str) -> int:
    """Budget of a service counting blank parents as the sum of their children."""
    r = rows[code]
    if isinstance(r["budget"], int):
        return r["budget"]
    if r["spec"]["kind"] == "blank":
        return sum(rolled_budget(rows, c) for c, x in rows.items() if x["spec"]["parent"] == code)
    return 0


def ambito_budget(rows: dict) -> int:
    return sum(rolled_budget(rows, c) for c, r in rows.items() if r["spec"]["parent"] is None)


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------


def write_lines(path: Path, header: list, rows: list):
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [";".join(header)]
    for r in rows:
        cells = ["" if c is None else str(c) for c in r]
        assert all(";" not in c and "\n" not in c for c in cells), r
        lines.append(";".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_territory():
    rows = []
    for code, amb in AMBITI.items():
        for istat, name, *_ in amb["comuni"]:
            rows.append([*REGIONE, *ATS, *DISTRETTO, code, amb["name"], istat, name])
    write_lines(OUT / "territory.csv",
                ["codice_regione", "regione", "codice_ats", "ats", "codice_distretto", "distretto",
                 "codice_ambito", "ambito", "codice_istat", "comune"], rows)


def write_population(year: int, pops: dict):
    rows = []
    names = {c: n for amb in AMBITI.values() for c, n, *_ in amb["comuni"]}
    allc = {}
    for p in pops.values():
        allc.update(p)
    for code in sorted(allc):
        c = allc[code]
        tm = tf = 0
        for a in range(0, 101):
            m, f = c[("M", a)], c[("F", a)]
            tm += m
            tf += f
            rows.append([code, names[code], a, m, f, m + f])
        rows.append([code, names[code], 999, tm, tf, tm + tf])
    write_lines(OUT / f"population-{year}.csv",
                ["Codice comune", "Comune", "Età", "Totale maschi", "Totale femmine", "Totale"], rows)


def write_targets():
    rows = []
    for amb, ts in TARGETS.items():
        for name, emin, emax, comuni, valore in ts:
            rows.append([amb, name, emin, emax, ",".join(comuni) if comuni else None, valore])
    write_lines(OUT / "targets.csv", ["codice_ambito", "nome", "eta_min", "eta_max", "comuni", "valore"], rows)


ACTIVITY_HEADER = ["anno", "area", "codice_servizio", "servizio", "codice_padre", *MEASURES,
                   "indicatore", "popolazione_target", "budget"]


def fmt_measure(m, v):
    if v is None:
        return None
    if m == O:
        return it_cents(int(round(v * 100)))
    return str(v)


def write_activity(ambito: str, year: int, rows: dict):
    out = []
    for code, r in rows.items():
        s = r["spec"]
        b = r["budget"]
        bcell = it_cents(b) if isinstance(b, int) else ("-" if b == "-" else None)
        out.append([year, s["area"], code, s["name"], s["parent"],
                    *[fmt_measure(m, r["measures"].get(m)) for m in MEASURES],
                    s["ind"], s["target"], bcell])
    write_lines(OUT / ambito.lower() / f"activity-{year}.csv", ACTIVITY_HEADER, out)


def write_budgets(ambito: str, year: int, rows: dict):
    out = []
    for code, r in rows.items():
        if not isinstance(r["budget"], int):
            continue
        for ph in PHASES:
            for src in SOURCES:
                if src in r["split"][ph]:
                    out.append([year, code, ph, src, it_cents(r["split"][ph][src])])
    write_lines(OUT / ambito.lower() / f"budgets-{year}.csv",
                ["anno", "codice_servizio", "fase", "fonte", "importo"], out)


# ---------------------------------------------------------------------------
# Narratives
# ---------------------------------------------------------------------------


def di(x: float) -> str:
    """Preposition 'del'/'dell'' before a percentage, e.g. dell'8%, del 12%."""
    s = it_dec(abs(x), 1).replace(",0", "")
    head = s.split(",")[0]
    vowel = head in ("1", "8", "11") or (len(head) == 2 and head[0] == "8")
    return ("dell'" if vowel else "del ") + s + "%"


def pct(a, b) -> float:
    return 100.0 * (b - a) / a


def trend(a, b, up="in aumento", down="in calo", flat="sostanzialmente stabile") -> str:
    p = pct(a, b)
    if abs(p) < 1.5:
        return flat
    return f"{up if p > 0 else down} {di(p)}"


def euro(cents: int) -> str:
    return it_int(int(round(cents / 100))) + " euro"


def narrative(ambito: str, data: dict, pops: dict, tvalues: dict) -> dict:
    y0, y1 = data[2024], data[2025]

    def m(rows, code, meas):
        return rows[code]["measures"].get(meas)

    def bud(rows, code):
        return rolled_budget(rows, code)

    ind25 = ambito_indices(pops[2025][ambito])
    iv = it_dec(ind25["vecchiaia"], 1)
    tot24, tot25 = ambito_budget(y0), ambito_budget(y1)
    res25 = ind25["totale"]

    if ambito == "ALTO_SEBINO":
        sad_u0, sad_u1 = m(y0, "SAD", U), m(y1, "SAD", U)
        r0 = m(y0, "SAD", O) / sad_u0
        r1 = m(y1, "SAD", O) / sad_u1
        aes_r0 = m(y0, "AES", O) / m(y0, "AES", U)
        aes_r1 = m(y1, "AES", O) / m(y1, "AES", U)
        aff0 = m(y0, "TM_AFFIDI", U)
        aff1 = m(y1, "TM_AFFIDI", U)
        com0, com1 = m(y0, "TM_COMUNITA", U), m(y1, "TM_COMUNITA", U)
        segr1 = m(y1, "SEGR", A)
        areas = [
            {
                "area": "Anziani",
                "lettura": (
                    f"Nel 2025 il Servizio di Assistenza Domiciliare, comprensivo dei pasti a domicilio e del "
                    f"telesoccorso, ha seguito {sad_u1} persone (erano {sad_u0} nel 2024), con "
                    f"{it_int(round(m(y1, 'SAD', O)))} ore di assistenza erogate, {trend(m(y0, 'SAD', O), m(y1, 'SAD', O))}. "
                    f"Le ore per utente passano da {it_dec(r0)} a {it_dec(r1)}, a conferma della crescente complessità "
                    f"dei casi in carico, spesso in uscita da percorsi di dimissione protetta. "
                    f"Per la Misura B2 le domande di buono caregiver sono state {m(y1, 'B2_CAREGIVER', D)} a fronte di "
                    f"{m(y1, 'B2_CAREGIVER', B)} beneficiari, comprensivi dei progetti proseguiti dall'annualità "
                    f"precedente, mentre le integrazioni delle rette RSA e CDI hanno interessato "
                    f"{m(y1, 'INT_RETTE', B)} anziani. "
                    f"Con un indice di vecchiaia di {iv} anziani ogni 100 giovani al 1° gennaio 2025 e la progressiva "
                    f"rarefazione delle reti familiari, il sostegno alla domiciliarità resta la priorità dell'area."
                ),
                "obiettivi": [
                    "Ricomporre in un unico progetto di cura gli interventi di SAD, pasti a domicilio, telesoccorso "
                    "e trasporto sociale a favore dell'anziano fragile.",
                    "Rafforzare con ASST Bergamo Est e la Casa di Comunità di Lovere la valutazione "
                    "multidimensionale e il raccordo sulle dimissioni protette.",
                    "Ridurre i tempi tra la presentazione della domanda e l'erogazione dei buoni e voucher della "
                    "Misura B2, sostenendo i caregiver familiari.",
                    f"Aggiornare con ATS l'anagrafe della fragilità a partire dall'elenco dei "
                    f"{it_int(tvalues['fragili ATS'])} cittadini fragili trasmesso all'Ambito.",
                ],
            },
            {
                "area": "Disabilità",
                "lettura": (
                    f"L'assistenza educativa scolastica si conferma il servizio più rilevante dell'area, con una "
                    f"spesa di {euro(bud(y1, 'AES'))} nel 2025: gli alunni seguiti passano da {m(y0, 'AES', U)} a "
                    f"{m(y1, 'AES', U)}, mentre le ore medie per alunno scendono da {it_dec(aes_r0, 0)} a "
                    f"{it_dec(aes_r1, 0)}, proseguendo la tendenza già rilevata nel precedente Piano di Zona. "
                    f"Il CDD ha mantenuto la piena saturazione dei {m(y1, 'CDD', U)} posti, con "
                    f"{it_int(m(y1, 'CDD', A))} presenze nell'anno, e il CSE ha accolto {m(y1, 'CSE', U)} persone. "
                    f"Le misure del Dopo di Noi hanno sostenuto {m(y1, 'DN_ABITARE', B)} percorsi di autonomia "
                    f"abitativa a fronte di {m(y1, 'DN_ABITARE', D)} nuove domande, grazie alla prosecuzione dei "
                    f"progetti avviati negli anni precedenti."
                ),
                "obiettivi": [
                    "Costruire per ogni persona con disabilità presa in carico un progetto di vita individuale, "
                    "personalizzato e partecipato, con budget di progetto.",
                    "Rivedere l'accreditamento dell'assistenza educativa scolastica per garantire continuità "
                    "educativa e una più equa distribuzione delle ore tra gli alunni.",
                    "Attivare progetti ponte tra scuola superiore e servizi diurni (CDD, CSE, SFA) per i giovani "
                    "in uscita dal percorso scolastico.",
                    "Ampliare le esperienze di palestra di autonomia del Dopo di Noi coinvolgendo le famiglie e gli "
                    "enti del terzo settore.",
                ],
            },
            {
                "area": "Inclusione Sociale",
                "lettura": (
                    f"Nel secondo anno di applicazione dell'Assegno di Inclusione le équipe multidisciplinari hanno "
                    f"ricevuto {m(y1, 'ADI', D)} nuove domande e seguito {m(y1, 'ADI', B)} nuclei con patto per "
                    f"l'inclusione attivo. "
                    f"Il Servizio Inserimenti Lavorativi ha in carico {m(y1, 'SIL', U)} persone e sono stati "
                    f"attivati {m(y1, 'TIS', U)} tirocini di inclusione sociale, per complessive "
                    f"{it_int(round(m(y1, 'TIS', O)))} ore. "
                    f"Cresce la pressione sul fronte abitativo: le domande di sostegno per l'emergenza abitativa sono "
                    f"{m(y1, 'EMERG_ABIT', D)}, {trend(m(y0, 'EMERG_ABIT', D), m(y1, 'EMERG_ABIT', D))}, ma le "
                    f"risorse disponibili hanno consentito di sostenere {m(y1, 'EMERG_ABIT', B)} nuclei. "
                    f"I contributi economici comunali, con {m(y1, 'CONTRIB_ECON', B)} beneficiari, risultano invece "
                    f"{trend(m(y0, 'CONTRIB_ECON', B), m(y1, 'CONTRIB_ECON', B))}."
                ),
                "obiettivi": [
                    "Consolidare le équipe multidisciplinari per i patti di inclusione, in raccordo con il Centro "
                    "per l'Impiego e i servizi specialistici.",
                    "Ampliare la rete delle aziende del territorio disponibili ad accogliere tirocini di inclusione "
                    "e inserimenti lavorativi.",
                    "Avviare un'Agenzia per l'abitare di Ambito che integri fondo emergenza abitativa, "
                    "accompagnamento e ricerca di alloggi a canone concordato.",
                ],
            },
            {
                "area": "Minori e Famiglia",
                "lettura": (
                    f"Il Servizio Tutela Minori ha in carico {m(y1, 'TM', U)} minori, con {m(y1, 'TM', D)} nuovi "
                    f"provvedimenti o segnalazioni dell'Autorità Giudiziaria nel corso dell'anno. "
                    f"Prosegue lo spostamento verso forme di accoglienza familiare: i minori in affido passano da "
                    f"{aff0} a {aff1}, mentre gli inserimenti in comunità scendono da {com0} a {com1}, con una "
                    f"riduzione della relativa spesa {di(pct(bud(y0, 'TM_COMUNITA'), bud(y1, 'TM_COMUNITA')))}. "
                    f"L'Assistenza Domiciliare Minori ha seguito {m(y1, 'ADM', U)} minori con "
                    f"{it_int(round(m(y1, 'ADM', O)))} ore educative. "
                    f"Nel 2025 è stato avviato il programma P.I.P.P.I., che coinvolge {m(y1, 'PIPPI', U)} nuclei "
                    f"familiari in situazione di vulnerabilità."
                ),
                "obiettivi": [
                    "Promuovere l'affido familiare e le reti di famiglie solidali come alternativa all'inserimento "
                    "in comunità.",
                    "Consolidare il metodo P.I.P.P.I. nella presa in carico delle famiglie vulnerabili, estendendolo "
                    "alle équipe della tutela.",
                    "Potenziare l'ADM in chiave preventiva, con interventi educativi precoci concordati con scuole "
                    "e pediatri.",
                    "Sostenere l'accesso ai servizi per la prima infanzia attraverso la misura Nidi Gratis.",
                ],
            },
            {
                "area": "Piano di Zona",
                "lettura": (
                    f"Il segretariato sociale ha registrato {it_int(segr1)} accessi, pari a "
                    f"{it_dec(1000 * segr1 / res25, 0)} ogni 1.000 residenti, "
                    f"{trend(m(y0, 'SEGR', A), segr1)} rispetto al 2024. "
                    f"Il Punto Unico di Accesso presso la Casa di Comunità di Lovere ha raggiunto "
                    f"{it_int(m(y1, 'PUA', A))} accessi, {trend(m(y0, 'PUA', A), m(y1, 'PUA', A))}, segno del "
                    f"consolidamento dell'integrazione sociosanitaria. "
                    f"Il servizio sociale professionale, gestito in forma associata per tutti i Comuni "
                    f"dell'Ambito, ha in carico {it_int(m(y1, 'SSP', U))} persone. "
                    f"La spesa complessiva impegnata dall'Ambito raggiunge {euro(tot25)}, "
                    f"{trend(tot24, tot25)} rispetto all'anno precedente."
                ),
                "obiettivi": [
                    "Garantire il monitoraggio semestrale degli obiettivi del Piano di Zona 2025-2027 con indicatori "
                    "di processo, output e outcome condivisi con l'Assemblea dei Sindaci.",
                    "Completare l'adozione della cartella sociale informatizzata da parte di tutti gli operatori "
                    "dell'Ambito.",
                    "Mantenere attivi i tavoli di co-programmazione con gli enti del terzo settore.",
                    "Applicare in modo omogeneo il regolamento unico di Ambito per l'accesso ai servizi e la "
                    "compartecipazione ISEE.",
                ],
            },
        ]
    else:
        adi_d1, adi_b1 = m(y1, "ADI", D), m(y1, "ADI", B)
        segr1 = m(y1, "SEGR", A)
        aes_r0 = m(y0, "AES", O) / m(y0, "AES", U)
        aes_r1 = m(y1, "AES", O) / m(y1, "AES", U)
        areas = [
            {
                "area": "Anziani",
                "lettura": (
                    f"Nel 2025 il Servizio di Assistenza Domiciliare ha seguito {m(y1, 'SAD', U)} anziani "
                    f"(erano {m(y0, 'SAD', U)} nel 2024), con {it_int(round(m(y1, 'SAD', O)))} ore erogate e "
                    f"{it_int(m(y1, 'SAD', V))} interventi a domicilio. "
                    f"La Misura B2 registra {m(y1, 'B2', D)} domande, {trend(m(y0, 'B2', D), m(y1, 'B2', D))}, "
                    f"ma i beneficiari scendono a {m(y1, 'B2', B)} per effetto della minore assegnazione del Fondo "
                    f"Non Autosufficienze. "
                    f"L'indice di vecchiaia dell'Ambito, pari a {iv} al 1° gennaio 2025, resta inferiore a quello "
                    f"dei territori montani vicini ma in costante crescita."
                ),
                "obiettivi": [
                    "Ampliare la fascia oraria del SAD e integrare le prestazioni con quelle dell'assistenza "
                    "domiciliare integrata di ASST Bergamo Est.",
                    "Definire criteri di priorità condivisi per la graduatoria della Misura B2.",
                    "Avviare uno sportello per l'incontro tra domanda e offerta di assistenti familiari.",
                ],
            },
            {
                "area": "Disabilità",
                "lettura": (
                    f"L'assistenza educativa scolastica ha seguito {m(y1, 'AES', U)} alunni con "
                    f"{it_int(round(m(y1, 'AES', O)))} ore di intervento, per una spesa di "
                    f"{euro(bud(y1, 'AES'))}, la voce più consistente dell'Ambito. "
                    f"Le ore medie per alunno passano da {it_dec(aes_r0, 0)} a {it_dec(aes_r1, 0)}. "
                    f"Il Centro Diurno Disabili ha accolto {m(y1, 'CDD', U)} persone con {it_int(m(y1, 'CDD', A))} "
                    f"presenze, {trend(m(y0, 'CDD', A), m(y1, 'CDD', A))}."
                ),
                "obiettivi": [
                    "Introdurre il progetto di vita individuale per le persone con disabilità prese in carico.",
                    "Uniformare tra i Comuni i criteri di assegnazione delle ore di assistenza educativa scolastica.",
                    "Sviluppare con il terzo settore proposte di tempo libero e autonomia per i giovani adulti.",
                ],
            },
            {
                "area": "Inclusione Sociale",
                "lettura": (
                    f"Le équipe per l'Assegno di Inclusione hanno ricevuto {adi_d1} nuove domande e seguito "
                    f"{adi_b1} nuclei con patto attivo, {trend(m(y0, 'ADI', B), adi_b1)} rispetto al 2024. "
                    f"Il Servizio Inserimenti Lavorativi ha in carico {m(y1, 'SIL', U)} persone. "
                    f"Dal 2025 l'Ambito ha attivato i tirocini di inclusione sociale finanziati dalla quota servizi "
                    f"del Fondo Povertà: {m(y1, 'TIS', U)} tirocini per {it_int(round(m(y1, 'TIS', O)))} ore."
                ),
                "obiettivi": [
                    "Consolidare i tirocini di inclusione sociale avviati nel 2025 e ampliarne la rete di aziende "
                    "ospitanti.",
                    "Rafforzare il raccordo tra équipe dei patti di inclusione e Centro per l'Impiego.",
                    "Mappare le situazioni di fragilità abitativa in vista di un fondo di Ambito dedicato.",
                ],
            },
            {
                "area": "Minori e Famiglia",
                "lettura": (
                    f"L'équipe della Tutela Minori ha in carico {m(y1, 'TM_EQUIPE', U)} minori, con "
                    f"{m(y1, 'TM_EQUIPE', D)} nuove segnalazioni nell'anno, "
                    f"{trend(m(y0, 'TM_EQUIPE', D), m(y1, 'TM_EQUIPE', D))}. "
                    f"Gli inserimenti in comunità passano da {m(y0, 'TM_COMUNITA', U)} a {m(y1, 'TM_COMUNITA', U)}, "
                    f"con una spesa di {euro(bud(y1, 'TM_COMUNITA'))} che resta comunque la più elevata dell'area. "
                    f"L'Assistenza Domiciliare Minori ha seguito {m(y1, 'ADM', U)} minori con "
                    f"{it_int(round(m(y1, 'ADM', O)))} ore educative."
                ),
                "obiettivi": [
                    "Avviare un servizio affidi di Ambito per ridurre il ricorso all'inserimento in comunità.",
                    "Potenziare l'ADM in funzione preventiva, in collaborazione con gli istituti comprensivi.",
                    "Sostenere la genitorialità con percorsi di gruppo e spazi di incontro per le famiglie.",
                ],
            },
            {
                "area": "Piano di Zona",
                "lettura": (
                    f"Il segretariato sociale ha registrato {it_int(segr1)} accessi, "
                    f"{trend(m(y0, 'SEGR', A), segr1)} rispetto al 2024, pari a "
                    f"{it_dec(1000 * segr1 / res25, 0)} ogni 1.000 residenti. "
                    f"Il servizio sociale professionale ha in carico {it_int(m(y1, 'SSP', U))} persone. "
                    f"La spesa complessiva impegnata dall'Ambito è di {euro(tot25)}, {trend(tot24, tot25)}."
                ),
                "obiettivi": [
                    "Avviare il monitoraggio semestrale degli obiettivi del Piano di Zona 2025-2027.",
                    "Adottare una cartella sociale informatizzata comune a tutti i Comuni dell'Ambito.",
                    "Costituire il tavolo di co-programmazione con gli enti del terzo settore.",
                ],
            },
        ]
    return {"year": 2025, "areas": areas}


# ---------------------------------------------------------------------------
# Self-check (reads back the written files)
# ---------------------------------------------------------------------------


def read_csv(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(";")
    rows = []
    for ln in lines[1:]:
        cells = ln.split(";")
        assert len(cells) == len(header), (path, ln)
        rows.append(dict(zip(header, cells)))
    return header, rows


def self_check():
    # territory
    _, terr = read_csv(OUT / "territory.csv")
    comuni_of = {}
    for r in terr:
        assert len(r["codice_istat"]) == 6 and r["codice_istat"].startswith("016")
        comuni_of.setdefault(r["codice_ambito"], set()).add(r["codice_istat"])
    all_comuni = set().union(*comuni_of.values())
    assert len(all_comuni) == len(terr), "duplicate Comune in territory.csv"

    # population: 0..100 + 999 per Comune, 999 = sums
    for year in YEARS:
        header, rows = read_csv(OUT / f"population-{year}.csv")
        assert header == ["Codice comune", "Comune", "Età", "Totale maschi", "Totale femmine", "Totale"]
        by = {}
        for r in rows:
            by.setdefault(r["Codice comune"], []).append(r)
        assert set(by) == all_comuni
        for code, rs in by.items():
            ages = [int(r["Età"]) for r in rs]
            assert ages == list(range(0, 101)) + [999], code
            sm = sf = st = 0
            for r in rs[:-1]:
                m, f, t = int(r["Totale maschi"]), int(r["Totale femmine"]), int(r["Totale"])
                assert m >= 0 and f >= 0 and t == m + f
                sm, sf, st = sm + m, sf + f, st + t
            tot = rs[-1]
            assert (int(tot["Totale maschi"]), int(tot["Totale femmine"]), int(tot["Totale"])) == (sm, sf, st), code

    # targets
    _, trows = read_csv(OUT / "targets.csv")
    tnames = {}
    for r in trows:
        tnames.setdefault(r["codice_ambito"], set()).add(r["nome"])
        assert (r["valore"] != "") != (r["eta_min"] != ""), r
        if r["comuni"]:
            assert set(r["comuni"].split(",")) <= comuni_of[r["codice_ambito"]], r

    for ambito in AMBITI:
        d = OUT / ambito.lower()
        prev_codes = None
        for year in YEARS:
            header, rows = read_csv(d / f"activity-{year}.csv")
            assert header == ACTIVITY_HEADER
            codes = [r["codice_servizio"] for r in rows]
            assert len(codes) == len(set(codes)), f"duplicate service code in {ambito} {year}"
            by = {r["codice_servizio"]: r for r in rows}
            for r in rows:
                assert r["anno"] == str(year) and r["area"] in AREAS, r
                assert r["indicatore"] in ("",) + INDICATORS, r
                if r["indicatore"].endswith("_target_x1000"):
                    t = r["popolazione_target"]
                    assert t in tnames[ambito] or t.replace(".", "").isdigit(), r
                # parents exist, same area, no cycles
                seen, cur = set(), r
                while cur["codice_padre"]:
                    assert cur["codice_servizio"] not in seen, f"cycle at {cur['codice_servizio']}"
                    seen.add(cur["codice_servizio"])
                    par = by.get(cur["codice_padre"])
                    assert par is not None, f"missing parent {cur['codice_padre']}"
                    assert par["area"] == cur["area"], f"parent in other area: {cur['codice_servizio']}"
                    cur = par
                # inclusive parents cover their children
                kids = [k for k in rows if k["codice_padre"] == r["codice_servizio"]]
                own = any(r[m] for m in MEASURES) or r["budget"] not in ("",)
                for k in kids if own else []:
                    for m in MEASURES:
                        if k[m]:
                            assert r[m] and parse_it_number(r[m]) >= parse_it_number(k[m]), (r, k, m)
            if prev_codes is not None:
                assert len(set(codes) - prev_codes) >= 1, "expected a new service in 2025"
            prev_codes = set(codes)

            # budgets: impegnato == activity budget to the cent; liquidato <= impegnato
            _, brows = read_csv(d / f"budgets-{year}.csv")
            sums = {}
            for b in brows:
                assert b["anno"] == str(year) and b["fase"] in PHASES and b["fonte"] in SOURCES, b
                assert b["codice_servizio"] in by, b
                sums[(b["codice_servizio"], b["fase"], b["fonte"])] = parse_it_cents(b["importo"])
            for code, r in by.items():
                imp = sum(v for (c, ph, _), v in sums.items() if c == code and ph == "impegnato")
                if r["budget"] in ("", "-"):
                    assert imp == 0 and not any(c == code for c, _, _ in sums), code
                    continue
                assert imp == parse_it_cents(r["budget"]), (ambito, year, code, imp, r["budget"])
                for (c, ph, src), v in sums.items():
                    if c == code and ph != "impegnato":
                        assert (c, "impegnato", src) in sums, (c, ph, src)
                        if ph == "liquidato":
                            assert v <= sums[(c, "impegnato", src)]
        nar = json.loads((d / "narrative-2025.json").read_text(encoding="utf-8"))
        assert nar["year"] == 2025 and [a["area"] for a in nar["areas"]] == list(AREAS)
        for a in nar["areas"]:
            assert 3 <= len(a["obiettivi"]) <= 4 and a["lettura"]


# ---------------------------------------------------------------------------


def main():
    pops = {2024: {}, 2025: {}}
    for amb in AMBITI:
        pops[2024][amb] = make_population_2024(amb)
        pops[2025][amb] = age_population(amb, pops[2024][amb])

    write_territory()
    for year in YEARS:
        write_population(year, pops[year])
    write_targets()

    summary = []
    for amb in AMBITI:
        data = {year: build_year(amb, year) for year in YEARS}
        for year in YEARS:
            write_activity(amb, year, data[year])
            write_budgets(amb, year, data[year])
        tvalues = {t[0]: t[4] for t in TARGETS[amb]}
        nar = narrative(amb, data, pops, tvalues)
        path = OUT / amb.lower() / "narrative-2025.json"
        path.write_text(json.dumps(nar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        for year in YEARS:
            ind = ambito_indices(pops[year][amb])
            summary.append(
                f"{amb} {year}: residenti {ind['totale']}, vecchiaia {ind['vecchiaia']:.1f}, "
                f"dipendenza {ind['dipendenza']:.1f}, invecchiamento {ind['invecchiamento']:.1f}%, "
                f"fascia più popolosa {ind['fascia_piu_popolosa']}, servizi {len(data[year])}, "
                f"budget {it_cents(ambito_budget(data[year]))} EUR"
            )

    self_check()
    for line in summary:
        print(line)
    print(f"self-check OK, files in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

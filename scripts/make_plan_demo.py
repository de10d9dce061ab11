#!/usr/bin/env python3
"""Converts the customer's extractions of the Piano di Zona into ambito's own plan format
(`ambito-piano/1`, docs/plan-format.md) for the demo, under crates/app/demo/plan/:

- alto_sebino-2021-2023.json: every card of shared/domain/plan-2021-2023-alto-sebino.json
  (23 Ambito cards §8.2-8.5, 3 district cards §8.6, 3 provincial objectives §3) with their
  indicators, tagged process/output/outcome by the field they sit in;
- alto_sebino-2018-2020.json: the 37 evaluation records of the plan's §4 as the 2018-2020 plan
  with its evaluation cards;
- basso_sebino-2018-2020.json: the 8 records of seed 004 (another Ambito's evaluation, used as
  example texts for the demo's second Ambito);
- basso_sebino-2021-2023.json: the second Ambito's plan (it sees the shared cards);
- monitoring.json: the manual values entered in the demo's two monitoring rounds per Ambito.

What the extractions do not say is decided here and marked as demo material: the measure type
comes from the extraction's heuristic label; the level (micro/meso/macro) from the kind; five
indicators are linked to the demo's activity data with a 2024 baseline and a demo target.

Usage: scripts/make_plan_demo.py [path/to/shared/domain]   (default /work/shared/domain)
"""
import json
import sys
from pathlib import Path

SRC = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/domain")
OUT = Path(__file__).resolve().parent.parent / "crates" / "app" / "demo" / "plan"
FORMAT = "ambito-piano/1"

MEASURE = {
    "count": "count",
    "milestone_yes_no": "milestone",
    "activity_statement": "milestone",
    "periodic_report_document": "milestone",
    "qualitative_or_graded_assessment": "milestone",
    "other_qualitative": "milestone",
    "percentage_change_vs_previous_years": "change_pct",
    "trend_increase_decrease_no_explicit_baseline": "change_pct",
    "ratio_or_coverage_percentage": "percentage",
    "questionnaire_satisfaction": "questionnaire",
    "assessment_test": "test",
}
KIND_LETTER = {"process": "P", "output": "O", "outcome": "E"}
DEMO_NOTE = "Collegamento, partenza e obiettivo dimostrativi: la scheda del piano non li quantifica."

# Indicators linked to the demo's activity data: (card, kind, position from 1) -> fields.
LINKS = {
    ("AMB-01", "output", 1): {"link": "servizio:SSP:utenti", "measure": "count", "level": "meso",
                              "baseline": "1214", "baseline_year": 2024, "target": "1300"},
    ("AMB-01", "outcome", 1): {"link": "servizio:SSP:utenti", "measure": "change_pct", "level": "macro",
                               "baseline": "1214", "baseline_year": 2024, "target": "5"},
    ("AMB-06", "output", 3): {"link": "servizio:AES:utenti", "measure": "change_pct", "level": "macro",
                              "baseline": "68", "baseline_year": 2024, "target": "10"},
}
SERVICES = {"AMB-01": ["SSP"], "AMB-06": ["AES"]}


def answer(field):
    if not field:
        return None
    v = (field.get("value") or field.get("answer") or "").strip().lower()
    code = {"sì": "si", "si": "si", "no": "no", "parziale": "parziale", "parzialmente": "parziale", "in parte": "parziale"}.get(v)
    text = field.get("raw") or field.get("text")
    out = {}
    if code:
        out["answer"] = code
    if text:
        out["text"] = text.strip()
    return out or None


def text(field, key="text"):
    if not field:
        return None
    v = field.get(key) if isinstance(field, dict) else field
    return v.strip() if isinstance(v, str) and v.strip() else None


def indicators_of(card):
    out = []
    for field, kind in (("modalita_organizzative_indicatori_processo", "process"),
                        ("risultati_attesi_indicatori_output", "output"),
                        ("impatto_indicatori_outcome", "outcome")):
        for n, ind in enumerate((card.get(field) or {}).get("indicators", []), start=1):
            measure = MEASURE.get(ind.get("primary_measure_type"), "milestone")
            level = "meso" if kind != "outcome" else ("micro" if measure in ("questionnaire", "test") else "macro")
            low = ind["text"].lower()
            i = {
                "code": f"{card['id']}-{KIND_LETTER[kind]}{n}",
                "text": ind["text"].strip(),
                "kind": kind,
                "level": level,
                "measure": measure,
                "direction": "down" if ("riduzione" in low or "diminuzione" in low) else "up",
                "frequency": "semiannual",
            }
            extra = LINKS.get((card["id"], kind, n))
            if extra:
                i.update(extra)
                i["evidence_note"] = DEMO_NOTE
            elif measure != "milestone" or kind != "process":
                i["evidence_note"] = "Inserimento manuale con evidenza (verbali, registri, report)."
            out.append(i)
    return out


def card_fields(card, code, level, scope):
    o = {
        "code": code,
        "level": level,
        "scope": scope,
        "title": card["titolo"].strip(),
    }
    sin = card.get("tavola_sinottica_8_1") or {}
    if sin.get("short_description"):
        o["short_description"] = sin["short_description"].strip()
    for key, src in (("description", "descrizione"), ("target", "target"), ("resources", "risorse_economiche_preventivate"),
                     ("staff", "risorse_di_personale_dedicate"), ("needs", "bisogni")):
        v = text(card.get(src))
        if v:
            o[key] = v
    for key, src in (("cross_cutting", "trasversale_integrato_altre_aree_policy"), ("sociosanitary", "integrazione_sociosanitaria"),
                     ("continuity", "continuita_programmazione_2018_2020"), ("codesigned", "co_progettato_con_attori_rete")):
        a = answer(card.get(src))
        if a:
            o[key] = a
    areas = (card.get("trasversale_integrato_altre_aree_policy") or {}).get("rl_areas_mentioned") or []
    if areas:
        o["cross_cutting_areas"] = sorted(set(areas))
    for key, src, sub in (("process_intro", "modalita_organizzative_indicatori_processo", "intro"),
                          ("output_intro", "risultati_attesi_indicatori_output", "intro"),
                          ("outcome_narrative", "impatto_indicatori_outcome", "narrative")):
        v = text(card.get(src), sub)
        if v:
            o[key] = v
    amounts = (card.get("risorse_economiche_preventivate") or {}).get("amounts_mentioned") or []
    if len(amounts) == 1:
        digits = amounts[0].replace("euro", "").replace("€", "").replace(".", "").replace(",", ".").strip()
        o["resource_amounts"] = [{"source": "Totale preventivato nella scheda", "eur": str(float(digits)).removesuffix(".0")}]
    if code in SERVICES:
        o["services"] = SERVICES[code]
    o["indicators"] = indicators_of(card)
    return o


def joined(v):
    return "\n".join(x.strip() for x in v) if isinstance(v, list) else v.strip()


def plan_2021_2023(d):
    macro_code = {m["name"]: code for code, m in d["macroaree_ambito"].items()}
    objectives = []
    for card in d["ambito_objectives"]:
        o = card_fields(card, card["id"], "ambito", "ALTO_SEBINO")
        o["macroarea"] = macro_code[card["macroarea_ambito"]]
        o["rl_areas"] = card["rl_areas_macroarea"]
        objectives.append(o)
    for card in d["district_objectives_8_6"]:
        o = card_fields(card, card["id"], "distretto", "BG_EST")
        o["rl_areas"] = card.get("rl_areas_inferred") or []
        objectives.append(o)
    for p in d["provincial_prologue_objectives_section_3"]:
        governance = p.get("governance")
        if isinstance(governance, list):
            governance = ", ".join(governance)
        actions = p.get("azioni_principali_2022_2023") or p.get("azioni_principali") or []
        o = {
            "code": p["id"],
            "level": "provincia",
            "scope": "ATS_BG",
            "title": p["titolo"].strip(),
            "description": joined(p["obiettivo"]),
            "needs": joined(p["descrizione"]),
            "codesigned": {"answer": "si", "text": governance} if governance else None,
            "actions": [{"text": a["text"].strip(), **({"deadline": a["deadline"]} if a.get("deadline") else {}),
                         "status": "planned"} for a in actions if a["text"].strip()],
            "indicators": [],
        }
        o = {k: v for k, v in o.items() if v is not None}
        objectives.append(o)
    prov = {o["code"]: o for o in objectives}
    prov["PROV-02"]["rl_areas"] = ["D", "E", "J"]
    prov["PROV-02"]["indicators"] = [{
        "code": "PROV-02-E1",
        "text": "Anziani assistiti a domicilio (SAD) ogni 1.000 residenti di 75 anni e più",
        "kind": "outcome", "level": "macro", "measure": "per_1000", "direction": "up",
        "target": "35", "frequency": "semiannual", "link": "servizio:SAD:utenti",
        "target_population": "anziani 75+", "evidence_note": DEMO_NOTE,
    }]
    prov["PROV-03"]["rl_areas"] = ["F"]
    prov["PROV-03"]["indicators"] = [{
        "code": "PROV-03-O1",
        "text": "Cartella Sociale Informatizzata in uso esclusivo da parte di tutti gli operatori dell'Ambito",
        "kind": "output", "level": "meso", "measure": "milestone", "direction": "up",
        "target_date": "2023-12-31", "frequency": "semiannual",
        "evidence_note": "Verifica dell'Ufficio di Piano sugli accessi alla cartella (indicatore dimostrativo).",
    }]
    return {
        "format": FORMAT,
        "ambito": "ALTO_SEBINO",
        "triennium": "2021-2023",
        "title": "Piano di Zona 2021-2023 dell'Ambito distrettuale Alto Sebino",
        "status": "approved",
        "start_date": "2021-12-15",
        "end_date": "2023-12-31",
        "approval": {"body": "Assemblea dei Sindaci dell'Ambito distrettuale Alto Sebino", "date": "2021-12-15"},
        "previous_triennium": "2018-2020",
        "notes": "Schede dal documento di piano (DGR XI/4563/2021). Le rilevazioni dimostrative usano i dati di attività 2024-2025 del sistema.",
        "macroareas": [{"code": code, "name": m["name"], "rl_areas": m["rl_areas"]} for code, m in d["macroaree_ambito"].items()],
        "objectives": objectives,
    }


AREA_RL = {"4.1": ["D", "E"], "4.2": ["J"], "4.3": ["A", "C"], "4.4": ["F"], "4.5": ["G", "I"], "4.6": ["G"]}


def items_text(field):
    if not field:
        return None
    parts = [field.get("intro"), field.get("text") if not field.get("items") else None]
    parts += [f"• {i}" for i in field.get("items") or []]
    parts.append(field.get("outro"))
    joined = "\n".join(p.strip() for p in parts if p and p.strip())
    return joined or (field.get("text") or "").strip() or None


def evaluation_of(r):
    e = {}
    g = r.get("GRADO_DI_RAGGIUNGIMENTO")
    if g:
        if g.get("percent") is not None:
            e["achievement_pct"] = str(g["percent"])
        if g.get("note"):
            e["achievement_note"] = g["note"]
    if r.get("BREVE_DESCRIZIONE_AZIONI_REALIZZATE"):
        e["actions_done"] = items_text(r["BREVE_DESCRIZIONE_AZIONI_REALIZZATE"])
    v = r.get("VALUTAZIONE_DA_PARTE_DEGLI_UTENTI")
    if v:
        e["users_assessment"] = items_text(v)
    c = r.get("LIVELLO_DI_COINCIDENZA_RISORSE")
    if c:
        if c.get("percent") is not None:
            e["resources_match_pct"] = str(c["percent"])
        if c.get("note"):
            e["resources_note"] = c["note"]
    if r.get("CRITICITA_RILEVATE"):
        e["problems"] = items_text(r["CRITICITA_RILEVATE"])
    p = r.get("PIANO_DI_MIGLIORAMENTO")
    if p:
        e["improvement_plan"] = "\n".join(f"• {i}" for i in p["items"])
    for key, src in (("answered_need", "HA_RISPOSTO_AL_BISOGNO"), ("continuity", "IN_CONTINUITA_CON_PROGRAMMAZIONE_2015_2017"),
                     ("reproposed", "RIPROPOSTO_NELLA_PROGRAMMAZIONE_2021_2023")):
        a = answer(r.get(src))
        if a:
            e[key] = a
    return {k: v for k, v in e.items() if v}


def plans_2018_2020(ev):
    alto, basso = [], []
    areas = {}
    for r in ev["records"]:
        if r["source"].startswith("002"):
            n = len(alto) + 1
            areas.setdefault(r["area_code"], r["area"])
            alto.append({
                "code": f"ESI-{n:02d}",
                "level": "ambito",
                "scope": "ALTO_SEBINO",
                "macroarea": r["area_code"],
                "rl_areas": AREA_RL[r["area_code"]],
                "title": r["DIMENSIONE"].strip().capitalize(),
                "description": "\n".join(r["OUTPUT"]),
                "indicators": [{
                    "code": f"ESI-{n:02d}-O{k}", "text": o.strip(), "kind": "output", "level": "meso",
                    "measure": "milestone", "direction": "up", "frequency": "end",
                } for k, o in enumerate(r["OUTPUT"], start=1)],
                "evaluation": evaluation_of(r),
            })
        else:
            n = len(basso) + 1
            basso.append({
                "code": f"OB-{n:02d}",
                "level": "ambito",
                "scope": "BASSO_SEBINO",
                "title": r["OBIETTIVO"].strip(),
                "actions": [{"text": a.strip(), "status": "planned"} for a in r.get("AZIONI_PREVISTE") or []],
                "evaluation": evaluation_of(r),
            })
    common = {"format": FORMAT, "triennium": "2018-2020", "status": "approved", "start_date": "2018-01-01", "end_date": "2020-12-31"}
    alto_plan = {
        **common,
        "ambito": "ALTO_SEBINO",
        "title": "Piano di Zona 2018-2020 dell'Ambito distrettuale Alto Sebino",
        "approval": {"body": "Assemblea dei Sindaci dell'Ambito distrettuale Alto Sebino"},
        "notes": "Obiettivi e valutazione dagli «Esiti della programmazione zonale 2018-2020» (§4 del Piano 2021-2023). "
                 "Le aree regionali A–J sono assegnate nella conversione.",
        "macroareas": [{"code": code, "name": name, "rl_areas": AREA_RL[code]} for code, name in sorted(areas.items())],
        "objectives": alto,
    }
    basso_plan = {
        **common,
        "ambito": "BASSO_SEBINO",
        "title": "Piano di Zona 2018-2020 (dimostrativo)",
        "approval": {"body": "Assemblea dei Sindaci"},
        "notes": "Testi dimostrativi tratti dalla valutazione 2018-2020 di un altro Ambito bergamasco (18 Comuni, Distretto Bergamo Ovest).",
        "objectives": basso,
    }
    return alto_plan, basso_plan


def basso_2021_2023():
    return {
        "format": FORMAT,
        "ambito": "BASSO_SEBINO",
        "triennium": "2021-2023",
        "title": "Piano di Zona 2021-2023 (dimostrativo)",
        "status": "approved",
        "start_date": "2021-12-20",
        "end_date": "2023-12-31",
        "approval": {"body": "Assemblea dei Sindaci (dato dimostrativo)", "date": "2021-12-20"},
        "previous_triennium": "2018-2020",
        "notes": "Piano dimostrativo: l'Ambito vede le schede distrettuali e provinciali condivise con l'Alto Sebino.",
    }


def monitoring():
    def v(indicator, observed, evidence, comment=""):
        return {"indicator": indicator, "observed": observed, "evidence": evidence, "comment": comment,
                "entered_by": "Ufficio di Piano (demo)"}
    return [
        {"ambito": "ALTO_SEBINO", "triennium": "2021-2023", "year": 2024, "half": 2, "closed_by": "Responsabile Ufficio di Piano (demo)",
         "values": [
             v("AMB-06-O1", "no", "Bozza delle linee guida AES in discussione al tavolo tecnico (demo)"),
             v("AMB-01-O2", "sì", "Accordo di collaborazione con ASST Bergamo Est sottoscritto (demo)"),
             v("PROV-03-O1", "no", "Verifica accessi alla cartella sociale: 7 operatori su 10 (demo)",
               "Formazione prevista nel primo semestre"),
         ]},
        {"ambito": "ALTO_SEBINO", "triennium": "2021-2023", "year": 2025, "half": 1, "closed_by": "Responsabile Ufficio di Piano (demo)",
         "values": [
             v("AMB-06-O1", "sì", "Linee guida AES approvate dall'Assemblea dei Sindaci (demo)"),
             v("AMB-01-O2", "sì", "Accordo di collaborazione in vigore (demo)"),
             v("PROV-03-O1", "sì", "Verifica accessi alla cartella sociale: 10 operatori su 10 (demo)"),
         ]},
        {"ambito": "BASSO_SEBINO", "triennium": "2021-2023", "year": 2024, "half": 2, "closed_by": "Ufficio di Piano Basso Sebino (demo)",
         "values": [v("PROV-03-O1", "sì", "Verifica accessi alla cartella sociale (demo)")]},
        {"ambito": "BASSO_SEBINO", "triennium": "2021-2023", "year": 2025, "half": 1, "closed_by": "Ufficio di Piano Basso Sebino (demo)",
         "values": [v("PROV-03-O1", "sì", "Verifica accessi alla cartella sociale (demo)")]},
    ]


def write(name, data):
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main():
    plan = json.loads((SRC / "plan-2021-2023-alto-sebino.json").read_text(encoding="utf-8"))
    ev = json.loads((SRC / "evaluations-2018-2020.json").read_text(encoding="utf-8"))
    p = plan_2021_2023(plan)
    levels = [o["level"] for o in p["objectives"]]
    assert (levels.count("ambito"), levels.count("distretto"), levels.count("provincia")) == (23, 3, 3), levels
    alto, basso = plans_2018_2020(ev)
    assert len(alto["objectives"]) + len(basso["objectives"]) == 45
    write("alto_sebino-2021-2023.json", p)
    write("alto_sebino-2018-2020.json", alto)
    write("basso_sebino-2018-2020.json", basso)
    write("basso_sebino-2021-2023.json", basso_2021_2023())
    write("monitoring.json", monitoring())
    n = sum(len(o["indicators"]) for o in p["objectives"])
    print(f"2021-2023: {len(p['objectives'])} cards, {n} indicators; 2018-2020: {len(alto['objectives'])} + {len(basso['objectives'])} evaluations")


if __name__ == "__main__":
    main()

use super::*;
use ambito_app::NoProgress;
use std::collections::{BTreeMap, BTreeSet};

fn small() -> (tempfile::TempDir, Summary) {
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = write(dir.path(), Scale::Small, 1, &NoProgress).expect("synth small");
    (dir, summary)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn rows(path: &Path) -> Vec<Vec<String>> {
    read(path).lines().skip(1).map(|l| l.split(';').map(str::to_string).collect()).collect()
}

fn cents(s: &str) -> i64 {
    let (i, f) = s.split_once(',').unwrap_or((s, "0"));
    i.parse::<i64>().expect("integer part") * 100 + format!("{f:0<2}").parse::<i64>().expect("decimals")
}

fn ambiti(summary: &Summary) -> Vec<String> {
    let mut v: Vec<String> = summary
        .files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "activity-2025.csv"))
        .filter_map(|f| f.parent()?.file_name()?.to_str().map(str::to_string))
        .collect();
    v.sort();
    v
}

#[test]
fn same_seed_same_bytes() {
    let (a, sa) = small();
    let (b, sb) = small();
    assert_eq!(sa.files.len(), sb.files.len());
    assert_eq!(sa.files.len(), 3 + 3 * sa.ambiti);
    for (fa, fb) in sa.files.iter().zip(&sb.files) {
        assert_eq!(fa.strip_prefix(a.path()).ok(), fb.strip_prefix(b.path()).ok());
        assert!(std::fs::read(fa).unwrap() == std::fs::read(fb).unwrap(), "{} differs between runs", fa.display());
    }
    let other = tempfile::tempdir().unwrap();
    write(other.path(), Scale::Small, 2, &NoProgress).unwrap();
    assert_ne!(read(&a.path().join("population-2025.csv")), read(&other.path().join("population-2025.csv")), "another seed, other data");
}

#[test]
fn headers_and_sizes() {
    let (dir, s) = small();
    let first = |p: PathBuf| read(&p).lines().next().unwrap_or_default().to_string();
    assert_eq!(first(dir.path().join("territory.csv")), TERRITORY_HEADER);
    assert_eq!(first(dir.path().join("population-2025.csv")), POPULATION_HEADER);
    assert_eq!(first(dir.path().join("targets.csv")), TARGETS_HEADER);
    assert_eq!(ambiti(&s), ["AMB001", "AMB002"]);
    for a in ambiti(&s) {
        let d = dir.path().join(&a);
        assert_eq!(first(d.join("activity-2025.csv")), ACTIVITY_HEADER);
        assert_eq!(first(d.join("budgets-2025.csv")), BUDGET_HEADER);
        assert_eq!(first(d.join("deliveries-2025.csv")), DELIVERIES_HEADER);
        assert_eq!(rows(&d.join("activity-2025.csv")).len(), 36);
    }
    assert_eq!((s.ambiti, s.comuni, s.services), (2, 20, 36));
    assert!((48_000..=72_000).contains(&s.residents), "residents {}", s.residents);
    assert!((24_000..=36_000).contains(&s.events), "events {}", s.events);
}

#[test]
fn population_totals_and_shape() {
    let (dir, _) = small();
    let mut by: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for r in rows(&dir.path().join("population-2025.csv")) {
        by.entry(r[0].clone()).or_default().push(r);
    }
    assert_eq!(by.len(), 20);
    let (mut young, mut old, mut old_m, mut old_f) = (0u64, 0u64, 0u64, 0u64);
    for (code, rs) in &by {
        assert!(code.len() == 6 && code.starts_with('9'), "{code}");
        let ages: Vec<u32> = rs.iter().map(|r| r[2].parse().unwrap()).collect();
        assert_eq!(ages, (0..=100).chain([999]).collect::<Vec<_>>(), "{code}");
        let n = |r: &Vec<String>, k: usize| r[k].parse::<u64>().unwrap();
        let (mut m, mut f) = (0, 0);
        for (a, r) in rs[..101].iter().enumerate() {
            assert_eq!(n(r, 3) + n(r, 4), n(r, 5));
            (m, f) = (m + n(r, 3), f + n(r, 4));
            young += if a < 15 { n(r, 5) } else { 0 };
            old += if a >= 65 { n(r, 5) } else { 0 };
            if a >= 90 {
                (old_m, old_f) = (old_m + n(r, 3), old_f + n(r, 4));
            }
        }
        assert_eq!((n(&rs[101], 3), n(&rs[101], 4), n(&rs[101], 5)), (m, f, m + f), "999 row of {code}");
    }
    let index = old * 100 / young;
    assert!((140..=240).contains(&index), "old-age index {index}");
    assert!(old_f > 2 * old_m, "women outnumber men among the very old: {old_f} vs {old_m}");
}

#[test]
fn deliveries_are_plausible() {
    let (dir, s) = small();
    let territory = rows(&dir.path().join("territory.csv"));
    let mut per_service: BTreeMap<String, u64> = BTreeMap::new();
    for a in ambiti(&s) {
        let comuni: BTreeSet<&str> = territory.iter().filter(|r| r[6] == a).map(|r| r[8].as_str()).collect();
        let mut seen = BTreeSet::new();
        let mut last = (String::new(), String::new());
        let mut residence: BTreeMap<String, String> = BTreeMap::new();
        for r in rows(&dir.path().join(&a).join("deliveries-2025.csv")) {
            assert_eq!(r.len(), 7, "{r:?}");
            let [date, svc, comune, person, ore, home, provider] = <[String; 7]>::try_from(r.clone()).unwrap();
            assert!(seen.insert((svc.clone(), person.clone(), date.clone(), provider.clone())), "duplicate {r:?}");
            assert!(date.starts_with("2025-") && date.len() == 10, "{date}");
            let (m, d): (u16, u16) = (date[5..7].parse().unwrap(), date[8..10].parse().unwrap());
            let day = calendar::day(m, d);
            assert_eq!(calendar::iso(day), date, "a real 2025 date");
            assert_ne!(calendar::weekday(day), 6, "no Sundays: {date}");
            assert!(!(svc == "AES" && m == 8), "AES in August: {r:?}");
            assert!((date.clone(), svc.clone()) >= last, "sorted by date then service: {r:?}");
            last = (date, svc.clone());
            assert!(comuni.contains(comune.as_str()), "{comune} not in {a}");
            assert_eq!(residence.entry(person.clone()).or_insert(comune.clone()), &comune, "one residence per person");
            assert!(person.starts_with(&format!("{a}-P")), "{person}");
            let (_, decimals) = ore.split_once(',').expect("decimal comma");
            assert!(decimals.len() <= 2 && (50..=800).contains(&cents(&ore)), "{ore}");
            assert!(home == "si" || home == "no");
            assert!(provider.starts_with("Co"), "{provider}");
            *per_service.entry(svc).or_default() += 1;
        }
    }
    let total: u64 = per_service.values().sum();
    assert_eq!(total, s.events);
    assert_eq!(per_service.len(), 8, "{per_service:?}");
    assert!(per_service["SAD"] + per_service["AES"] > total / 2, "SAD and AES carry most events: {per_service:?}");
}

#[test]
fn budgets_add_up_to_activity() {
    let (dir, s) = small();
    for a in ambiti(&s) {
        let d = dir.path().join(&a);
        let mut committed: BTreeMap<String, i64> = BTreeMap::new();
        for r in rows(&d.join("budgets-2025.csv")) {
            assert!(r[2] == "stanziato" || r[2] == "impegnato", "{r:?}");
            if r[2] == "impegnato" {
                *committed.entry(r[1].clone()).or_default() += cents(&r[4]);
            }
        }
        for r in rows(&d.join("activity-2025.csv")) {
            let (code, budget) = (&r[2], &r[13]);
            match budget.as_str() {
                "" | "-" => assert!(!committed.contains_key(code), "{code}"),
                b => assert_eq!(committed.get(code), Some(&cents(b)), "{a} {code}"),
            }
        }
    }
}

#[tokio::test]
async fn small_imports_cleanly() {
    use ambito_app::reporting::import::activity::ActivityImport;
    use ambito_app::reporting::import::population::PopulationImport;
    let (dir, s) = small();
    let app = ambito_app::App::open(&format!("sqlite://{}/t.db", dir.path().display())).await.expect("database");
    let file = |name: &str| (name.to_string(), std::fs::read(dir.path().join(name)).expect(name));
    let mut outcomes = Vec::new();
    let (n, b) = file("territory.csv");
    outcomes.push(app.import_territory(&n, &b, &NoProgress).await.unwrap());
    let (n, b) = file("population-2025.csv");
    outcomes.push(app.import_population(&n, &b, PopulationImport { year: 2025, skip_unknown_comuni: false }, &NoProgress).await.unwrap());
    let (n, b) = file("targets.csv");
    outcomes.push(app.import_targets(&n, &b, &NoProgress).await.unwrap());
    for a in ambiti(&s) {
        let (n, b) = file(&format!("{a}/activity-2025.csv"));
        let opts = ActivityImport { ambito_code: &a, new_ambito_name: None };
        outcomes.push(app.import_activity(&n, &b, opts, &NoProgress).await.unwrap());
        let (n, b) = file(&format!("{a}/budgets-2025.csv"));
        outcomes.push(app.import_budget(&n, &b, &a, &NoProgress).await.unwrap());
    }
    for o in &outcomes {
        let errors: Vec<String> = o.findings.errors.iter().map(|e| e.to_string()).collect();
        assert!(o.applied && errors.is_empty(), "{}: {errors:?}", o.file);
    }
}

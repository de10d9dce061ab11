//! `ambito bench queries`: the benchmark's questions 2–4 timed inside one process on an open
//! database, the way DuckDB's are timed on an open connection (see bench/README.md). Nothing is
//! cached between repetitions: each one reads the aggregates and builds its answer again.

use ambito_app::App;
use std::path::PathBuf;
use std::time::Instant;

pub struct Questions {
    pub year: i64,
    pub ambito: String,
    pub service: String,
    pub person: String,
    pub reps: usize,
    pub out: PathBuf,
}

/// Runs each question `reps` times, writes the last answer of each to `out/q2.csv`, `q3.csv`,
/// `q4.csv`, and returns one JSON object with the seconds of every repetition.
pub async fn run(app: &App, q: &Questions, open_seconds: f64) -> anyhow::Result<String> {
    std::fs::create_dir_all(&q.out)?;
    let reps = q.reps.max(1);
    let mut times: Vec<(&str, Vec<f64>)> = Vec::new();

    let mut secs = Vec::new();
    let mut answer = Vec::new();
    for _ in 0..reps {
        let t = Instant::now();
        answer = app.region_csv(q.year).await?;
        secs.push(t.elapsed().as_secs_f64());
    }
    std::fs::write(q.out.join("q2.csv"), &answer)?;
    times.push(("q2", std::mem::take(&mut secs)));

    let year = i32::try_from(q.year)?;
    for _ in 0..reps {
        let t = Instant::now();
        let report = app.annual_report_uncached(&q.ambito, year).await?;
        answer = ambito_render::annual_csv(&report)?;
        secs.push(t.elapsed().as_secs_f64());
    }
    std::fs::write(q.out.join("q3.csv"), &answer)?;
    times.push(("q3", std::mem::take(&mut secs)));

    for _ in 0..reps {
        let t = Instant::now();
        answer = app.delivery_history_csv(&q.ambito, &q.service, &q.person).await?;
        secs.push(t.elapsed().as_secs_f64());
    }
    std::fs::write(q.out.join("q4.csv"), &answer)?;
    times.push(("q4", secs));

    let list = |v: &[f64]| v.iter().map(|s| format!("{s:.6}")).collect::<Vec<_>>().join(", ");
    let fields: Vec<String> = times.iter().map(|(k, v)| format!("\"{k}\": [{}]", list(v))).collect();
    Ok(format!("{{\"open_seconds\": {open_seconds:.6}, {}}}", fields.join(", ")))
}

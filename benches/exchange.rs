//! Export and import of a 150,000-entry log (about ten years), the way the
//! `export` and `import` commands do it: from and into a real SQLite file.
//! Target: a few seconds at most for each.

#[path = "../tests/exchange_support/mod.rs"]
mod exchange_support;

use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use rebalance::exchange::{Format, export, import_file, parse_import_as};
use rebalance::store::Store;

const ROWS: usize = 150_000;

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2015, 1, 5).expect("date")
}

fn whole(store: &Store) -> Vec<rebalance::core::model::Entry> {
    store
        .entries_on_days(
            NaiveDate::from_ymd_opt(1, 1, 1).expect("date"),
            NaiveDate::from_ymd_opt(9999, 12, 31).expect("date"),
        )
        .expect("read log")
}

fn exchange(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = exchange_support::synthetic_log(first_day(), ROWS, 42);
    let log = &log[..ROWS];
    let source_path = dir.path().join("source.db");
    let mut source = Store::open(&source_path).expect("open");
    source.import_entries(log).expect("seed");

    let mut files = Vec::new();
    for format in [Format::Csv, Format::Jsonl] {
        let mut bytes = Vec::new();
        export(log, format, &mut bytes).expect("export");
        let path = dir.path().join(format!("log.{}", format.extension()));
        std::fs::write(&path, &bytes).expect("write");
        println!(
            "{} rows as {format:?}: {:.1} MB",
            ROWS,
            bytes.len() as f64 / 1e6
        );
        files.push((format, path, bytes));
    }

    let mut group = c.benchmark_group("exchange_150k");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Elements(ROWS as u64));

    for (format, path, bytes) in &files {
        let name = format!("{format:?}").to_lowercase();
        group.bench_function(format!("export_{name}_from_db"), |b| {
            b.iter(|| {
                let entries = whole(&source);
                let mut out = Vec::with_capacity(bytes.len());
                export(&entries, *format, &mut out).expect("export");
                black_box(out.len())
            })
        });
        group.bench_function(format!("parse_{name}"), |b| {
            b.iter(|| black_box(parse_import_as(bytes, *format).expect("valid").len()))
        });
        let mut run = 0u32;
        group.bench_function(format!("import_{name}_into_empty_db"), |b| {
            b.iter_batched(
                || {
                    run += 1;
                    let db = dir.path().join(format!("import-{name}-{run}.db"));
                    Store::open(&db).expect("open empty")
                },
                |mut store| {
                    let counts = import_file(&mut store, path).expect("import");
                    assert_eq!(counts.added, ROWS);
                    store
                },
                BatchSize::PerIteration,
            )
        });
    }
    let (_, csv_path, _) = &files[0];
    group.bench_function("import_csv_again_all_duplicates", |b| {
        b.iter(|| {
            let counts = import_file(&mut source, csv_path).expect("import");
            assert_eq!(counts.added, 0);
            black_box(counts)
        })
    });
    group.finish();
}

criterion_group!(benches, exchange);
criterion_main!(benches);

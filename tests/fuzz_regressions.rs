//! Inputs the fuzz target (fuzz/fuzz_targets/page.rs) or its neighbourhood found troublesome, run through the same
//! harness: each must be read without a panic, quickly, with every problem inside the file.

use std::path::Path;
use std::time::{Duration, Instant};

/// Far above what any of these takes now, far below what they took before their fix.
const LIMIT: Duration = Duration::from_secs(5);

#[test]
fn every_regression_input_is_handled_quickly_and_located_inside_the_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    inputs.sort();
    assert!(!inputs.is_empty());
    for input in inputs {
        let bytes = std::fs::read(&input).unwrap();
        let started = Instant::now();
        let result = diptych::render::standalone::check_page(&bytes);
        let took = started.elapsed();
        assert!(took < LIMIT, "{} took {took:?}", input.display());
        for problem in &result.problems {
            assert!(problem.line <= result.lines, "{}: {problem:?} is past the end", input.display());
        }
    }
}

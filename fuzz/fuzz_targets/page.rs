//! Fuzzes what `build` does with one page file: front-matter splitting and parsing, then Markdown rendering.
//! Run with `cargo fuzz run page` (see fuzz/README.md); crashing inputs go to tests/fuzz-regressions/.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let result = diptych::render::standalone::check_page(data);
    for problem in &result.problems {
        assert!(problem.line <= result.lines, "{problem:?} points past the end of a {}-line file", result.lines);
    }
});

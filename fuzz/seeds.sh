#!/usr/bin/env bash
# Writes the seed corpora fuzz/corpus/<target>/ (git-ignored) from fixtures/demo and a sample
# of the shared real-world corpus: whole documents for the container targets and the engine,
# their parts and streams for each part reader, their text for the text targets. The work is
# done by an ignored test in tests/fuzzed.rs (stable Rust, the project's own readers).
#
#   fuzz/seeds.sh [CORPUS_DIR]    (default ../shared/corpus beside the repository; skipped
#                                  with a note when it is not there)
set -euo pipefail
cd "$(dirname "$0")/.."
sample=${1:-../shared/corpus}
export O365LINT_FUZZ_SEEDS="$PWD/fuzz/corpus"
if [[ -f "$sample/MANIFEST.tsv" ]]; then
    O365LINT_FUZZ_SAMPLE="$(cd "$sample" && pwd)"
    export O365LINT_FUZZ_SAMPLE
else
    echo "seeds: no corpus at $sample (no MANIFEST.tsv): seeds from fixtures/demo only" >&2
fi
cargo test --test fuzzed write_seeds -- --ignored --exact

//! Output is a pure function of the spec: two separate processes (each with its own hash
//! seeds and allocation pattern) produce identical bytes.

use std::process::Command;

const CHILD_ENV: &str = "DETERMINISM_CHILD_OUT";
const TEST_NAME: &str = "determinism::generation_is_identical_across_processes";

fn render() -> String {
    let generated = openapi_client_gen::generate(&crate::pi_spec(), &crate::settings())
        .expect("the PI spec generates");
    generated
        .files
        .iter()
        .map(|f| format!("=== {}\n{}", f.name, f.contents))
        .collect()
}

#[test]
fn generation_is_identical_across_processes() {
    if let Ok(out) = std::env::var(CHILD_ENV) {
        std::fs::write(out, render()).expect("child writes its output");
        return;
    }
    let dir = std::env::temp_dir().join(format!("determinism-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let exe = std::env::current_exe().expect("test binary path");
    let mut outputs = Vec::new();
    for run in 0..2 {
        let out = dir.join(format!("run{run}.rs"));
        let status = Command::new(&exe)
            .args([TEST_NAME, "--exact", "--test-threads=1"])
            .env(CHILD_ENV, &out)
            .status()
            .expect("child process starts");
        assert!(status.success(), "child run {run} failed");
        outputs.push(std::fs::read_to_string(&out).expect("child wrote output"));
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        outputs[0].len() > 100_000,
        "the child rendered the whole client"
    );
    assert!(
        outputs[0] == outputs[1],
        "two processes rendered different bytes"
    );
    assert!(
        outputs[0] == render(),
        "a child and this process rendered different bytes"
    );
}

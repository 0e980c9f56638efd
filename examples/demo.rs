//! Writes the demo documents of `fixtures/demo/` with the fixture builder:
//! `cargo run --example demo [DIR]`.

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "fixtures/demo".into());
    std::fs::create_dir_all(&dir)?;
    for (name, bytes) in o365lint::fixture::demo_files() {
        std::fs::write(std::path::Path::new(&dir).join(name), bytes)?;
    }
    println!("wrote the demo documents to {dir}");
    Ok(())
}

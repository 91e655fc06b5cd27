//! The `omnisim` command: argument parsing lives in [`omnisim::cli`].

fn main() {
    std::process::exit(omnisim::cli::main());
}

//! Stand-alone runner for the intake service (`trustctl serve` is the product entry point).
use clap::Parser;

fn main() -> std::process::ExitCode {
    let args = trust_intake::cli::ServeArgs::parse();
    match trust_intake::cli::run_serve(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

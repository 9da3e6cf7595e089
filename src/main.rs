//! The `diptych` command: parses options and hands them to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use diptych::{BuildOptions, Failure};

#[derive(Parser)]
#[command(name = "diptych", version, about = "Builds multilingual public-service information sites")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder, replacing it only if the whole build succeeds
    Build {
        /// The site folder (with site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/dist]
        #[arg(long)]
        output: Option<PathBuf>,
        /// Use this base URL instead of site.toml's, for this build only
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Write a small working bilingual site to start from
    New {
        /// The folder to create (must not exist, or be empty)
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { root, output, base_url } => build(BuildOptions { root, output, base_url }),
        Command::New { dir } => diptych::scaffold::create(&dir).map(|()| {
            println!("created a bilingual site in {}\n  next: diptych build --root {}", dir.display(), dir.display());
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            report_failure(&failure);
            ExitCode::from(failure.exit_code() as u8)
        }
    }
}

fn build(options: BuildOptions) -> Result<(), Failure> {
    let report = diptych::build(&options)?;
    for warning in &report.problems {
        eprintln!("{}", warning.render_short());
    }
    println!("{}", report.summary_line());
    Ok(())
}

fn report_failure(failure: &Failure) {
    match failure {
        Failure::Usage(message) => eprintln!("error: {message}"),
        Failure::Content(problems) => {
            for problem in problems {
                eprintln!("{}", problem.render_short());
            }
            let errors = problems.iter().filter(|p| p.severity == diptych::diag::Severity::Error).count();
            let warnings = problems.len() - errors;
            eprintln!(
                "build failed: {errors} error{}, {warnings} warning{}; the output folder was not changed",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            );
        }
    }
}

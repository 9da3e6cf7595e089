//! The `diptych` command: parses options and hands them to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use diptych::check::{CheckOptions, Format};
use diptych::date::Date;
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
    /// Report every problem in the site, without writing anything
    Check {
        /// The site folder (with site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check links as they would be with this base URL
        #[arg(long)]
        base_url: Option<String>,
        /// Count warnings as errors
        #[arg(long)]
        strict: bool,
        /// human (like rustc), short (one line each) or json (one object per line)
        #[arg(long, default_value = "human", value_name = "human|short|json")]
        format: Format,
        /// Measure freshness as if today were this date (YYYY-MM-DD) [default: today]
        #[arg(long, value_parser = Date::parse)]
        today: Option<Date>,
    },
    /// Print translation coverage: per section and language, pages up to date, outdated, unmarked, missing
    Status {
        /// The site folder (with site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Record that translations are up to date with their originals, in their front matter
    MarkTranslated {
        /// The site folder (with site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Translations to mark, such as content/renewal.zh.md
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write a small working bilingual site to start from
    New {
        /// The folder to create (must not exist, or be empty)
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build { root, output, base_url } => exit_code(
            build(BuildOptions { root, output, base_url }),
            "build failed",
            "the output folder was not changed",
        ),
        Command::Check { root, base_url, strict, format, today } => {
            check(CheckOptions { root, base_url, strict, today: today.unwrap_or_else(Date::today) }, format)
        }
        Command::Status { root } => exit_code(
            diptych::status::run(&root).map(|table| print!("{table}")),
            "status failed",
            "see `diptych check`",
        ),
        Command::MarkTranslated { root, files } => mark_translated(&root, &files),
        Command::New { dir } => exit_code(
            diptych::scaffold::create(&dir).map(|()| {
                println!(
                    "created a bilingual site in {}\n  next: diptych build --root {}",
                    dir.display(),
                    dir.display()
                );
            }),
            "new failed",
            "nothing was written",
        ),
    };
    ExitCode::from(code)
}

fn build(options: BuildOptions) -> Result<(), Failure> {
    let report = diptych::build(&options)?;
    for warning in &report.problems {
        eprintln!("{}", warning.render_short());
    }
    println!("{}", report.summary_line());
    Ok(())
}

/// Prints the report; errors in it make the exit code 1.
fn check(options: CheckOptions, format: Format) -> u8 {
    match diptych::check::check(&options) {
        Ok(report) => {
            print!("{}", report.render(format));
            u8::from(report.errors() > 0)
        }
        Err(failure) => exit_code(Err(failure), "check failed", "nothing was checked"),
    }
}

/// Marks each file, carrying on past failures so that one run reports them all; the worst exit code wins.
fn mark_translated(root: &std::path::Path, files: &[PathBuf]) -> u8 {
    files
        .iter()
        .map(|file| {
            let result = diptych::translation::mark(root, file).map(|done| println!("{done}"));
            exit_code(result, "not marked", &format!("{} was not changed", file.display()))
        })
        .max()
        .unwrap_or(0)
}

/// 0 for success; otherwise prints the failure, ending with `{what}: 2 errors, 0 warnings; {consequence}`.
fn exit_code(result: Result<(), Failure>, what: &str, consequence: &str) -> u8 {
    let Err(failure) = result else { return 0 };
    match &failure {
        Failure::Usage(message) => eprintln!("error: {message}"),
        Failure::Content(problems) => {
            for problem in problems {
                eprintln!("{}", problem.render_short());
            }
            let errors = problems.iter().filter(|p| p.severity == diptych::diag::Severity::Error).count();
            let warnings = problems.len() - errors;
            eprintln!(
                "{what}: {errors} error{}, {warnings} warning{}; {consequence}",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            );
        }
    }
    failure.exit_code() as u8
}

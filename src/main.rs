//! The `diptych` command: parses options and hands them to the library.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use diptych::check::{CheckOptions, Format};
use diptych::serve::ServeOptions;
use diptych::site::date::Date;
use diptych::watch::{Reporter, Signals};
use diptych::{BuildOptions, Failure};

#[derive(Parser)]
#[command(name = "diptych", version, about = "Builds multilingual public-service information sites")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The site and where its output goes, for every command that writes it.
#[derive(Args)]
struct Site {
    /// The site folder (with site.toml)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site [default: <root>/dist]
    #[arg(long)]
    output: Option<PathBuf>,
    /// Publish drafts too, each marked as a draft and kept out of search engines
    #[arg(long)]
    drafts: bool,
}

impl Site {
    fn with_base_url(self, base_url: Option<String>) -> BuildOptions {
        BuildOptions { root: self.root, output: self.output, base_url, drafts: self.drafts, today: None }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder, replacing it only if the whole build succeeds
    Build {
        #[command(flatten)]
        site: Site,
        /// Use this base URL instead of site.toml's, for this build only
        #[arg(long)]
        base_url: Option<String>,
        /// Warn about the holiday calendar as if today were this date (YYYY-MM-DD) [default: today]
        #[arg(long, value_parser = Date::parse)]
        today: Option<Date>,
    },
    /// Build the site, then rebuild what changes as you edit, until Ctrl-C
    Watch {
        #[command(flatten)]
        site: Site,
        /// Use this base URL instead of site.toml's
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Watch the site and serve it for preview, reloading pages after every rebuild, until Ctrl-C
    Serve {
        #[command(flatten)]
        site: Site,
        /// The port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The address to listen on; 0.0.0.0 lets other machines see the preview
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
    },
    /// Report every problem in the site, without writing anything
    Check {
        /// The site folder (with site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check links as they would be with this base URL
        #[arg(long)]
        base_url: Option<String>,
        /// Count warnings as errors (except those site.toml's `[check] allow` or --allow accepts)
        #[arg(long)]
        strict: bool,
        /// Accept warnings of this code under --strict (repeatable), like `[check] allow` in site.toml
        #[arg(long, value_name = "CODE", value_parser = diptych::diag::Code::parse_name)]
        allow: Vec<diptych::diag::Code>,
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
    /// Show what changed in a translation's original since the translation was marked up to date
    Diff {
        /// The site folder (with site.toml)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The translation, such as content/renewal.zh.md
        file: PathBuf,
    },
    /// Print the built-in theme's strings for a language, to copy into the site's i18n/<lang>.toml
    Theme {
        #[command(subcommand)]
        command: ThemeCommand,
    },
    /// Write a diptych site from a Zola or Hugo site (or a folder of Markdown), reporting what was not carried
    Import {
        /// zola, hugo or plain
        #[arg(value_name = "zola|hugo|plain")]
        from: diptych::commands::import::Generator,
        /// The source site's folder (only read)
        source: PathBuf,
        /// Where to write the diptych site (must not exist, or be empty)
        #[arg(long)]
        output: PathBuf,
        /// human (grouped, with file:line) or json
        #[arg(long, default_value = "human", value_name = "human|json")]
        format: diptych::commands::import::report::Format,
    },
    /// Explain a diagnostic code: what it means, an example and the fix (without CODE: list every code)
    Explain {
        #[arg(value_name = "CODE", value_parser = diptych::diag::Code::parse_name)]
        code: Option<diptych::diag::Code>,
    },
    /// Write a small working bilingual site to start from
    New {
        /// The folder to create (must not exist, or be empty)
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// Print the built-in theme's strings in a language (en or zh), every key the theme uses
    Strings {
        /// The language of the strings: en or zh
        lang: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build { site, base_url, today } => {
            let options = BuildOptions { today, ..site.with_base_url(base_url) };
            exit_code(build(options), "build failed", "the output folder was not changed")
        }
        Command::Watch { site, base_url } => exit_code(watch(site.with_base_url(base_url)), "watch failed", "stopped"),
        Command::Serve { site, port, bind } => {
            exit_code(serve(ServeOptions { build: site.with_base_url(None), bind, port }), "serve failed", "stopped")
        }
        Command::Check { root, base_url, strict, allow, format, today } => {
            check(CheckOptions { root, base_url, strict, allow, today }, format)
        }
        Command::Status { root } => exit_code(
            diptych::commands::status::run(&root).map(|table| print!("{table}")),
            "status failed",
            "see `diptych check`",
        ),
        Command::MarkTranslated { root, files } => mark_translated(&root, &files),
        Command::Diff { root, file } => exit_code(
            diptych::commands::diff::run(&root, &file).map(|diff| print!("{diff}")),
            "no diff",
            "nothing was changed",
        ),
        Command::Theme { command: ThemeCommand::Strings { lang } } => exit_code(
            diptych::site::theme::built_in_strings(&lang).map(|text| print!("{text}")),
            "no strings",
            "nothing was printed",
        ),
        Command::Import { from, source, output, format } => {
            let options = diptych::commands::import::ImportOptions { generator: from, source, output };
            match diptych::commands::import::run(&options) {
                Ok(report) => {
                    print!("{}", report.render(format));
                    u8::from(report.has_errors())
                }
                Err(failure) => exit_code(Err(failure), "import failed", "nothing was written"),
            }
        }
        Command::Explain { code } => {
            print!("{}", code.map_or_else(diptych::diag::index::list, diptych::diag::index::explain));
            0
        }
        Command::New { dir } => exit_code(
            diptych::commands::scaffold::create(&dir).map(|()| {
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

fn watch(options: BuildOptions) -> Result<(), Failure> {
    let signals = stop_on_ctrl_c()?;
    let out = options.output_dir();
    let mut reporter = Reporter::default();
    diptych::watch::watch(&options, signals, |_, round| print_round(&mut reporter, round, &out))?;
    println!("stopped");
    Ok(())
}

fn serve(options: ServeOptions) -> Result<(), Failure> {
    let signals = stop_on_ctrl_c()?;
    if let Some(warning) = diptych::serve::network_warning(options.bind) {
        eprintln!("warning: {warning}");
    }
    let out = options.build.output_dir();
    let mut reporter = Reporter::default();
    diptych::serve::serve(
        &options,
        signals,
        |url| println!("serving {url} (Ctrl-C to stop)"),
        |_, round| print_round(&mut reporter, round, &out),
    )?;
    println!("stopped");
    Ok(())
}

/// Ctrl-C (and SIGTERM) ends the watch loop between two rebuilds, so no file is left half written.
fn stop_on_ctrl_c() -> Result<Signals, Failure> {
    let signals = Signals::default();
    let stop = signals.stopper();
    ctrlc::set_handler(stop).map_err(|e| Failure::Usage(format!("cannot handle Ctrl-C: {e}")))?;
    Ok(signals)
}

fn print_round(reporter: &mut Reporter, round: &diptych::watch::Round, out: &std::path::Path) {
    let report = reporter.report(round, out);
    for problem in &report.problems {
        eprintln!("{problem}");
    }
    if report.failed {
        eprintln!("{}", report.summary);
    } else {
        println!("{}", report.summary);
    }
}

/// Prints the report; errors in it make the exit code 1.
fn check(options: CheckOptions, format: Format) -> u8 {
    match diptych::pipeline::check(&options) {
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
            let result = diptych::commands::mark::mark(root, file).map(|done| println!("{done}"));
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

//! Human-readable rendering of validation problems and of the status report a visitor would
//! see, with ✓ / · / ! / ✗ markers; shared by `verify` and `lint`.

use crate::exit::{CliError, CliResult, IO};
use crate::links::LinkWarning;
use trust_manifest::{Finding, FrameworkStatus, Problem, Severity, StatusLevel, StatusReport};

/// How many errors and warnings a report and a problem list hold together.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Validation problems plus findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
}

/// Counts errors and warnings the way they are marked on screen: every validation problem and
/// every ✗ line is an error, every ! line a warning.
pub fn count(report: &StatusReport, problems: &[Problem]) -> Counts {
    let mut counts = Counts {
        errors: problems.len(),
        warnings: 0,
    };
    for framework in [&report.soc2, &report.iso27001] {
        match level_marker(framework.level) {
            "✗" => counts.errors += 1,
            "!" => counts.warnings += 1,
            _ => {}
        }
    }
    let all = report
        .manifest
        .iter()
        .chain(&report.soc2.findings)
        .chain(&report.iso27001.findings);
    for finding in all {
        match finding.severity {
            Severity::Error => counts.errors += 1,
            Severity::Warning => counts.warnings += 1,
            Severity::Info => {}
        }
    }
    counts
}

/// The marker for a finding's severity.
pub fn severity_marker(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "·",
        Severity::Warning => "!",
        Severity::Error => "✗",
    }
}

/// The marker for a framework's overall level.
pub fn level_marker(level: StatusLevel) -> &'static str {
    match level {
        StatusLevel::Current => "✓",
        StatusLevel::InProgress | StatusLevel::NotStarted | StatusLevel::NotDeclared => "·",
        StatusLevel::ExpiringSoon | StatusLevel::Attention => "!",
        StatusLevel::Expired | StatusLevel::NotValid => "✗",
    }
}

/// Prints validation problems, one per line with its field path.
pub fn print_problems(problems: &[Problem]) {
    if problems.is_empty() {
        say!("✓ Content: every field is valid");
        return;
    }
    say!(
        "✗ Content: {} problem{}",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in problems {
        say!("    ✗ {}: {}", problem.path, problem.message);
    }
}

/// Prints addresses that look unreachable from the internet, one per line with its field path.
pub fn print_links(links: &[LinkWarning]) {
    if links.is_empty() {
        say!("✓ Addresses: none look unreachable");
        return;
    }
    say!(
        "! Addresses: {} look{} unreachable from the internet",
        links.len(),
        if links.len() == 1 { "s" } else { "" }
    );
    for link in links {
        say!("    ! {}: {}", link.path, link.message);
    }
}

/// Prints the status report: manifest-level findings, then SOC 2 and ISO/IEC 27001.
pub fn print_status(report: &StatusReport) {
    say!("Status as a visitor would see it on {}:", report.today);
    print_framework("SOC 2", &report.soc2);
    print_framework("ISO/IEC 27001", &report.iso27001);
    if report.manifest.is_empty() {
        say!("  ✓ Manifest: no findings");
    } else {
        say!("  Manifest:");
        print_findings(&report.manifest);
    }
}

fn print_framework(name: &str, status: &FrameworkStatus) {
    say!(
        "  {} {name}: {}",
        level_marker(status.level),
        status.headline
    );
    let explanation = status.explanation.to_english();
    if !explanation.is_empty() {
        say!("      {explanation}");
    }
    print_findings(&status.findings);
}

fn print_findings(findings: &[Finding]) {
    for finding in findings {
        let path = if finding.path.is_empty() {
            String::new()
        } else {
            format!(" [{}]", finding.path)
        };
        say!(
            "      {} {}{path}",
            severity_marker(finding.severity),
            finding.message
        );
    }
}

/// Prints pretty JSON to standard output.
pub fn print_json(value: &serde_json::Value) -> CliResult<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|error| CliError::new(IO, format!("cannot print JSON: {error}")))?;
    say!("{text}");
    Ok(())
}

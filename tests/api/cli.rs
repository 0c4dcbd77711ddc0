//! The `nansen` command line as a user meets it: the real binary's help, its usage
//! errors and exit codes, an account made and listed, and the README's list of commands
//! checked against the clap definition.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use clap::CommandFactory;
use nansen_server::cli::Cli;

use crate::helpers::database_url;

/// Runs `nansen` with `args` and nothing but `DATABASE_URL` in its environment.
pub(crate) fn nansen(args: &[&str], database: &str, stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nansen"))
        .args(args)
        .env_clear()
        .env("DATABASE_URL", database)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every command's path and its synopsis as the README writes it
/// (`user add`, `--role admin|researcher NAME`), from the clap definition.
fn commands(command: &clap::Command, path: &str) -> Vec<(String, String)> {
    if command.has_subcommands() {
        return command
            .get_subcommands()
            .filter(|sub| sub.get_name() != "help")
            .flat_map(|sub| commands(sub, format!("{path} {}", sub.get_name()).trim()))
            .collect();
    }
    let arguments =
        command.get_arguments().filter(|arg| !["help", "version"].contains(&arg.get_id().as_str()));
    let synopsis = arguments.map(|arg| {
        let values: Vec<String> = arg.get_possible_values().iter().map(|v| v.get_name().to_owned()).collect();
        let value = if values.is_empty() {
            arg.get_value_names().and_then(|names| names.first()).map(ToString::to_string).unwrap_or_default()
        } else {
            values.join("|")
        };
        match arg.get_long() {
            Some(long) => format!("--{long} {value}"),
            None => value,
        }
    });
    vec![(path.to_owned(), synopsis.collect::<Vec<_>>().join(" "))]
}

#[test]
fn the_help_lists_every_command_and_setting() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("nansen.db").display().to_string();
    let root = Cli::command();
    // Each level's help names the commands under it.
    for (path, command) in std::iter::once((vec![], &root))
        .chain(root.get_subcommands().filter(|c| c.has_subcommands()).map(|c| (vec![c.get_name()], c)))
    {
        let output = nansen(&[path.as_slice(), &["--help"][..]].concat(), &database, "");
        let help = text(&output.stdout);
        assert!(output.status.success(), "{help}{}", text(&output.stderr));
        for sub in command.get_subcommands() {
            assert!(help.contains(&format!("\n  {} ", sub.get_name())), "{path:?}: {help}");
        }
    }
    let help = text(&nansen(&["--help"], &database, "").stdout);
    for setting in ["NANSEN_BIND", "DATABASE_URL", "NANSEN_ADMIN_PASSWORD", "NANSEN_READY_FILE"] {
        assert!(help.contains(setting), "{help}");
    }
    assert!(!Path::new(&database).exists(), "the help opened the database");
}

#[test]
fn usage_errors_exit_with_code_2_and_say_how_to_call() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("nansen.db").display().to_string();
    let cases: [(&[&str], &str); 4] = [
        (&["frobnicate"], "Usage: nansen [COMMAND]"),
        (&["user", "add", "--role", "admin"], "Usage: nansen user add --role <ROLE> <NAME>"),
        (&["user", "add", "--role", "boss", "x"], "[possible values: admin, researcher]"),
        (&["token", "revoke", "seven"], "invalid value 'seven'"),
    ];
    for (args, expected) in cases {
        let output = nansen(args, &database, "a password never printed\n");
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}: {}", text(&output.stdout));
    }
    // A suggestion for a near miss.
    assert!(text(&nansen(&["user", "lst"], &database, "").stderr).contains("similar subcommand"));
    assert!(!Path::new(&database).exists(), "a usage error opened the database");
}

#[test]
fn an_account_added_on_the_command_line_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let database = database_url(dir.path());
    let password = "ada's long secret phrase";
    let output = nansen(&["user", "add", "--role", "admin", "ada"], &database, &format!("{password}\n"));
    let said = format!("{}{}", text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "{said}");
    assert!(said.contains("Created admin account \"ada\""), "{said}");
    assert!(!said.contains(password), "{said}");

    let output = nansen(&["user", "list"], &database, "");
    let list = text(&output.stdout);
    assert!(output.status.success(), "{list}{}", text(&output.stderr));
    assert!(
        list.lines().any(|line| line.split_whitespace().collect::<Vec<_>>() == ["ada", "admin"]),
        "{list}"
    );
    // Adding it again fails as an error (1), not a usage error (2).
    let output = nansen(&["user", "add", "--role", "researcher", "ada"], &database, &format!("{password}\n"));
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
}

/// The commands documented elsewhere in the README than the block under "First login",
/// which lists the account and token commands.
const DOCUMENTED_ELSEWHERE: [&str; 2] = ["serve", "migrate"];

#[test]
fn the_readme_lists_exactly_the_commands_clap_defines() {
    let readme = include_str!("../../README.md");
    let block = readme
        .split_once("## First login")
        .and_then(|(_, rest)| rest.split_once("```sh\n"))
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("README.md has a ```sh block under \"## First login\"");
    let documented: BTreeSet<String> = block
        .lines()
        .filter(|line| line.starts_with("nansen "))
        .map(|line| line.split('#').next().unwrap_or_default().trim().to_owned())
        .collect();

    let defined = commands(&Cli::command(), "");
    for path in DOCUMENTED_ELSEWHERE {
        assert!(defined.iter().any(|(p, _)| p == path), "clap no longer defines `{path}`");
    }
    let defined: BTreeSet<String> = defined
        .into_iter()
        .filter(|(path, _)| !DOCUMENTED_ELSEWHERE.contains(&path.as_str()))
        .map(|(path, synopsis)| format!("nansen {path} {synopsis}").trim().to_owned())
        .collect();
    assert_eq!(documented, defined, "README.md's commands under \"## First login\" differ from clap's");
}

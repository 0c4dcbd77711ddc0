//! The `nansen` command line: serving, migrating, and managing staff accounts and API
//! tokens on the server machine. One clap definition gives the commands, their help and
//! their usage errors (exit code 2); `main` parses it and serves or migrates itself, and
//! hands the account and token commands to [`run`].

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};
use nansen_shared::Role;

use crate::config::Config;
use crate::staff::accounts::UserError;
use crate::staff::{accounts as users, audit, sessions};
use crate::storage::{self, Conn};
use crate::surveys::lifecycle;
use crate::surveys::xlsform::{self, ReadError};

/// The settings, for `nansen --help`; the README's configuration table has the details.
/// A unit test below checks that every variable the server reads is here.
const ENVIRONMENT: &str = "\
Configured by environment variables:
  NANSEN_BIND             address to listen on (default 127.0.0.1:8080)
  DATABASE_URL            SQLite file path or sqlite://path (default nansen.db), or postgres://...
  NANSEN_DB_POOL          database connections for requests (default 8)
  NANSEN_BATCH_MAX        most submissions per transaction (default 1024)
  NANSEN_BATCH_WINDOW_MS  the clock grid batches are committed on (default 200)
  NANSEN_ADMIN_PASSWORD   password of the first admin, on first start only
  NANSEN_KEY_FILE         the secret for invite codes, outside the database (default beside it)
  NANSEN_ASSETS           directory of the built browser client
  NANSEN_LOG              log filter, such as info or warn (default info)
  NANSEN_PUBLIC_URL       the address people use, such as https://survey.example.org
  NANSEN_BEHIND_PROXY     true when a reverse proxy sets X-Forwarded-For
  NANSEN_READY_FILE       a file the server writes its address to once it accepts connections
  NANSEN_RELEASE_CHECK_SECONDS  how often the release schedule looks for releases due (default 60)
  NANSEN_HEADER_TIMEOUT_SECONDS  seconds a request's headers may take (default 10)
  NANSEN_BODY_TIMEOUT_SECONDS    seconds a request's body may take (default 20)
  NANSEN_KEEP_ALIVE_SECONDS      seconds an idle connection is kept (default 5)
  NANSEN_MAX_CONNECTIONS         connections held open at once (default 4096)
  NANSEN_MIXER_QUEUE             submissions waiting for their batch before 503 (default 16384)
  NANSEN_LOGIN_QUEUE             logins waiting for a password check before 503 (default 16)
  NANSEN_INVITE_QUEUE            invite exchanges waiting for a signature before 503 (default 64)
  NANSEN_SUBMISSIONS_PER_MINUTE  submissions one client may send a minute (default 600; 0: no limit)
  NANSEN_INVITES_PER_MINUTE      invite exchanges one client may make a minute (default 60; 0: no limit)
  NANSEN_LOGIN_FAILURES          failed staff logins over all clients per 10 minutes (default 200)

Account, token and survey commands run on the server machine, with the server's DATABASE_URL.";

/// Nansen, the anonymous survey server. Without a command, it serves the surveys.
#[derive(Debug, Parser)]
#[command(name = "nansen", version, after_help = ENVIRONMENT)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the surveys over HTTP (the default)
    Serve,
    /// Bring the database's schema up to date, and exit
    Migrate,
    #[command(flatten)]
    Staff(StaffCommand),
}

/// The commands [`run`] carries out.
#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Manage staff accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Manage read-only API tokens
    #[command(subcommand)]
    Token(TokenCommand),
    /// Import and export questionnaires as XLSForm spreadsheets (docs/XLSFORM.md)
    #[command(subcommand)]
    Survey(SurveyCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account (password from the terminal, or one line on stdin)
    Add {
        /// What the account may do: admins design surveys and manage accounts,
        /// researchers read results
        #[arg(long, value_parser = role_parser())]
        role: Role,
        /// The account's username
        name: String,
    },
    /// Set a new password (ends the account's sessions)
    Passwd {
        /// The account's username
        name: String,
    },
    /// Give an account a new generated password, shown once (ends its sessions)
    Reset {
        /// The account's username
        name: String,
    },
    /// Remove an account with its sessions and tokens
    Remove {
        /// The account's username
        name: String,
    },
    /// List accounts
    List,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a read-only API token for an account (shown once)
    Create {
        /// What the token is for ("R scripts on the lab laptop"), shown in lists
        #[arg(long, default_value = "")]
        label: String,
        /// The account's username
        name: String,
    },
    /// Revoke a token
    Revoke {
        /// The token's number, as `nansen token list` shows it
        id: i64,
    },
    /// List tokens (never the tokens themselves)
    List,
}

#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// Create a draft survey from an XLSForm (.xlsx); its form_id is the survey's address
    Import {
        /// The XLSForm file
        file: PathBuf,
    },
    /// Write a survey (its draft, else its current version) as an XLSForm
    Export {
        /// The survey's address, as in /s/SLUG
        slug: String,
        /// Where to write it (default SLUG.xlsx; - for standard output)
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// `--role` takes `Role`'s own names, so that the help lists them and clap rejects others.
fn role_parser() -> impl TypedValueParser<Value = Role> {
    PossibleValuesParser::new([Role::Admin, Role::Researcher].map(Role::as_str))
        .try_map(|role| Role::parse(&role).ok_or("not a role"))
}

/// The actor recorded in the audit log for command-line actions.
const ACTOR: &str = "(command line)";

/// Runs an account or token command: exit code 0 when done, 1 when it failed.
pub fn run(command: StaffCommand) -> ExitCode {
    let result = match command {
        StaffCommand::User(command) => user(command),
        StaffCommand::Token(command) => token(command),
        StaffCommand::Survey(command) => survey(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("nansen: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn connect() -> anyhow::Result<Conn> {
    let config = Config::from_env()?;
    storage::migrate(&config.database)?;
    storage::connect_writer(&config.database)
}

fn user(command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add { role, name } => {
            let password = read_password(&name, true)?;
            let mut conn = connect()?;
            users::create(&mut conn, &name, Some(&password), role).map_err(user_error)?;
            audit::record(&mut conn, ACTOR, "user_create", &format!("{name} ({})", role.as_str()))?;
            println!("Created {} account {name:?}.", role.as_str());
        }
        UserCommand::Passwd { name } => {
            let password = read_password(&name, true)?;
            let mut conn = connect()?;
            users::set_password(&mut conn, &name, &password).map_err(user_error)?;
            audit::record(&mut conn, ACTOR, "user_password", &name)?;
            println!("Changed the password of {name:?}; its sessions have ended.");
        }
        UserCommand::Reset { name } => {
            let password = users::reset_password(&mut connect()?, ACTOR, &name).map_err(user_error)?;
            println!(
                "New password for {name:?} (shown only this once; its sessions have ended):\n\n    {password}\n"
            );
        }
        UserCommand::Remove { name } => {
            let mut conn = connect()?;
            users::delete(&mut conn, &name).map_err(user_error)?;
            audit::record(&mut conn, ACTOR, "user_delete", &name)?;
            println!("Removed {name:?}.");
        }
        UserCommand::List => {
            for user in users::list(&mut connect()?)? {
                println!("{:<24} {}", user.username, user.role.as_str());
            }
        }
    }
    Ok(())
}

fn token(command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create { label, name } => {
            let label = nansen_shared::token_label(&label)?;
            let mut conn = connect()?;
            let created = sessions::create_token(&mut conn, &name, label)?
                .ok_or_else(|| anyhow::anyhow!("there is no account called {name:?}"))?;
            audit::record(&mut conn, ACTOR, "token_create", &sessions::describe(&created.info))?;
            let (id, token) = (created.info.id, created.token);
            println!("API token #{id} for {name:?} (read-only; shown only this once):\n\n    {token}\n");
            println!(
                "Send it as `Authorization: Bearer <token>`; revoke it with `nansen token revoke {id}`."
            );
        }
        TokenCommand::Revoke { id } => {
            let mut conn = connect()?;
            let revoked = sessions::revoke_token(&mut conn, id)?
                .ok_or_else(|| anyhow::anyhow!("there is no token #{id}"))?;
            audit::record(&mut conn, ACTOR, "token_revoke", &sessions::describe(&revoked))?;
            println!("Revoked token #{id}.");
        }
        TokenCommand::List => {
            for token in sessions::list_tokens(&mut connect()?)? {
                let used = token.last_used_at.map_or_else(|| "never".to_owned(), |t| t.to_string());
                println!(
                    "#{:<6} {:<24} created {}  last used {used}  {}",
                    token.id, token.username, token.created_at, token.label
                );
            }
        }
    }
    Ok(())
}

fn survey(command: SurveyCommand) -> anyhow::Result<()> {
    match command {
        SurveyCommand::Import { file } => {
            let bytes =
                std::fs::read(&file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            if bytes.len() > xlsform::MAX_XLSFORM_BYTES {
                anyhow::bail!(
                    "{} is larger than an XLSForm may be ({} MiB)",
                    file.display(),
                    xlsform::MAX_XLSFORM_BYTES >> 20
                );
            }
            let survey = xlsform::read(&bytes).map_err(|error| match &error {
                ReadError::Refused(errors) => {
                    let list: Vec<String> = errors.iter().map(|e| format!("  {}", e.detail)).collect();
                    anyhow::anyhow!(
                        "{} is not imported; change these and try again:\n{}",
                        file.display(),
                        list.join("\n")
                    )
                }
                other => anyhow::anyhow!("{} is not imported: {}", file.display(), other.describe()),
            })?;
            let mut conn = connect()?;
            lifecycle::create(&mut conn, &survey)?;
            audit::record(&mut conn, ACTOR, "survey_import", &format!("{} (XLSForm)", survey.slug))?;
            println!(
                "Imported {:?} as a draft with {} questions in {}.",
                survey.slug.as_str(),
                survey.questions.len(),
                survey.languages.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", ")
            );
            if let Err(problems) = survey.check() {
                println!("Before it can be published, fix these in the designer (/admin) or in the file:");
                for problem in problems {
                    println!("  {} {}", problem.pointer, problem.detail);
                }
            }
        }
        SurveyCommand::Export { slug, out } => {
            let row = lifecycle::find(&mut connect()?, &slug)?
                .ok_or_else(|| anyhow::anyhow!("there is no survey called {slug:?}"))?;
            let definition = row.draft.or(row.current_definition).unwrap_or_default();
            let survey: nansen_shared::Survey = serde_json::from_str(&definition)?;
            let bytes = xlsform::write(&survey)?;
            let out = out.unwrap_or_else(|| PathBuf::from(format!("{slug}.xlsx")));
            if out.as_os_str() == "-" {
                std::io::stdout().lock().write_all(&bytes)?;
            } else {
                std::fs::write(&out, &bytes)
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
                eprintln!("Wrote {:?} to {}.", slug, out.display());
            }
        }
    }
    Ok(())
}

fn user_error(error: UserError) -> anyhow::Error {
    anyhow::anyhow!("{error}")
}

/// Reads a password: asked twice on a terminal (never echoed), else one line of stdin.
fn read_password(name: &str, confirm: bool) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let password = rpassword::prompt_password(format!("New password for {name}: "))?;
        if confirm && rpassword::prompt_password("Repeat it: ")? != password {
            anyhow::bail!("the two passwords differ");
        }
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_command_serves() {
        assert!(Cli::try_parse_from(["nansen"]).unwrap().command.is_none());
    }

    #[test]
    fn roles_are_the_shared_roles() {
        let cli = Cli::try_parse_from(["nansen", "user", "add", "vera", "--role", "researcher"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Staff(StaffCommand::User(UserCommand::Add { role: Role::Researcher, .. })))
        ));
        let error = Cli::try_parse_from(["nansen", "user", "add", "--role", "boss", "x"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::InvalidValue);
    }

    /// The help lists every setting the server reads (config.rs, and `NANSEN_LOG` in
    /// main.rs), so that adding one without documenting it here fails.
    #[test]
    fn the_help_lists_every_setting() {
        let sources = [include_str!("../config.rs"), include_str!("../main.rs")].concat();
        let settings = sources.split('"').filter(|word| {
            *word == "DATABASE_URL"
                || word.strip_prefix("NANSEN_").is_some_and(|rest| {
                    !rest.is_empty() && rest.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                })
        });
        let settings: std::collections::BTreeSet<&str> = settings.collect();
        assert!(settings.len() >= 11, "found only {settings:?}");
        for setting in settings {
            assert!(ENVIRONMENT.contains(&format!("  {setting} ")), "{setting} is missing from the help");
        }
    }
}

//! The command line for staff accounts and API tokens, run on the server machine:
//!
//! ```text
//! nansen user add --role admin|researcher NAME   (password from the terminal or stdin)
//! nansen user passwd NAME
//! nansen user remove NAME
//! nansen user list
//! nansen token create NAME
//! nansen token revoke ID
//! nansen token list
//! ```

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use nansen_shared::Role;

use crate::config::Config;
use crate::db::{self, Conn};
use crate::users::UserError;
use crate::{audit, sessions, users};

pub const USAGE: &str =
    "  nansen user add --role admin|researcher NAME   create an account (password from the terminal or stdin)
  nansen user passwd NAME                        set a new password (ends the account's sessions)
  nansen user remove NAME                        remove an account with its sessions and tokens
  nansen user list                               list accounts
  nansen token create NAME                       create a read-only API token for an account (shown once)
  nansen token revoke ID                         revoke a token
  nansen token list                              list tokens (never the tokens themselves)";

/// The actor recorded in the audit log for command-line actions.
const ACTOR: &str = "(command line)";

/// Runs a `user` or `token` command; `args` starts after the program name.
pub fn run(args: &[&str]) -> ExitCode {
    match execute(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage) => {
            eprintln!("usage:\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Error(error)) => {
            eprintln!("nansen: {error:#}");
            ExitCode::FAILURE
        }
    }
}

enum Failure {
    Usage,
    Error(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(error: E) -> Self {
        Self::Error(error.into())
    }
}

fn connect() -> anyhow::Result<Conn> {
    let config = Config::from_env()?;
    db::migrate(&config.database)?;
    db::connect_writer(&config.database)
}

fn execute(args: &[&str]) -> Result<(), Failure> {
    match args {
        ["user", "add", "--role", role, name] | ["user", "add", name, "--role", role] => {
            let role = Role::parse(role).ok_or(Failure::Usage)?;
            let password = read_password(name, true)?;
            let mut conn = connect()?;
            users::create(&mut conn, name, &password, role).map_err(user_error)?;
            audit::record(&mut conn, ACTOR, "user_create", &format!("{name} ({})", role.as_str()))?;
            println!("Created {} account {name:?}.", role.as_str());
        }
        ["user", "passwd", name] => {
            let password = read_password(name, true)?;
            let mut conn = connect()?;
            users::set_password(&mut conn, name, &password).map_err(user_error)?;
            audit::record(&mut conn, ACTOR, "user_password", name)?;
            println!("Changed the password of {name:?}; its sessions have ended.");
        }
        ["user", "remove", name] => {
            let mut conn = connect()?;
            users::delete(&mut conn, name).map_err(user_error)?;
            audit::record(&mut conn, ACTOR, "user_delete", name)?;
            println!("Removed {name:?}.");
        }
        ["user", "list"] => {
            for user in users::list(&mut connect()?)? {
                println!("{:<24} {}", user.username, user.role.as_str());
            }
        }
        ["token", "create", name] => {
            let mut conn = connect()?;
            let (id, token) = sessions::create_token(&mut conn, name)?
                .ok_or_else(|| anyhow::anyhow!("there is no account called {name:?}"))?;
            audit::record(&mut conn, ACTOR, "token_create", &format!("#{id} for {name}"))?;
            println!("API token #{id} for {name:?} (read-only; shown only this once):\n\n    {token}\n");
            println!(
                "Send it as `Authorization: Bearer <token>`; revoke it with `nansen token revoke {id}`."
            );
        }
        ["token", "revoke", id] => {
            let id: i64 = id.parse().map_err(|_| Failure::Usage)?;
            let mut conn = connect()?;
            if !sessions::revoke_token(&mut conn, id)? {
                return Err(anyhow::anyhow!("there is no token #{id}").into());
            }
            audit::record(&mut conn, ACTOR, "token_revoke", &format!("#{id}"))?;
            println!("Revoked token #{id}.");
        }
        ["token", "list"] => {
            for token in sessions::list_tokens(&mut connect()?)? {
                println!("#{:<6} {:<24} created {}", token.id, token.username, token.created_at);
            }
        }
        _ => return Err(Failure::Usage),
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

//! The audit log: what staff did and when. Only staff actions are recorded; nothing
//! about respondents, their answers or their requests ever enters it.

use diesel::prelude::*;
use nansen_shared::AuditEntry;

use crate::storage::schema::audit_log;
use crate::storage::{Conn, now};

/// Records that `actor` did `action` to `target`.
pub fn record(conn: &mut Conn, actor: &str, action: &str, target: &str) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(now()),
            audit_log::actor.eq(actor),
            audit_log::action.eq(action),
            audit_log::target.eq(target),
        ))
        .execute(conn)?;
    Ok(())
}

/// The latest `limit` entries, newest first.
pub fn latest(conn: &mut Conn, limit: i64) -> QueryResult<Vec<AuditEntry>> {
    let rows: Vec<(i64, String, String, String)> = audit_log::table
        .order(audit_log::id.desc())
        .limit(limit)
        .select((audit_log::at, audit_log::actor, audit_log::action, audit_log::target))
        .load(conn)?;
    Ok(rows.into_iter().map(|(at, actor, action, target)| AuditEntry { at, actor, action, target }).collect())
}

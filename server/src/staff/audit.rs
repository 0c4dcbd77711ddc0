//! The audit log: what staff did and when. Only staff actions are recorded; nothing
//! about respondents, their answers or their requests ever enters it.

use diesel::prelude::*;
use nansen_shared::{AuditEntry, AuditPage};

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

/// Which entries to read: a page of at most `limit`, newest first, older than entry
/// `before` if given, by one actor or of one action if given.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub before: Option<i64>,
    pub actor: Option<String>,
    pub action: Option<String>,
    pub limit: i64,
}

/// A page of the log. Pages are cut by entry id, not by offset: a page read while new
/// entries arrive neither repeats nor skips an entry.
pub fn page(conn: &mut Conn, query: &Query) -> QueryResult<AuditPage> {
    let mut select = audit_log::table
        .order(audit_log::id.desc())
        .select((audit_log::id, audit_log::at, audit_log::actor, audit_log::action, audit_log::target))
        .into_boxed();
    if let Some(before) = query.before {
        select = select.filter(audit_log::id.lt(before));
    }
    if let Some(actor) = &query.actor {
        select = select.filter(audit_log::actor.eq(actor.clone()));
    }
    if let Some(action) = &query.action {
        select = select.filter(audit_log::action.eq(action.clone()));
    }
    // One more than asked for says whether there is a next page.
    let rows: Vec<(i64, i64, String, String, String)> = select.limit(query.limit + 1).load(conn)?;
    let mut entries: Vec<AuditEntry> = rows
        .into_iter()
        .map(|(id, at, actor, action, target)| AuditEntry { id, at, actor, action, target })
        .collect();
    let more = entries.len() > usize::try_from(query.limit).unwrap_or(usize::MAX);
    entries.truncate(usize::try_from(query.limit).unwrap_or(usize::MAX));
    let next_before = if more { entries.last().map(|e| e.id) } else { None };
    Ok(AuditPage { entries, next_before })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::scratch;

    #[test]
    fn pages_follow_one_another_without_gaps_or_repeats() {
        let (_dir, mut conn) = scratch();
        for i in 0..7 {
            let actor = if i % 2 == 0 { "ada" } else { "bob" };
            record(&mut conn, actor, if i < 5 { "login" } else { "logout" }, &i.to_string()).unwrap();
        }
        let mut query = Query { limit: 3, ..Query::default() };
        let mut seen = Vec::new();
        loop {
            let page = page(&mut conn, &query).unwrap();
            seen.extend(page.entries.iter().map(|e| e.target.clone()));
            // A new entry between pages does not shift the next one.
            record(&mut conn, "ada", "login", "later").unwrap();
            match page.next_before {
                Some(before) => query.before = Some(before),
                None => break,
            }
        }
        assert_eq!(seen, ["6", "5", "4", "3", "2", "1", "0"]);

        let by_bob =
            Query { actor: Some("bob".into()), action: Some("login".into()), limit: 10, before: None };
        let targets: Vec<String> =
            page(&mut conn, &by_bob).unwrap().entries.into_iter().map(|e| e.target).collect();
        assert_eq!(targets, ["3", "1"]);
        let exact = Query { limit: 2, action: Some("logout".into()), ..Query::default() };
        assert_eq!(page(&mut conn, &exact).unwrap().next_before, None, "a full last page has no next");
    }
}

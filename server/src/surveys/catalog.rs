//! The published surveys, parsed once and kept in memory: every submission needs its
//! survey's definition, and parsing it from the database each time would be waste.
//! Entries are re-read after a short time, so that several server processes sharing a
//! database see each other's changes.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use nansen_shared::{ProblemKind, Schedule, Slug, Survey, SurveyStatus};

use crate::http::problem::ApiError;
use crate::storage::{self, Pool};
use crate::surveys::lifecycle::{self, VersionRow};

/// How long a cached definition is trusted before it is read again.
const FRESH_FOR: Duration = Duration::from_secs(2);

/// A survey's current published version.
#[derive(Debug)]
pub struct Published {
    pub survey_id: i64,
    pub version_id: i64,
    /// As stored: open or closed. Whether it takes answers now depends on the schedule
    /// too: see [`Published::status_now`].
    pub stored_status: SurveyStatus,
    pub schedule: Schedule,
    /// The definition, with `version` set.
    pub survey: Survey,
    /// For invite-only surveys, the key tokens are checked against.
    pub invite_key: Option<blind_rsa_signatures::PublicKey>,
}

impl Published {
    pub fn version(&self) -> u32 {
        self.survey.version.unwrap_or(0)
    }

    /// Where the survey stands now: before its opening time scheduled, from its closing
    /// time closed (to the second, even before the clock has closed it).
    pub fn status_now(&self) -> SurveyStatus {
        self.schedule.status_at(self.stored_status, storage::now())
    }

    fn from_row(row: VersionRow) -> Result<Self, ApiError> {
        let mut survey: Survey = serde_json::from_str(&row.definition).map_err(ApiError::internal)?;
        survey.version = u32::try_from(row.version).ok();
        let stored_status = lifecycle::status_of(&row.status).map_err(ApiError::internal)?;
        let invite_key =
            survey.invite_key.as_ref().map(|k| k.public_key()).transpose().map_err(ApiError::internal)?;
        Ok(Self {
            survey_id: row.survey_id,
            version_id: row.version_id,
            stored_status,
            schedule: row.schedule(),
            survey,
            invite_key,
        })
    }
}

#[derive(Debug)]
pub struct Catalog {
    pool: Pool,
    cache: RwLock<HashMap<Slug, (Instant, Arc<Published>)>>,
}

impl Catalog {
    pub fn new(pool: Pool) -> Self {
        Self { pool, cache: RwLock::new(HashMap::new()) }
    }

    /// The published survey at `slug`, or a 404 problem. Drafts are not found.
    pub async fn get(&self, slug: &str) -> Result<Arc<Published>, ApiError> {
        let slug = Slug::parse(slug).map_err(|_| not_found(slug))?;
        if let Some(published) = self.cached(&slug) {
            return Ok(published);
        }
        let key = slug.clone();
        let row = storage::run(&self.pool, move |conn| lifecycle::current(conn, key.as_str())).await?;
        let published = Arc::new(Published::from_row(row.ok_or_else(|| not_found(slug.as_str()))?)?);
        if let Ok(mut cache) = self.cache.write() {
            cache.insert(slug, (Instant::now(), published.clone()));
        }
        Ok(published)
    }

    /// Version `version` of `slug` (current or older), read fresh.
    pub async fn version(&self, slug: &str, version: u32) -> Result<Arc<Published>, ApiError> {
        let key = slug.to_owned();
        let number = i32::try_from(version).unwrap_or(i32::MAX);
        let row = storage::run(&self.pool, move |conn| lifecycle::version(conn, &key, number)).await?;
        let row = row.ok_or_else(|| {
            ApiError::new(
                ProblemKind::NotFound,
                format!("Survey \"{slug}\" has no published version {version}."),
            )
        })?;
        Ok(Arc::new(Published::from_row(row)?))
    }

    /// Drops a cached entry after this process changed the survey.
    pub fn forget(&self, slug: &str) {
        if let (Ok(slug), Ok(mut cache)) = (Slug::parse(slug), self.cache.write()) {
            cache.remove(&slug);
        }
    }

    /// The surveys open for answers now or scheduled to open, read fresh.
    pub async fn open(&self) -> Result<Vec<Published>, ApiError> {
        let rows = storage::run(&self.pool, |conn| lifecycle::open(conn, storage::now())).await?;
        rows.into_iter().map(Published::from_row).collect()
    }

    fn cached(&self, slug: &Slug) -> Option<Arc<Published>> {
        let cache = self.cache.read().ok()?;
        let (loaded, published) = cache.get(slug)?;
        (loaded.elapsed() < FRESH_FOR).then(|| published.clone())
    }
}

fn not_found(slug: &str) -> ApiError {
    ApiError::new(
        ProblemKind::NotFound,
        format!("There is no published survey called \"{slug}\". Check the link you were given."),
    )
}

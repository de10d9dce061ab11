//! Results derived from the database, kept until the data revision moves on. Correct by
//! construction: a value is served only for the revision it was computed at.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Entries beyond this are dropped wholesale; a deployment has a few hundred Ambiti × years.
const MAX_ENTRIES: usize = 4096;

/// A cached value and the revision it was computed at.
type Entry = (i64, Arc<dyn Any + Send + Sync>);

#[derive(Clone, Default)]
pub struct RevisionCache {
    entries: Arc<Mutex<HashMap<String, Entry>>>,
}

impl std::fmt::Debug for RevisionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RevisionCache")
    }
}

impl RevisionCache {
    pub fn get<T: Any + Send + Sync>(&self, key: &str, revision: i64) -> Option<Arc<T>> {
        let entries = self.entries.lock().ok()?;
        let (at, value) = entries.get(key)?;
        if *at != revision {
            return None;
        }
        value.clone().downcast::<T>().ok()
    }

    pub fn put<T: Any + Send + Sync>(&self, key: String, revision: i64, value: T) -> Arc<T> {
        let value = Arc::new(value);
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, (revision, value.clone()));
        }
        value
    }
}

impl crate::App {
    /// `build()` once per data revision; later calls at the same revision share the result.
    pub async fn cached<T, F, Fut>(&self, key: String, build: F) -> crate::Result<Arc<T>>
    where
        T: Any + Send + Sync,
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = crate::Result<T>>,
    {
        let revision = self.store.revision().await?;
        if let Some(hit) = self.cache.get::<T>(&key, revision) {
            return Ok(hit);
        }
        let value = build().await?;
        Ok(self.cache.put(key, revision, value))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn served_only_at_its_revision() {
        let c = super::RevisionCache::default();
        c.put("a".into(), 3, 42u32);
        assert_eq!(c.get::<u32>("a", 3).as_deref(), Some(&42));
        assert_eq!(c.get::<u32>("a", 4), None);
        assert_eq!(c.get::<String>("a", 3), None, "wrong type is a miss, not a panic");
        assert_eq!(c.get::<u32>("b", 3), None);
    }
}

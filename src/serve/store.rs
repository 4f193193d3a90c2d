//! Kept studies: the files of a study the user asked to keep, in one SQLite
//! file (`coreduce-studies.sqlite`) in the folder given with `--store`.
//! Nothing else is kept: outputs are made again from the files.

use anyhow::Context as _;
use serde::Serialize;
use std::path::Path;
use std::sync::Mutex;

pub(super) struct Store {
    db: Mutex<rusqlite::Connection>,
}

#[derive(Debug, Serialize)]
pub(super) struct Kept {
    pub id: i64,
    pub name: String,
    pub saved: String,
    pub bytes: i64,
}

impl Store {
    pub fn open(dir: &Path) -> anyhow::Result<Store> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot make the store folder {}", dir.display()))?;
        let path = dir.join("coreduce-studies.sqlite");
        let db = rusqlite::Connection::open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        db.execute_batch(
            "PRAGMA foreign_keys = ON;
             CREATE TABLE IF NOT EXISTS study (
                 id INTEGER PRIMARY KEY,
                 name TEXT NOT NULL,
                 saved TEXT NOT NULL DEFAULT (datetime('now'))
             );
             CREATE TABLE IF NOT EXISTS file (
                 study INTEGER NOT NULL REFERENCES study(id) ON DELETE CASCADE,
                 position INTEGER NOT NULL,
                 name TEXT NOT NULL,
                 bytes BLOB NOT NULL,
                 PRIMARY KEY (study, position)
             );",
        )
        .with_context(|| format!("{} is not a coreduce study store", path.display()))?;
        Ok(Store { db: Mutex::new(db) })
    }

    fn db(&self) -> std::sync::MutexGuard<'_, rusqlite::Connection> {
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps the files of `folder` named `files`, under `name`.
    pub fn keep(&self, name: &str, folder: &Path, files: &[String]) -> anyhow::Result<i64> {
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute("INSERT INTO study (name) VALUES (?1)", [name])?;
        let id = tx.last_insert_rowid();
        for (i, f) in files.iter().enumerate() {
            let bytes = std::fs::read(folder.join(f))?;
            tx.execute(
                "INSERT INTO file (study, position, name, bytes) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![id, i as i64, f, bytes],
            )?;
        }
        tx.commit()?;
        Ok(id)
    }

    pub fn list(&self) -> anyhow::Result<Vec<Kept>> {
        let db = self.db();
        let mut q = db.prepare(
            "SELECT s.id, s.name, s.saved, COALESCE(SUM(LENGTH(f.bytes)), 0)
             FROM study s LEFT JOIN file f ON f.study = s.id
             GROUP BY s.id ORDER BY s.id DESC",
        )?;
        let rows = q.query_map([], |r| {
            Ok(Kept {
                id: r.get(0)?,
                name: r.get(1)?,
                saved: r.get(2)?,
                bytes: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Writes a kept study's files into `folder`; their names in order.
    pub fn restore(&self, id: i64, folder: &Path) -> anyhow::Result<Option<Vec<String>>> {
        let db = self.db();
        let mut q =
            db.prepare("SELECT name, bytes FROM file WHERE study = ?1 ORDER BY position")?;
        let files = q
            .query_map([id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        if files.is_empty() {
            return Ok(None);
        }
        let mut names = Vec::new();
        for (name, bytes) in files {
            // The store is a file on disk: its names are checked as an upload's are.
            let Ok(name) = super::studies::safe_file_name(&name) else {
                continue;
            };
            std::fs::write(folder.join(&name), bytes)?;
            names.push(name);
        }
        Ok(Some(names))
    }

    pub fn delete(&self, id: i64) -> anyhow::Result<bool> {
        Ok(self.db().execute("DELETE FROM study WHERE id = ?1", [id])? > 0)
    }
}

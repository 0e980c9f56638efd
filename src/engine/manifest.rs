//! Migration plans: the SharePoint Migration Tool's and Migration Manager's batch files,
//! read into tasks (a source on a file share, a target in SharePoint or OneDrive, and the
//! filters that decide which files go), so that `check --manifest` can tell which files
//! would break the rules where they are going. Formats (Microsoft's documentation,
//! "How to format your CSV or JSON file for data content migration", Migration Manager's
//! bulk upload format):
//!
//! - CSV, no header (SPMT) or an optional one (Migration Manager): Source, Source DocLib,
//!   Source SubFolder, Target Web, Target DocLib, Target SubFolder, and for SPMT two hub
//!   columns; six or eight columns.
//! - JSON: `{"Tasks": [{"SourcePath", "TargetPath", "TargetList", "TargetListRelativePath",
//!   "Settings": {…}}]}`; of the settings, those that leave files out: hidden items,
//!   extensions, modified after a day.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::ConfigError;

/// One source and where it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    /// The file or folder on the file share.
    pub source: PathBuf,
    /// Where its files go: the site, library and folder as one URL
    /// (`https://oslo.sharepoint.com/sites/x/Documents/Saker`).
    pub target: String,
    /// Extensions not migrated (lowercase, without the dot).
    pub skip_extensions: Vec<String>,
    /// Only files modified on or after this day (`YYYY-MM-DD`) are migrated.
    pub modified_after: Option<String>,
    /// Whether hidden files (names starting with `.`) are migrated.
    pub hidden: bool,
    /// Where in the manifest the task is: a CSV line (`3`) or a JSON task (`Tasks[2]`).
    pub at: String,
}

/// Reads a manifest, CSV or JSON by its first character.
pub fn read(path: &Path) -> Result<Vec<Task>, ConfigError> {
    let text = ConfigError::read(path)?;
    let text = text.trim_start_matches('\u{feff}');
    let origin = path.display().to_string();
    let tasks = if text.trim_start().starts_with('{') {
        json(text, &origin)?
    } else {
        csv(text, &origin)?
    };
    if tasks.is_empty() {
        return Err(ConfigError::new(path, "the manifest holds no task"));
    }
    Ok(tasks)
}

/// A target URL from its parts: the site, the library, the folder inside it.
fn target(web: &str, list: &str, folder: &str) -> String {
    [
        web.trim_end_matches('/'),
        list.trim_matches('/'),
        folder.trim_matches('/'),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join("/")
}

fn csv(text: &str, origin: &str) -> Result<Vec<Task>, ConfigError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut tasks = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 1;
        let at = |column: usize, message: String| {
            ConfigError::new(origin, format!("line {line}, column {column}: {message}"))
        };
        let r = record.map_err(|e| at(1, e.to_string()))?;
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // Migration Manager allows a header row.
        if line == 1
            && r.get(0)
                .is_some_and(|c| c.trim().eq_ignore_ascii_case("Source"))
        {
            continue;
        }
        if r.len() != 6 && r.len() != 8 {
            return Err(at(
                r.len().min(9),
                format!(
                    "{} columns; a migration task has 6 (Migration Manager, older SPMT) or 8 (SPMT)",
                    r.len()
                ),
            ));
        }
        let cell = |i: usize| r.get(i).unwrap_or_default().trim();
        if cell(0).is_empty() {
            return Err(at(1, "no source".into()));
        }
        if !cell(1).is_empty() || !cell(2).is_empty() {
            return Err(at(
                2,
                "a SharePoint source (Source DocLib, Source SubFolder): only file shares can be checked".into(),
            ));
        }
        if !cell(3).starts_with("https://") {
            return Err(at(
                4,
                format!("the target site {:?} is not an https URL", cell(3)),
            ));
        }
        if cell(4).is_empty() {
            return Err(at(5, "no target library".into()));
        }
        tasks.push(Task {
            source: PathBuf::from(cell(0)),
            target: target(cell(3), cell(4), cell(5)),
            skip_extensions: Vec::new(),
            modified_after: None,
            hidden: true,
            at: line.to_string(),
        });
    }
    Ok(tasks)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawManifest {
    tasks: Vec<RawTask>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawTask {
    source_path: Option<String>,
    target_path: Option<String>,
    target_list: Option<String>,
    target_list_relative_path: Option<String>,
    #[serde(default)]
    settings: RawSettings,
}

/// The settings that decide which files go, as Migration Manager documents them (and
/// SPMT's `MigrateHiddenFiles`). Other settings are not read: a file they would leave out
/// is checked anyway, which errs on the side of checking more.
#[derive(Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawSettings {
    migrate_hidden_files: Option<bool>,
    migrate_hidden_items: Option<bool>,
    /// `"txt:mp3"`.
    skip_files_with_extensions: Option<String>,
    /// `YYYY-MM-DD`.
    migrate_items_modified_after: Option<String>,
}

fn json(text: &str, origin: &str) -> Result<Vec<Task>, ConfigError> {
    let raw: RawManifest = serde_json::from_str(text).map_err(|e| {
        ConfigError::new(
            origin,
            format!("line {}, column {}: {e}", e.line(), e.column()),
        )
    })?;
    let mut tasks = Vec::new();
    for (i, t) in raw.tasks.into_iter().enumerate() {
        let at = format!("Tasks[{i}]");
        let need = |v: Option<String>, field: &str| {
            v.filter(|s| !s.trim().is_empty())
                .ok_or_else(|| ConfigError::in_file(origin, &at, field, "missing"))
        };
        let source = need(t.source_path, "SourcePath")?;
        let web = need(t.target_path, "TargetPath")?;
        if !web.starts_with("https://") {
            return Err(ConfigError::in_file(
                origin,
                &at,
                "TargetPath",
                format!("{web:?} is not an https URL"),
            ));
        }
        let list = t.target_list.unwrap_or_else(|| "Documents".into());
        let folder = t.target_list_relative_path.unwrap_or_default();
        let s = t.settings;
        let skip = s.skip_files_with_extensions.unwrap_or_default();
        let modified_after = s.migrate_items_modified_after;
        if let Some(d) = &modified_after
            && !is_date(d)
        {
            return Err(ConfigError::in_file(
                origin,
                &at,
                "Settings",
                format!("{d:?} is not a date (YYYY-MM-DD)"),
            ));
        }
        tasks.push(Task {
            source: PathBuf::from(source),
            target: target(&web, &list, &folder),
            skip_extensions: skip
                .split([':', ';', ','])
                .map(|e| e.trim().trim_start_matches('.').to_lowercase())
                .filter(|e| !e.is_empty())
                .collect(),
            modified_after,
            hidden: s
                .migrate_hidden_files
                .or(s.migrate_hidden_items)
                .unwrap_or(true),
            at,
        });
    }
    Ok(tasks)
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

impl Task {
    /// Whether the task's filters let a file go: its name and, as RFC 3339, when it changed.
    pub fn takes(&self, name: &str, modified: Option<&str>) -> bool {
        if !self.hidden && name.starts_with('.') {
            return false;
        }
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_lowercase());
        if ext.is_some_and(|e| self.skip_extensions.contains(&e)) {
            return false;
        }
        match (&self.modified_after, modified) {
            (Some(after), Some(m)) => m.get(..10).is_some_and(|day| day >= after.as_str()),
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str, ext: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(format!("plan.{ext}"));
        std::fs::write(&p, text).unwrap();
        (dir, p)
    }

    #[test]
    fn spmt_and_migration_manager_csv() {
        let (_d, p) = write(
            "\u{feff}Source,Source DocLib,Source SubFolder,Target Web,Target DocLib,Target SubFolder\n\
             \\\\fil01\\felles\\Barnevern,,,https://oslo.sharepoint.com/sites/barnevern,Documents,Saker\n\
             \"/srv/share/a, b\",,,https://oslo.sharepoint.com/sites/x/,Documents,,,\n",
            "csv",
        );
        let tasks = read(&p).unwrap();
        assert_eq!(tasks.len(), 2);
        assert_eq!(
            tasks[0].source,
            PathBuf::from("\\\\fil01\\felles\\Barnevern")
        );
        assert_eq!(
            tasks[0].target,
            "https://oslo.sharepoint.com/sites/barnevern/Documents/Saker"
        );
        assert_eq!(tasks[1].source, PathBuf::from("/srv/share/a, b"));
        assert_eq!(
            tasks[1].target,
            "https://oslo.sharepoint.com/sites/x/Documents"
        );
        assert_eq!(tasks[1].at, "3");
    }

    #[test]
    fn malformed_lines_name_line_and_column() {
        let (_d, p) = write(
            "/srv/a,,,https://oslo.sharepoint.com/sites/x,Documents,\n/srv/b,,,ftp://x,Documents,\n",
            "csv",
        );
        let e = read(&p).unwrap_err().to_string();
        assert!(e.contains("line 2, column 4"), "{e}");
        let (_d, p) = write("/srv/a,,,https://x.sharepoint.com/sites/x\n", "csv");
        let e = read(&p).unwrap_err().to_string();
        assert!(e.contains("line 1, column 4: 4 columns"), "{e}");
        let (_d, p) = write("{\"Tasks\": [{\"SourcePath\": \"/a\"}]}", "json");
        let e = read(&p).unwrap_err().to_string();
        assert!(e.contains("Tasks[0]") && e.contains("TargetPath"), "{e}");
        let (_d, p) = write("{\"Tasks\": [\n{\"SourcePath\": }]}", "json");
        let e = read(&p).unwrap_err().to_string();
        assert!(e.contains("line 2, column"), "{e}");
    }

    #[test]
    fn json_tasks_and_their_filters() {
        let (_d, p) = write(
            r#"{"Tasks":[{"SourcePath":"/srv/a","TargetPath":"https://oslo.sharepoint.com/sites/x","TargetList":"Documents","TargetListRelativePath":"Arkiv","Settings":{"SkipFilesWithExtensions":"txt:mp3","MigrateItemsModifiedAfter":"2024-01-01","MigrateHiddenItems":false}}]}"#,
            "json",
        );
        let t = &read(&p).unwrap()[0];
        assert_eq!(
            t.target,
            "https://oslo.sharepoint.com/sites/x/Documents/Arkiv"
        );
        assert!(t.takes("a.docx", Some("2024-06-01T00:00:00Z")));
        assert!(!t.takes("a.TXT", None));
        assert!(!t.takes(".skjult.docx", None));
        assert!(!t.takes("gammel.docx", Some("2023-12-31T23:59:59Z")));
    }
}

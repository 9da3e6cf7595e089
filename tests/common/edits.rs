//! A random editor of a site: edits bodies and front matter, adds, renames and deletes pages and folders,
//! edits office data, templates, theme strings and site.toml, breaks files, and undoes its steps. Each step
//! says which paths it touched, as a file watcher would report them.

use std::path::{Path, PathBuf};

/// xorshift64*: small, seeded, and the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() { None } else { Some(&items[self.below(items.len())]) }
    }
}

/// One step: what it did, and the paths a watcher would report.
pub struct Step {
    pub what: String,
    pub touched: Vec<PathBuf>,
}

/// The state of files before a step, to undo it.
struct Undo {
    files: Vec<(PathBuf, Option<Vec<u8>>)>,
    touched: Vec<PathBuf>,
}

pub struct Editor {
    root: PathBuf,
    pub rng: Rng,
    undos: Vec<Undo>,
    counter: usize,
    /// Headings with explicit ids the editor added: (key, id), for anchor links.
    anchors: Vec<(String, String)>,
}

const WORDS: &[&str] = &["card", "visa", "permit", "office", "fee", "form", "photo", "notice", "office", "rule"];

impl Editor {
    pub fn new(root: &Path, seed: u64) -> Editor {
        Editor { root: root.to_path_buf(), rng: Rng::new(seed), undos: Vec::new(), counter: 0, anchors: Vec::new() }
    }

    /// A random step; about one in six undoes the latest step, and more while the site is `broken`, so it
    /// spends much of its time in good states.
    pub fn step(&mut self, broken: bool) -> Step {
        if !self.undos.is_empty() && self.rng.chance(if broken { 60 } else { 16 }) {
            return self.undo().expect("there is a step to undo");
        }
        loop {
            self.counter += 1;
            let roll = self.rng.below(100);
            let step = match roll {
                0..=29 => self.edit_body(),
                30..=49 => self.edit_front_matter(),
                50..=56 => self.add_page(),
                57..=60 => self.add_translation(),
                61..=65 => self.delete_page(),
                66..=71 => self.rename_page(),
                72..=73 => self.rename_folder(),
                74..=79 => self.edit_office(),
                80..=81 => self.edit_holidays(),
                82..=85 => self.break_page(),
                86..=88 => self.edit_template(),
                89..=90 => self.edit_site_toml(),
                91..=92 => self.edit_strings(),
                93..=94 => self.edit_static(),
                95..=97 => self.edit_section(),
                _ => self.editor_noise(),
            };
            if let Some(step) = step {
                return step;
            }
        }
    }

    /// Undoes the latest step not undone yet.
    pub fn undo(&mut self) -> Option<Step> {
        let undo = self.undos.pop()?;
        for (path, before) in &undo.files {
            match before {
                Some(bytes) => write(path, bytes),
                None => remove(path),
            }
        }
        Some(Step { what: "undo".into(), touched: undo.touched })
    }

    pub fn can_undo(&self) -> bool {
        !self.undos.is_empty()
    }

    /// Runs `change` after saving the files it may touch, for `undo`.
    fn change(&mut self, what: String, files: &[PathBuf], touched: Vec<PathBuf>, change: impl FnOnce()) -> Step {
        let files = files.iter().map(|f| (f.clone(), std::fs::read(f).ok())).collect();
        change();
        self.undos.push(Undo { files, touched: touched.clone() });
        Step { what, touched }
    }

    fn change_file(&mut self, what: String, file: &Path, change: impl FnOnce()) -> Step {
        self.change(what, &[file.to_path_buf()], vec![file.to_path_buf()], change)
    }

    fn content(&self) -> PathBuf {
        self.root.join("content")
    }

    /// Every page file, relative to the site root.
    fn pages(&self) -> Vec<PathBuf> {
        files_below(&self.content()).into_iter().filter(|p| p.extension().is_some_and(|e| e == "md")).collect()
    }

    /// The keys of the pages in the default language (`cards/renewal.md`).
    fn keys(&self) -> Vec<String> {
        self.pages()
            .iter()
            .map(|p| p.strip_prefix(self.content()).unwrap().to_string_lossy().replace('\\', "/"))
            .filter(|k| !k.trim_end_matches(".md").ends_with(".zh"))
            .collect()
    }

    fn word(&mut self) -> String {
        format!("{}-{}", self.rng.pick(WORDS).unwrap(), self.counter)
    }

    fn edit_body(&mut self) -> Option<Step> {
        let page = self.rng.pick(&self.pages())?.clone();
        let key = self.key_of(&page);
        let keys = self.keys();
        let n = self.counter;
        let line = match self.rng.below(10) {
            0 => format!("\nA paragraph, number {n}.\n"),
            1 => {
                self.anchors.push((key, format!("h{n}")));
                format!("\n## Heading {n} {{#h{n}}}\n")
            }
            2 => format!("\nSee [a page](@/{}).\n", self.rng.pick(&keys)?),
            3 => match self.rng.pick(&self.anchors).cloned() {
                Some((target, id)) => format!("\nSee [a heading](@/{target}#{id}).\n"),
                None => format!("\nSee [nothing](@/{}#no-such-heading).\n", self.rng.pick(&keys)?),
            },
            4 => format!("\n{{{{ office(id=\"{}\") }}}}\n", self.rng.pick(&self.office_ids())?),
            5 => format!("\nThe [office page](@/offices/{}).\n", self.rng.pick(&self.office_files())?),
            6 => format!("\nA missing page: [gone](@/no-such-page-{n}.md).\n"),
            // Plain links, which only the link check of the output reads: to a page by its URL, to an id on it
            // that may be there or not, and to nowhere.
            7 => format!(
                "\nSee [the page](/en/{}/).\n",
                self.rng.pick(&keys)?.trim_end_matches(".md").trim_end_matches("_index")
            ),
            8 => match self.rng.pick(&self.anchors).cloned() {
                Some((target, id)) => format!("\nSee [the heading](/en/{}/#{id}).\n", target.trim_end_matches(".md")),
                None => format!("\nSee [a heading](/en/renewal/#h{n}).\n"),
            },
            _ => format!("\nSee [nowhere](/en/nowhere-{n}/).\n"),
        };
        let text = std::fs::read(&page).ok()?;
        let mut new = text.clone();
        new.extend_from_slice(line.as_bytes());
        Some(self.change_file(format!("body of {}", page.display()), &page, || write(&page, &new)))
    }

    fn key_of(&self, page: &Path) -> String {
        let rel = page.strip_prefix(self.content()).unwrap().to_string_lossy().replace('\\', "/");
        match rel.strip_suffix(".zh.md") {
            Some(stem) => format!("{stem}.md"),
            None => rel,
        }
    }

    fn edit_front_matter(&mut self) -> Option<Step> {
        let page = self.rng.pick(&self.pages())?.clone();
        let text = std::fs::read_to_string(&page).ok()?;
        let is_section = page.file_name()?.to_string_lossy().starts_with("_index");
        let word = self.word();
        let (key, value) = match self.rng.below(8) {
            0 | 1 => ("title", Some(format!("\"Title {word}\""))),
            2 => ("weight", Some(self.rng.below(5).to_string())),
            3 => ("weight", None),
            4 if !is_section => ("slug", if self.rng.chance(70) { Some(format!("\"{word}\"")) } else { None }),
            4 => ("description", Some(format!("\"About {word}.\""))),
            5 => ("draft", if self.rng.chance(50) { Some("true".to_string()) } else { None }),
            6 => ("reviewed", Some(format!("2026-0{}-1{}", 1 + self.rng.below(9), self.rng.below(10)))),
            _ => ("description", Some(format!("\"About {word}.\""))),
        };
        let new = set_front_key(&text, key, value.as_deref())?;
        Some(self.change_file(format!("{key} of {}", page.display()), &page, || write(&page, new.as_bytes())))
    }

    fn add_page(&mut self) -> Option<Step> {
        let mut folders: Vec<PathBuf> = vec![self.content()];
        folders.extend(dirs_below(&self.content()).into_iter().filter(|d| !d.ends_with("holidays")));
        let word = self.word();
        let folder = if self.rng.chance(20) { self.content().join(&word) } else { self.rng.pick(&folders)?.clone() };
        let kind_table = self.kind_table_for(&folder);
        let mut files = vec![folder.join(format!("{word}.md"))];
        let mut texts =
            vec![format!("+++\ntitle = \"New {word}\"\nweight = {}\n{kind_table}+++\nNew page.\n", self.rng.below(4))];
        if self.rng.chance(50) {
            files.push(folder.join(format!("{word}.zh.md")));
            texts.push(format!("+++\ntitle = \"新 {word}\"\n{kind_table}+++\n新页面。\n"));
        }
        if !folder.exists() && self.rng.chance(50) {
            files.push(folder.join("_index.md"));
            texts.push(format!("+++\ntitle = \"Section {word}\"\n+++\n"));
        }
        let touched = if folder.exists() { files.clone() } else { vec![folder.clone()] };
        Some(self.change(format!("new page {}", files[0].display()), &files.clone(), touched, || {
            for (file, text) in files.iter().zip(&texts) {
                write(file, text.as_bytes());
            }
        }))
    }

    /// A page in a folder whose section sets `page_kind` needs that kind's table.
    fn kind_table_for(&self, folder: &Path) -> String {
        let index = std::fs::read_to_string(folder.join("_index.md")).unwrap_or_default();
        if index.contains("page_kind = \"category\"") {
            "\n[category]\nsummary = \"Who it is for.\"\nconditions = [\"You live here.\"]\n".into()
        } else if index.contains("page_kind = \"rule\"") {
            "\n[[rule.cases]]\nid = \"case\"\ntitle = \"A case\"\n".into()
        } else {
            String::new()
        }
    }

    fn add_translation(&mut self) -> Option<Step> {
        let untranslated: Vec<PathBuf> = self
            .pages()
            .into_iter()
            .filter(|p| !p.to_string_lossy().ends_with(".zh.md") && !p.with_extension("zh.md").exists())
            .collect();
        let page = self.rng.pick(&untranslated)?.clone();
        let text = std::fs::read_to_string(&page).ok()?;
        let word = self.word();
        let new = set_front_key(&text, "title", Some(&format!("\"译 {word}\"")))?;
        let target = page.with_extension("zh.md");
        Some(self.change_file(format!("translation {}", target.display()), &target, || write(&target, new.as_bytes())))
    }

    fn delete_page(&mut self) -> Option<Step> {
        let page = self.rng.pick(&self.pages())?.clone();
        Some(self.change_file(format!("delete {}", page.display()), &page, || remove(&page)))
    }

    fn rename_page(&mut self) -> Option<Step> {
        let page = self.rng.pick(&self.pages())?.clone();
        let name = page.file_name()?.to_string_lossy().to_string();
        let word = self.word();
        let new_name = match name.strip_suffix(".zh.md") {
            Some(_) => format!("{word}.zh.md"),
            None if name.starts_with("_index") => return None,
            None => format!("{word}.md"),
        };
        let folders = dirs_below(&self.content());
        let folder = if self.rng.chance(30) { self.rng.pick(&folders)?.clone() } else { page.parent()?.to_path_buf() };
        let target = folder.join(new_name);
        let files = [page.clone(), target.clone()];
        Some(self.change(format!("rename {} → {}", page.display(), target.display()), &files, files.to_vec(), || {
            std::fs::rename(&page, &target).unwrap()
        }))
    }

    fn rename_folder(&mut self) -> Option<Step> {
        let folders: Vec<PathBuf> = dirs_below(&self.content())
            .into_iter()
            .filter(|d| !d.ends_with("offices") && !d.ends_with("holidays"))
            .collect();
        let folder = self.rng.pick(&folders)?.clone();
        let target = folder.with_file_name(self.word());
        let mut files = files_below(&folder);
        files.extend(files_below(&folder).iter().map(|f| target.join(f.strip_prefix(&folder).unwrap())));
        let touched = vec![folder.clone(), target.clone()];
        Some(self.change(format!("rename folder {}", folder.display()), &files, touched, || {
            std::fs::rename(&folder, &target).unwrap()
        }))
    }

    fn office_ids(&self) -> Vec<String> {
        self.office_files()
            .iter()
            .filter_map(|f| std::fs::read_to_string(self.content().join("offices").join(f)).ok())
            .filter_map(|t| {
                t.lines().find_map(|l| l.strip_prefix("id = \"").map(|r| r.trim_end_matches('"').to_string()))
            })
            .collect()
    }

    fn office_files(&self) -> Vec<String> {
        files_below(&self.content().join("offices"))
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "toml"))
            .map(|f| f.file_name().unwrap().to_string_lossy().to_string())
            .collect()
    }

    fn edit_office(&mut self) -> Option<Step> {
        let folder = self.content().join("offices");
        let word = self.word();
        match self.rng.below(4) {
            0 => {
                let file = folder.join(format!("{word}.toml"));
                let text = format!(
                    "id = \"{word}\"\nweight = {}\nname = {{ en = \"Office {word}\", zh = \"办公室 {word}\" }}\ndistrict = {{ en = \"Xuhui District\", zh = \"徐汇区\" }}\nunconfirmed = [\"address\", \"phones\", \"hours\", \"services\"]\n",
                    self.rng.below(30)
                );
                Some(self.change_file(format!("new office {word}"), &file, || write(&file, text.as_bytes())))
            }
            1 => {
                let file = folder.join(self.rng.pick(&self.office_files())?);
                Some(self.change_file(format!("delete office {}", file.display()), &file, || remove(&file)))
            }
            _ => {
                let file = folder.join(self.rng.pick(&self.office_files())?);
                let text = std::fs::read_to_string(&file).ok()?;
                let new = if self.rng.chance(50) {
                    replace_line(&text, "weight = ", &format!("weight = {}", self.rng.below(30)))?
                } else {
                    replace_line(
                        &text,
                        "name = ",
                        &format!("name = {{ en = \"Office {word}\", zh = \"办公室 {word}\" }}"),
                    )?
                };
                Some(
                    self.change_file(format!("edit office {}", file.display()), &file, || write(&file, new.as_bytes())),
                )
            }
        }
    }

    fn edit_holidays(&mut self) -> Option<Step> {
        let file = self.content().join("holidays/2026.toml");
        let text = std::fs::read_to_string(&file).ok()?;
        let day = 2 + self.rng.below(6);
        let new = replace_line(&text, "to = 2026-10-0", &format!("to = 2026-10-0{day}"))?;
        Some(self.change_file("edit holidays".into(), &file, || write(&file, new.as_bytes())))
    }

    fn break_page(&mut self) -> Option<Step> {
        let page = self.rng.pick(&self.pages())?.clone();
        let broken: &[u8] = match self.rng.below(4) {
            0 => b"+++\ntitel = \"typo\"\n+++\nBody.\n",
            1 => b"+++\ntitle = \"unclosed\"\nBody.\n",
            2 => b"+++\ntitle = \"bad html\"\n+++\n<script>alert(1)</script>\n",
            _ => b"+++\ntitle = \"bad bytes \xff\"\n+++\n",
        };
        Some(self.change_file(format!("break {}", page.display()), &page, || write(&page, broken)))
    }

    fn edit_template(&mut self) -> Option<Step> {
        let theme_page = self.root.join("themes/default/templates/page.html");
        let file = self.root.join("templates/page.html");
        let original = std::fs::read_to_string(&theme_page).ok()?;
        let n = self.counter;
        let text = match self.rng.below(3) {
            0 => original.replacen("{% block content %}", &format!("{{% block content %}}<!-- override {n} -->"), 1),
            1 => original.replacen("{% block content %}", "{% block content %}{% if %}", 1),
            _ => {
                return Some(self.change_file("remove the page template".into(), &file, || remove(&file)));
            }
        };
        Some(self.change_file("override the page template".into(), &file, || write(&file, text.as_bytes())))
    }

    fn edit_site_toml(&mut self) -> Option<Step> {
        let file = self.root.join("site.toml");
        let text = std::fs::read_to_string(&file).ok()?;
        let word = self.word();
        let line = text.lines().find(|l| l.starts_with("title = "))?.to_string();
        let new = text.replacen(&line, &format!("title = \"Guide {word}\""), 1);
        Some(self.change_file("edit site.toml".into(), &file, || write(&file, new.as_bytes())))
    }

    fn edit_strings(&mut self) -> Option<Step> {
        let file = self.root.join("i18n/en.toml");
        let word = self.word();
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let new = match replace_line(&text, "skip_to_content = ", &format!("skip_to_content = \"Skip {word}\"")) {
            Some(new) => new,
            None => format!("{text}skip_to_content = \"Skip {word}\"\n"),
        };
        Some(self.change_file("edit strings".into(), &file, || write(&file, new.as_bytes())))
    }

    fn edit_static(&mut self) -> Option<Step> {
        let file = self.root.join("static/notes.txt");
        let text = format!("notes {}\n", self.counter);
        if file.exists() && self.rng.chance(40) {
            return Some(self.change_file("remove a static file".into(), &file, || remove(&file)));
        }
        Some(self.change_file("edit a static file".into(), &file, || write(&file, text.as_bytes())))
    }

    fn edit_section(&mut self) -> Option<Step> {
        let sections: Vec<PathBuf> = self.pages().into_iter().filter(|p| p.ends_with("_index.md")).collect();
        let file = self.rng.pick(&sections)?.clone();
        let text = std::fs::read_to_string(&file).ok()?;
        let (key, value) = if self.rng.chance(60) {
            ("sort_by", Some(*self.rng.pick(&["\"weight\"", "\"title\"", "\"date\"", "\"none\""])?))
        } else {
            // Every page below renders with another template, though no page changed.
            ("page_template", if self.rng.chance(60) { Some("\"page.html\"") } else { None })
        };
        let new = set_front_key(&text, key, value)?;
        Some(self.change_file(format!("{key} of {}", file.display()), &file, || write(&file, new.as_bytes())))
    }

    /// Files an editor writes beside the ones it edits, which change nothing.
    fn editor_noise(&mut self) -> Option<Step> {
        let page = self.rng.pick(&self.pages())?.clone();
        let name = page.file_name()?.to_string_lossy().to_string();
        let swap = page.with_file_name(format!(".{name}.swp"));
        let backup = page.with_file_name(format!("{name}~"));
        let files = [swap.clone(), backup.clone()];
        Some(self.change("editor files".into(), &files, files.to_vec(), || {
            write(&swap, b"swap");
            write(&backup, b"+++\nbroken");
        }))
    }
}

/// Sets (or with `None` removes) a top-level key of a page's front matter; none if it has no front matter.
pub fn set_front_key(text: &str, key: &str, value: Option<&str>) -> Option<String> {
    let body_at = text.strip_prefix("+++\n")?.find("\n+++")? + 4;
    let (front, rest) = text.split_at(body_at);
    let mut lines: Vec<&str> = front.lines().collect();
    let top_end = lines.iter().skip(1).position(|l| l.starts_with('[')).map_or(lines.len(), |i| i + 1);
    let prefix = format!("{key} =");
    let kept: Vec<&str> =
        lines.drain(..).enumerate().filter(|(i, l)| *i >= top_end || !l.starts_with(&prefix)).map(|(_, l)| l).collect();
    let mut out = String::from("+++\n");
    if let Some(value) = value {
        out.push_str(&format!("{key} = {value}\n"));
    }
    for line in kept.iter().skip(1) {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(rest.strip_prefix('\n').unwrap_or(rest));
    Some(out)
}

fn replace_line(text: &str, starts_with: &str, with: &str) -> Option<String> {
    let line = text.lines().find(|l| l.starts_with(starts_with))?;
    Some(text.replacen(line, with, 1))
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Removes a file and the folders it leaves empty.
fn remove(path: &Path) {
    let _ = std::fs::remove_file(path);
    let mut dir = path.parent();
    while let Some(d) = dir {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return files };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files.extend(files_below(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn dirs_below(dir: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return dirs };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    entries.sort();
    for path in entries {
        dirs.extend(dirs_below(&path));
        dirs.push(path);
    }
    dirs
}

//! The filters and functions the theme's templates can call, answered from the index.

use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use super::index::Index;
use crate::render::views;
use crate::site::date::Date;

pub(super) fn current_lang(state: &State) -> Result<String, tera::Error> {
    state.get::<String>("lang")?.ok_or_else(|| tera::Error::message("`lang` is not set in this template's context"))
}

fn entry(index: &Index, key: &str) -> Result<usize, tera::Error> {
    index.entry(key).ok_or_else(|| tera::Error::message(format!("there is no page `{key}` in content/")))
}

fn no_language(lang: &str) -> tera::Error {
    tera::Error::message(format!("no language `{lang}`"))
}

pub(super) fn register(tera: &mut Tera, index: &Arc<Index>) {
    let ix = Arc::clone(index);
    tera.register_function("url_for", move |kwargs: Kwargs, state: &State| -> Result<String, tera::Error> {
        let key: String = kwargs.must_get("key")?;
        let lang = kwargs.get::<String>("lang")?.map_or_else(|| current_lang(state), Ok)?;
        let entry = entry(&ix, &key)?;
        ix.url(&lang, entry).map(str::to_string).ok_or_else(|| no_language(&lang))
    });
    let ix = Arc::clone(index);
    tera.register_function("get_section", move |kwargs: Kwargs, state: &State| -> Result<Value, tera::Error> {
        let key: String = kwargs.must_get("key")?;
        let lang = current_lang(state)?;
        let entry = entry(&ix, &key)?;
        let (pages, subsections) = ix
            .children(&lang, entry)
            .cloned()
            .ok_or_else(|| tera::Error::message(format!("`{key}` is a page, not a section (_index.md)")))?;
        let summary = ix.summary(&lang, entry).ok_or_else(|| no_language(&lang))?;
        // Built from its parts, which share their data: the pager calls this on every page, and serializing
        // the section's list each time would cost as much as the list is long.
        let mut section = summary.clone().into_map().unwrap_or_default();
        section.insert("pages".into(), pages);
        section.insert("subsections".into(), subsections);
        Ok(Value::from(section))
    });
    let ix = Arc::clone(index);
    tera.register_function("get_page", move |kwargs: Kwargs, state: &State| -> Result<Value, tera::Error> {
        let key: String = kwargs.must_get("key")?;
        let entry = entry(&ix, &key)?;
        let lang = current_lang(state)?;
        ix.summary(&lang, entry).cloned().ok_or_else(|| no_language(&lang))
    });
    let ix = Arc::clone(index);
    tera.register_function("asset", move |kwargs: Kwargs, _: &State| -> Result<String, tera::Error> {
        let name: String = kwargs.must_get("name")?;
        Ok(ix.assets.get(&name).cloned().unwrap_or_else(|| ix.config.url(&format!("static/{name}"))))
    });
    let ix = Arc::clone(index);
    tera.register_function("get_office", move |kwargs: Kwargs, state: &State| -> Result<Value, tera::Error> {
        let id: String = kwargs.must_get("id")?;
        ix.offices.get(&current_lang(state)?, &id)
    });
    let ix = Arc::clone(index);
    tera.register_filter("date", move |value: &str, _: Kwargs, state: &State| -> Result<String, tera::Error> {
        let date = Date::parse(value).map_err(tera::Error::message)?;
        let strings = ix.strings.get(&current_lang(state)?);
        Ok(views::format_date(date, strings))
    });
}

//! The site's URL scheme, in one place. Every public URL begins with the language.

use crate::domain::Lang;

pub fn home(lang: &Lang) -> String {
    format!("/{lang}/")
}

pub fn archive(lang: &Lang) -> String {
    format!("/{lang}/archive")
}

pub fn archive_year(lang: &Lang, year: i16) -> String {
    format!("/{lang}/archive/{year}")
}

pub fn archive_month(lang: &Lang, year: i16, month: i8) -> String {
    format!("/{lang}/archive/{year}/{month:02}")
}

pub fn archive_day(lang: &Lang, year: i16, month: i8, day: i8) -> String {
    format!("/{lang}/archive/{year}/{month:02}/{day:02}")
}

pub fn section(lang: &Lang, section: &str) -> String {
    format!("/{lang}/{section}")
}

pub fn article(lang: &Lang, section: &str, slug: &str) -> String {
    format!("/{lang}/{section}/{slug}")
}

pub fn tag(lang: &Lang, slug: &str) -> String {
    format!("/{lang}/tag/{slug}")
}

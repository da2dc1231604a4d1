//! The demo's register of documents: a few official documents in both languages, each with a
//! PDF drawn here (no downloads), linked to the demo stories they belong to.

use jiff::Timestamp;
use jiff::tz::{self, TimeZone};

/// One demo document. `stories` are the numbers of the demo stories it belongs to.
#[derive(Debug, Clone)]
pub struct DemoDocument {
    pub kind: &'static str,
    pub number: &'static str,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub en: (&'static str, &'static str),
    pub ru: (&'static str, &'static str),
    pub file_name: &'static str,
    pub stories: &'static [usize],
}

/// The demo's documents, dated around `now`.
pub fn documents(now: Timestamp) -> Vec<DemoDocument> {
    let today = now.to_zoned(TimeZone::fixed(tz::offset(3))).date();
    let ago = |days: i64| today.checked_sub(jiff::Span::new().days(days)).unwrap_or(today).to_string();
    vec![
        DemoDocument {
            kind: "decision",
            number: "CFM-12",
            date: ago(2),
            en: (
                "Decision of the Council of Foreign Ministers on the agenda of its meeting in Minsk",
                "Sets the agenda and the draft documents of the Council of Foreign Ministers’ meeting.",
            ),
            ru: (
                "Решение Совета министров иностранных дел о повестке заседания в Минске",
                "Определяет повестку дня и проекты документов заседания Совета министров иностранных дел.",
            ),
            file_name: "decision-cfm-12.pdf",
            stories: &[49],
        },
        DemoDocument {
            kind: "agreement",
            number: "PA-7/2",
            date: ago(6),
            en: (
                "Model law on civil defence",
                "The model law approved by the Standing Commission of the Parliamentary Assembly.",
            ),
            ru: (
                "Модельный закон о гражданской обороне",
                "Модельный закон, одобренный Постоянной комиссией Парламентской ассамблеи.",
            ),
            file_name: "model-law-civil-defence.pdf",
            stories: &[3],
        },
        DemoDocument {
            kind: "statement",
            number: "",
            date: ago(16),
            en: (
                "Statement by the Secretary General on aid to flood-hit districts",
                "The Secretary General thanks the member states for their swift help.",
            ),
            ru: (
                "Заявление Генерального секретаря о помощи пострадавшим от наводнения районам",
                "Генеральный секретарь благодарит государства-члены за оперативную помощь.",
            ),
            file_name: "statement-flood-relief.pdf",
            stories: &[11],
        },
        DemoDocument {
            kind: "report",
            number: "SG-2025",
            date: ago(400),
            en: (
                "Annual report of the Secretary General",
                "The Council’s work over the past year, body by body, with figures.",
            ),
            ru: (
                "Ежегодный доклад Генерального секретаря",
                "Работа Совета за прошедший год по направлениям, с цифрами.",
            ),
            file_name: "annual-report.pdf",
            stories: &[],
        },
    ]
}

/// A one-page PDF with a title and a line of text (Latin letters: the standard fonts carry no
/// others), every offset in its cross-reference table exact.
pub fn pdf(title: &str, line: &str) -> Vec<u8> {
    let ascii = |s: &str| -> String {
        deunicode::deunicode(s).chars().filter(|c| !matches!(c, '(' | ')' | '\\')).collect()
    };
    let content = format!(
        "BT /F1 18 Tf 56 780 Td ({}) Tj ET\nBT /F1 11 Tf 56 750 Td ({}) Tj ET\n",
        ascii(title),
        ascii(line)
    );
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1)
            .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pdf_s_cross_references_point_at_its_objects() {
        let bytes = pdf("Решение (№ 12)", "Text");
        let text = String::from_utf8(bytes.clone()).expect("ASCII");
        assert!(text.starts_with("%PDF-1.4\n") && text.ends_with("%%EOF\n"));
        assert!(text.contains("(Reshenie No 12) Tj"), "{text}");
        let xref: usize = text.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        assert!(text[xref..].starts_with("xref\n"));
        for (n, line) in text[xref..].lines().skip(3).take(5).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(text[offset..].starts_with(&format!("{} 0 obj", n + 1)), "object {}", n + 1);
        }
    }

    #[test]
    fn documents_are_in_both_languages_and_the_past() {
        let now: Timestamp = "2026-12-03T09:00:00Z".parse().unwrap();
        for d in documents(now) {
            assert!(!d.en.0.is_empty() && !d.ru.0.is_empty());
            assert!(d.date.as_str() < "2026-12-04", "{}", d.date);
            assert!(crate::newsroom::documents::KINDS.contains(&d.kind));
        }
    }
}

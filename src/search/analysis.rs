//! How text becomes search terms, per language: the same analyzer runs when an article is
//! indexed and when a reader's query is parsed, so "conferences" and "conference" (or
//! «конференции» and «конференция») meet at the same stem.
//!
//! Words are runs of letters and digits (Unicode-aware), lowercased, then stemmed with the
//! Snowball stemmer of the article's language. Russian also folds «ё» into «е», since most
//! Russian text is typed without «ё». Languages without a stemmer here are only lowercased.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter,
    TokenStream, Tokenizer,
};

/// Longest word indexed, in bytes; longer "words" are URLs, hashes or garbage.
pub const MAX_WORD: usize = 40;

/// The analyzers the index knows. Each has its own pair of fields (title and text), because a
/// field is analyzed one way only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analyzer {
    English = 0,
    Russian = 1,
    /// Any other language: lowercased words, no stemming.
    Plain = 2,
}

impl Analyzer {
    pub const ALL: [Analyzer; 3] = [Analyzer::English, Analyzer::Russian, Analyzer::Plain];

    /// The analyzer for an article or a page in this language.
    pub fn for_lang(code: &str) -> Analyzer {
        match code {
            "en" => Analyzer::English,
            "ru" => Analyzer::Russian,
            _ => Analyzer::Plain,
        }
    }

    /// Suffix of the field names analyzed this way, and part of the tokenizer's name.
    pub fn suffix(self) -> &'static str {
        match self {
            Analyzer::English => "en",
            Analyzer::Russian => "ru",
            Analyzer::Plain => "other",
        }
    }

    /// The name it is registered under in the index's tokenizer manager.
    pub fn tokenizer_name(self) -> String {
        format!("newsdesk_{}", self.suffix())
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether several languages share this analyzer's fields, so that a search in one of
    /// them must also filter by language.
    pub fn is_shared(self) -> bool {
        self == Analyzer::Plain
    }

    /// A fresh analyzer of this kind.
    pub fn build(self) -> TextAnalyzer {
        let words = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_WORD))
            .filter(LowerCaser);
        match self {
            Analyzer::English => words.filter(Stemmer::new(Language::English)).build(),
            Analyzer::Russian => words.filter(YoToYe).filter(Stemmer::new(Language::Russian)).build(),
            Analyzer::Plain => words.build(),
        }
    }
}

/// The terms an analyzer makes of a text, in order.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Replaces «ё» with «е» in lowercased tokens: «ёлка» and «елка» are one word to a reader.
#[derive(Clone, Copy, Debug)]
pub struct YoToYe;

impl TokenFilter for YoToYe {
    type Tokenizer<T: Tokenizer> = YoToYeFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> YoToYeFilter<T> {
        YoToYeFilter(tokenizer)
    }
}

#[derive(Clone)]
pub struct YoToYeFilter<T>(T);

impl<T: Tokenizer> Tokenizer for YoToYeFilter<T> {
    type TokenStream<'a> = YoToYeStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        YoToYeStream(self.0.token_stream(text))
    }
}

pub struct YoToYeStream<S>(S);

impl<S: TokenStream> TokenStream for YoToYeStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let token = self.0.token_mut();
        if token.text.contains('ё') {
            token.text = token.text.replace('ё', "е");
        }
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(analyzer: Analyzer, text: &str) -> Vec<String> {
        terms(&mut analyzer.build(), text)
    }

    #[test]
    fn english_word_forms_share_a_stem() {
        let forms = stems(Analyzer::English, "Conference conferences CONFERENCE's");
        assert_eq!(forms, vec!["confer", "confer", "confer", "s"]);
        assert_eq!(stems(Analyzer::English, "meeting meetings"), vec!["meet", "meet"]);
        assert_eq!(
            stems(Analyzer::English, "Organizations organization"),
            stems(Analyzer::English, "organization organization")
        );
    }

    #[test]
    fn russian_word_forms_share_a_stem() {
        let forms = stems(Analyzer::Russian, "Конференция конференции конференцию конференциями");
        assert!(forms.iter().all(|s| s == &forms[0]), "{forms:?}");
        let forms = stems(Analyzer::Russian, "безопасность безопасности безопасностью");
        assert!(forms.iter().all(|s| s == &forms[0]), "{forms:?}");
    }

    #[test]
    fn russian_folds_yo() {
        assert_eq!(stems(Analyzer::Russian, "Объединённый"), stems(Analyzer::Russian, "объединенный"));
        assert_eq!(stems(Analyzer::Russian, "ЁЛКА"), stems(Analyzer::Russian, "елка"));
    }

    #[test]
    fn words_split_on_punctuation_and_long_junk_is_dropped() {
        assert_eq!(
            stems(Analyzer::Plain, "Пресс-служба, ОДКБ; 2025!"),
            vec!["пресс", "служба", "одкб", "2025"]
        );
        let long = "x".repeat(MAX_WORD + 1);
        assert_eq!(stems(Analyzer::Plain, &format!("a {long} b")), vec!["a", "b"]);
    }

    #[test]
    fn languages_pick_their_analyzer() {
        assert_eq!(Analyzer::for_lang("en"), Analyzer::English);
        assert_eq!(Analyzer::for_lang("ru"), Analyzer::Russian);
        assert_eq!(Analyzer::for_lang("kk"), Analyzer::Plain);
        assert_eq!(stems(Analyzer::Plain, "Conferences"), vec!["conferences"]);
    }
}

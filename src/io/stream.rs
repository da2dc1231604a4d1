//! Reading an import file a chunk at a time, whatever its format, so that an export of any
//! size imports in bounded memory: the pieces every format's reader shares.

use super::{Batch, ImportError};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A file read a chunk at a time. Each call of [`Source::read_chunk`] fills a batch with up to
/// `max` articles and pages, which the caller saves (or checks) before asking for more.
pub trait Source {
    /// Reads items into `batch` until it holds `max` articles and pages or the file ends;
    /// `true` while more remain. Items up to number `skip` are read but left out (an earlier
    /// run saved them).
    fn read_chunk(&mut self, batch: &mut Batch, max: usize, skip: u64) -> Result<bool, ImportError>;

    /// Items read so far, counted as a resumed run skips them.
    fn items_read(&self) -> u64;

    /// Bytes of the file read so far, for a progress bar.
    fn bytes_read(&self) -> u64;
}

/// Where a file's bytes come from: the file itself, opened afresh for each pass, or a copy in
/// memory (tests, and text pasted rather than uploaded).
#[derive(Debug, Clone)]
pub enum Input {
    File(PathBuf),
    Bytes(Arc<[u8]>),
}

impl Input {
    /// A new reader from the first byte; readers that make two passes open it twice.
    pub fn open(&self) -> std::io::Result<Box<dyn BufRead + Send>> {
        Ok(match self {
            Input::File(path) => {
                Box::new(std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(path)?))
            }
            Input::Bytes(bytes) => Box::new(std::io::Cursor::new(Arc::clone(bytes))),
        })
    }

    /// Like [`Input::open`], adding the bytes read to `bytes` as they are taken from the file
    /// (a block at a time, below the buffer), for a progress bar kept by another thread.
    pub fn open_counting(&self, bytes: Arc<AtomicU64>) -> std::io::Result<Box<dyn BufRead + Send>> {
        let inner: Box<dyn std::io::Read + Send> = match self {
            Input::File(path) => Box::new(std::fs::File::open(path)?),
            Input::Bytes(data) => Box::new(std::io::Cursor::new(Arc::clone(data))),
        };
        Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, Tally { inner, bytes })))
    }

    /// The error for a file that cannot be read.
    pub fn unreadable(path: &Path, source: std::io::Error) -> ImportError {
        ImportError::Read { path: path.into(), source }
    }

    /// "line L, column C" at byte `offset`, reading the input again up to there (only ever
    /// done for a message, so the file need not be kept in memory).
    pub fn locate(&self, offset: u64) -> String {
        let Ok(reader) = self.open() else { return format!("byte {offset}") };
        let mut counted = Counted::new(reader);
        let mut rest = offset;
        while rest > 0 {
            let Ok(buffered) = counted.fill_buf() else { break };
            if buffered.is_empty() {
                break;
            }
            let take = buffered.len().min(usize::try_from(rest).unwrap_or(usize::MAX));
            counted.consume(take);
            rest -= take as u64;
        }
        counted.here()
    }
}

/// Adds what passes through to a shared count.
struct Tally {
    inner: Box<dyn std::io::Read + Send>,
    bytes: Arc<AtomicU64>,
}

impl std::io::Read for Tally {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// A reader that counts what its consumer has taken: lines and columns for messages, bytes for
/// a progress bar, and (when asked) a copy of the consumed bytes. Parsers such as quick-xml
/// consume exactly up to the end of each event they return.
pub struct Counted<R> {
    inner: R,
    pub bytes: u64,
    /// Newlines consumed.
    pub lines: u64,
    /// Characters consumed since the last newline.
    pub column: u64,
    /// When set, every consumed byte is appended here.
    pub record: Option<Vec<u8>>,
}

impl<R> Counted<R> {
    pub fn new(inner: R) -> Counted<R> {
        Counted { inner, bytes: 0, lines: 0, column: 0, record: None }
    }

    /// Where the reader is, as people read files.
    pub fn here(&self) -> String {
        format!("line {}, column {}", self.lines + 1, self.column + 1)
    }
}

impl<R: BufRead> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        count(&buf[..n], &mut self.bytes, &mut self.lines, &mut self.column, &mut self.record);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        let Counted { inner, bytes, lines, column, record } = self;
        // The bytes being consumed are the front of what fill_buf last returned.
        if let Ok(buffered) = inner.fill_buf() {
            count(&buffered[..amount.min(buffered.len())], bytes, lines, column, record);
        }
        inner.consume(amount);
    }
}

fn count(consumed: &[u8], bytes: &mut u64, lines: &mut u64, column: &mut u64, record: &mut Option<Vec<u8>>) {
    *bytes += consumed.len() as u64;
    for b in consumed {
        if *b == b'\n' {
            *lines += 1;
            *column = 0;
        } else if b & 0xC0 != 0x80 {
            *column += 1;
        }
    }
    if let Some(record) = record {
        record.extend_from_slice(consumed);
    }
}

/// One step of the way from a JSON document's root to the array to stream.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// The member of an object with this name.
    Key(&'static str),
    /// The element of an array at this position.
    Index(usize),
}

/// What the JSON array streamer sends: an element, or why the document could not be read.
pub type Element = Result<serde_json::Value, serde_json::Error>;

/// Streams the elements of the array at `route` in a JSON document, one at a time, from a
/// thread of its own, through a channel holding a few elements: a document of any size is read
/// in the memory of its largest element. Everything outside the route is skipped without
/// being kept. Dropping the receiver stops the thread at its next element.
pub fn json_array(input: &Input, route: Vec<Step>) -> std::io::Result<JsonArray> {
    let bytes = Arc::new(AtomicU64::new(0));
    let reader = input.open_counting(Arc::clone(&bytes))?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Element>(64);
    let thread = std::thread::Builder::new().name("import-json".into()).spawn(move || {
        let mut de = serde_json::Deserializer::from_reader(reader);
        let walked = serde::de::DeserializeSeed::deserialize(Walk { route: &route, tx: &tx }, &mut de)
            .and_then(|()| de.end());
        if let Err(e) = walked
            && !e.to_string().starts_with(STOPPED)
        {
            let _ = tx.send(Err(e));
        }
    })?;
    Ok(JsonArray { rx: Some(rx), thread: Some(thread), bytes })
}

/// The elements of a streamed JSON array, in order; an error ends them.
pub struct JsonArray {
    rx: Option<std::sync::mpsc::Receiver<Element>>,
    thread: Option<std::thread::JoinHandle<()>>,
    bytes: Arc<AtomicU64>,
}

impl JsonArray {
    /// Bytes of the document the reading thread has taken so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

impl Iterator for JsonArray {
    type Item = Element;

    fn next(&mut self) -> Option<Element> {
        self.rx.as_ref()?.recv().ok()
    }
}

impl Drop for JsonArray {
    /// Stops the reading thread (it notices at its next element) and waits for it, so no
    /// thread outlives an import.
    fn drop(&mut self) {
        self.rx = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The message a walk ends with when its receiver has gone.
const STOPPED: &str = "newsdesk: the reader stopped";

struct Walk<'r> {
    route: &'r [Step],
    tx: &'r std::sync::mpsc::SyncSender<Element>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        match self.route.first() {
            None | Some(Step::Index(_)) => de.deserialize_seq(self),
            Some(Step::Key(_)) => de.deserialize_map(self),
        }
    }
}

impl<'de> serde::de::Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self.route.first() {
            Some(Step::Key(key)) => write!(f, "an object with \"{key}\""),
            _ => f.write_str("an array"),
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((Step::Key(wanted), rest)) = self.route.split_first() else {
            return Err(serde::de::Error::custom("expected an array"));
        };
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == *wanted {
                map.next_value_seed(Walk { route: rest, tx: self.tx })?;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        match self.route.split_first() {
            None => {
                while let Some(element) = seq.next_element::<serde_json::Value>()? {
                    if self.tx.send(Ok(element)).is_err() {
                        return Err(serde::de::Error::custom(STOPPED));
                    }
                }
            }
            Some((Step::Index(at), rest)) => {
                let mut index = 0;
                loop {
                    let more = if index == *at {
                        seq.next_element_seed(Walk { route: rest, tx: self.tx })?.is_some()
                    } else {
                        seq.next_element::<serde::de::IgnoredAny>()?.is_some()
                    };
                    if !more {
                        break;
                    }
                    index += 1;
                }
            }
            Some((Step::Key(_), _)) => return Err(serde::de::Error::custom("expected an object")),
        }
        Ok(())
    }
}

/// Counts an array's elements without keeping them (the first pass over a document).
#[derive(Debug, Default, Clone, Copy)]
pub struct Count(pub usize);

impl<'de> serde::Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Count, D::Error> {
        struct Counter;
        impl<'de> serde::de::Visitor<'de> for Counter {
            type Value = Count;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
                let mut n = 0;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Count(n))
            }
            fn visit_unit<E>(self) -> Result<Count, E> {
                Ok(Count(0))
            }
        }
        de.deserialize_any(Counter)
    }
}

/// A JSON parser's error as the person importing needs it: the file, line and column.
pub fn json_error(path: &Path, e: &serde_json::Error) -> ImportError {
    ImportError::Invalid {
        path: path.into(),
        location: format!("line {}, column {}", e.line(), e.column()),
        message: format!("not valid JSON: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streamed(doc: &str, route: Vec<Step>) -> Vec<Element> {
        let input = Input::Bytes(Arc::from(doc.as_bytes()));
        json_array(&input, route).unwrap().collect()
    }

    #[test]
    fn streams_the_array_at_a_route_and_skips_the_rest() {
        let doc =
            r#"{"db":[{"meta":{"v":1},"data":{"tags":[1,2],"posts":[{"a":1},{"a":2}],"after":{"x":[3]}}}]}"#;
        let got = streamed(doc, vec![Step::Key("db"), Step::Index(0), Step::Key("data"), Step::Key("posts")]);
        let values: Vec<i64> = got.iter().map(|e| e.as_ref().unwrap()["a"].as_i64().unwrap()).collect();
        assert_eq!(values, vec![1, 2]);
        // A document that breaks after the array still reports where.
        let got = streamed(r#"{"items":[1,2], "x": oops}"#, vec![Step::Key("items")]);
        assert_eq!(got.len(), 3, "{got:?}");
        let e = got[2].as_ref().unwrap_err();
        assert_eq!((e.line(), e.column()), (1, 22), "{e}");
    }

    #[test]
    fn a_dropped_receiver_stops_the_thread() {
        let doc = format!("[{}1]", "1,".repeat(10_000));
        let input = Input::Bytes(Arc::from(doc.as_bytes()));
        let mut elements = json_array(&input, vec![]).unwrap();
        assert_eq!(elements.next().unwrap().unwrap(), serde_json::json!(1));
        // Dropping joins the thread: this returns only because it stopped early.
        let started = std::time::Instant::now();
        drop(elements);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn locates_offsets_by_reading_again() {
        let input = Input::Bytes(Arc::from("ab\nпри\nx".as_bytes()));
        assert_eq!(input.locate(0), "line 1, column 1");
        assert_eq!(input.locate(5), "line 2, column 2");
        assert_eq!(input.locate(100), "line 3, column 2");
    }
}

//! Photos: checking an upload, making its resized variants, naming and storing the files.
//!
//! Nothing here speaks HTTP or SQL. An upload is judged by its bytes alone (the format is
//! sniffed, never taken from the client's file name or content type) in two steps. [`inspect`]
//! reads the headers only: a JPEG must be whole (see [`jpeg`]), and the sides, the pixel count
//! and the memory the decode will take are checked there, so a decompression bomb (a PNG of a
//! few hundred kilobytes that claims 10,000 × 10,000 pixels) is refused before any pixel is
//! allocated. [`decode`] then decodes under [`image::Limits`] all the same (a header may lie)
//! and makes JPEG variants [`VARIANT_WIDTHS`] wide (never wider than the original, aspect ratio
//! kept): lossy at [`JPEG_QUALITY`], a tenth of the size of a lossless copy, and understood by
//! every browser, feed reader and social network that shows a shared link's picture.
//!
//! Decoding is CPU-bound and blocking, and takes up to [`MAX_DECODE_BYTES`]: [`process_gated`]
//! runs both steps on tokio's blocking pool, and only as many decodes at once as its [`Gate`]
//! lets through.
//!
//! Files live in `DATA/media/` under names the server makes up: a random 32-hex-digit key
//! plus an extension for the original (`3f…a1.jpg`), and `KEY-WIDTH.jpg` for each variant
//! (earlier versions made lossless `KEY-WIDTH.webp` variants; those are still served).
//! The name a user gave the file is kept as text in the database only, cleaned by
//! [`clean_file_name`]; it never becomes a path. [`parse_file_name`] is the strict gate every
//! requested name passes before any file is opened.

mod gate;
pub mod jpeg;
pub mod store;
pub mod sweep;

pub use gate::{GATE_BYTES, GATE_LEAST_BYTES, GATE_WAIT, Gate, Pass, RETRY_AFTER_SECS, gate, set_gate};
pub use store::{Fetched, Listed, MediaStore, S3Config, StoreConfig, StoreSetupError};

use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, RwLock};

/// The widths of the resized variants, in pixels. An original narrower than one of them gets
/// a variant at its own width instead (never upscaled).
pub const VARIANT_WIDTHS: [u32; 3] = [480, 960, 1600];
/// The format of the variants made now.
pub const VARIANT_KIND: Kind = Kind::Jpeg;
/// JPEG quality of the variants: no visible loss in news photos at a fraction of the bytes.
pub const JPEG_QUALITY: u8 = 82;
/// The longest side accepted, in pixels.
pub const MAX_SIDE: u32 = 12_000;
/// The most pixels accepted in all: 40 megapixels (a 7,750 × 5,160 photo, more than news
/// cameras make). Decoded as RGB that is 114 MiB, within [`MAX_DECODE_BYTES`].
pub const MAX_PIXELS: u64 = 40_000_000;
/// The most memory one decode may take: the decoded pixels plus the decoder's own buffers
/// (the coefficients of a progressive JPEG, the planes of a WebP). Larger pixels (alpha,
/// 16-bit PNG) or a progressive JPEG therefore lower the pixel count accepted for that file.
pub const MAX_DECODE_BYTES: u64 = 128 * 1024 * 1024;
/// The largest upload accepted unless `NEWSDESK_MAX_UPLOAD_MB` says otherwise.
pub const DEFAULT_MAX_UPLOAD_MB: u64 = 20;
/// The environment variable that overrides [`DEFAULT_MAX_UPLOAD_MB`] (read once, at first use).
pub const MAX_UPLOAD_ENV: &str = "NEWSDESK_MAX_UPLOAD_MB";
/// The longest client file name kept, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// How many hex digits a file key has.
const KEY_LEN: usize = 32;

/// An accepted image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Jpeg, Kind::Png, Kind::Webp];

    /// The extension of stored originals.
    pub fn ext(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Webp => "image/webp",
        }
    }

    pub fn from_ext(ext: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.ext() == ext)
    }

    pub fn from_mime(mime: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.mime() == mime)
    }

    fn format(self) -> ImageFormat {
        match self {
            Kind::Jpeg => ImageFormat::Jpeg,
            Kind::Png => ImageFormat::Png,
            Kind::Webp => ImageFormat::WebP,
        }
    }

    fn from_format(format: ImageFormat) -> Option<Kind> {
        match format {
            ImageFormat::Jpeg => Some(Kind::Jpeg),
            ImageFormat::Png => Some(Kind::Png),
            ImageFormat::WebP => Some(Kind::Webp),
            _ => None,
        }
    }
}

/// Why an upload was refused. Nothing is stored for a refused upload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Empty, or no file chosen.
    #[error("no file was sent")]
    NoFile,
    /// Larger than the upload limit (in bytes).
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    /// The bytes are not an image format we recognize.
    #[error("the file is not an image")]
    NotAnImage,
    /// An image, but of a format we do not take (GIF, TIFF…).
    #[error("{0} images are not accepted")]
    WrongFormat(String),
    /// Looks like JPEG, PNG or WebP but cannot be decoded whole (truncated, damaged).
    #[error("the image cannot be decoded")]
    Undecodable,
    /// Absurd dimensions, or more pixels than we decode. `megapixels` is the most accepted for
    /// a file like this one: [`MAX_PIXELS`], or fewer when its pixels take more memory.
    #[error("the image is {width}×{height} pixels, more than the {megapixels} megapixels accepted")]
    TooBig { width: u32, height: u32, megapixels: u64 },
    /// Too many photos are being decoded; try again shortly (see [`Gate`]).
    #[error("too many photos are being processed at once")]
    Busy,
}

impl Refusal {
    /// The UI string (in `locales/*.toml`) that explains the refusal.
    pub fn message_key(&self) -> &'static str {
        match self {
            Refusal::NoFile => "media_no_file",
            Refusal::TooLarge { .. } => "media_too_large",
            Refusal::NotAnImage => "media_not_image",
            Refusal::WrongFormat(_) => "media_wrong_format",
            Refusal::Undecodable => "media_undecodable",
            Refusal::TooBig { .. } => "media_too_big",
            Refusal::Busy => "media_busy",
        }
    }

    /// The placeholders of [`Refusal::message_key`]'s string.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            Refusal::TooLarge { limit } => vec![("mb", format_mb(*limit))],
            Refusal::WrongFormat(name) => vec![("format", name.clone())],
            Refusal::TooBig { width, height, megapixels } => vec![
                ("width", width.to_string()),
                ("height", height.to_string()),
                ("max", MAX_SIDE.to_string()),
                ("megapixels", megapixels.to_string()),
            ],
            _ => Vec::new(),
        }
    }

    /// The HTTP status that fits: 413 for too large, 415 for not a (JPEG, PNG, WebP) image,
    /// 422 for an image we cannot or will not decode, 400 for no file, 503 when busy.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::NoFile => 400,
            Refusal::TooLarge { .. } => 413,
            Refusal::NotAnImage | Refusal::WrongFormat(_) => 415,
            Refusal::Undecodable | Refusal::TooBig { .. } => 422,
            Refusal::Busy => 503,
        }
    }

    /// Seconds after which trying again may succeed (the `Retry-After` header).
    pub fn retry_after(&self) -> Option<u64> {
        matches!(self, Refusal::Busy).then_some(RETRY_AFTER_SECS)
    }
}

/// Megabytes for messages: `20`, `0.5`.
pub fn format_mb(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if (mb - mb.round()).abs() < 0.05 { format!("{}", mb.round() as u64) } else { format!("{mb:.1}") }
}

/// The last component of a client's file name, kept as text for people and never used as a
/// path: without control characters, line separators or invisible format characters, and at
/// most [`MAX_NAME_CHARS`] long.
///
/// Bidirectional controls matter most: `photo\u{202E}gpj.exe` shows as `photoexe.jpg` in the
/// library, the picker and the audit log, so a name could pass for what it is not. Zero-width
/// and other format characters make two names that look alike differ. None of them belongs in
/// a file name people read.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let kept: String =
        last.chars().filter(|c| !c.is_control() && !is_invisible_format(*c)).take(MAX_NAME_CHARS).collect();
    kept.trim().to_string()
}

/// Unicode's format characters (general category Cf: bidirectional marks, embeddings,
/// overrides and isolates, zero-width characters, the byte order mark, tags…) and the line
/// and paragraph separators.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// One resized copy, in [`VARIANT_KIND`].
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// An accepted upload: its format, its size as displayed (EXIF orientation applied) and its
/// variants, largest first.
#[derive(Debug, Clone)]
pub struct Processed {
    pub kind: Kind,
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
}

/// The widths of the variants of an image `width` pixels wide, smallest first: each of
/// [`VARIANT_WIDTHS`], or the image's own width where it is narrower.
pub fn variant_widths(width: u32) -> Vec<u32> {
    let mut out: Vec<u32> = VARIANT_WIDTHS.iter().map(|w| (*w).min(width.max(1))).collect();
    out.dedup();
    out
}

/// The height of the variant `variant_width` wide, keeping the aspect ratio (at least 1).
pub fn variant_height(width: u32, height: u32, variant_width: u32) -> u32 {
    if width == 0 {
        return 1;
    }
    let h = (u64::from(height) * u64::from(variant_width) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(h.max(1)).unwrap_or(u32::MAX)
}

/// What an upload's headers say, read without decoding its pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub kind: Kind,
    /// As stored (before any EXIF rotation).
    pub width: u32,
    pub height: u32,
    /// What decoding will take: the pixels plus the decoder's own buffers.
    pub decode_bytes: u64,
}

impl Header {
    fn too_big(&self, megapixels: u64) -> Refusal {
        Refusal::TooBig { width: self.width, height: self.height, megapixels }
    }
}

/// Checks an upload by its headers, and the structure of a JPEG, without decoding any pixels:
/// cheap whatever the file claims, so bombs are refused before anything large is allocated.
/// Blocking (it reads the whole file for a JPEG's markers).
pub fn inspect(bytes: &[u8]) -> Result<Header, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::NoFile);
    }
    let format = image::guess_format(bytes).map_err(|_| Refusal::NotAnImage)?;
    let kind = Kind::from_format(format).ok_or_else(|| Refusal::WrongFormat(format_name(format)))?;
    // The lenient JPEG decoder reports success for a truncated file: ask for a whole one first.
    let jpeg = match kind {
        Kind::Jpeg => Some(jpeg::layout(bytes).map_err(|_| Refusal::Undecodable)?),
        _ => None,
    };

    if kind == Kind::Png && !png_palette_whole(bytes) {
        return Err(Refusal::Undecodable);
    }
    // The headers alone: no limit on the sides here, so a refusal can say what they are, but
    // a memory limit all the same (a PNG's compressed text chunks are read with its header).
    let mut probe = ImageReader::with_format(Cursor::new(bytes), format);
    let mut probe_limits = Limits::no_limits();
    probe_limits.max_alloc = Some(MAX_DECODE_BYTES);
    probe.limits(probe_limits);
    let decoder = probe.into_decoder().map_err(|_| Refusal::Undecodable)?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 || jpeg.is_some_and(|j| (j.width, j.height) != (width, height)) {
        return Err(Refusal::Undecodable);
    }
    let pixels = u64::from(width) * u64::from(height);
    let mut header = Header { kind, width, height, decode_bytes: 0 };
    let most_megapixels = MAX_PIXELS / 1_000_000;
    if width > MAX_SIDE || height > MAX_SIDE || pixels > MAX_PIXELS {
        return Err(header.too_big(most_megapixels));
    }
    let decoder_buffers = match (kind, jpeg) {
        (Kind::Jpeg, Some(j)) => j.coefficient_bytes,
        // Lossy WebP is decoded through YUV planes, lossless through 32-bit ARGB pixels.
        (Kind::Webp, _) => pixels * 4,
        _ => 0,
    };
    header.decode_bytes = decoder.total_bytes().saturating_add(decoder_buffers);
    if header.decode_bytes > MAX_DECODE_BYTES {
        // The most pixels that fit, at this file's bytes per pixel.
        let fit = u128::from(MAX_DECODE_BYTES) * u128::from(pixels) / u128::from(header.decode_bytes);
        let megapixels = u64::try_from(fit / 1_000_000).unwrap_or(0).min(most_megapixels);
        return Err(header.too_big(megapixels));
    }
    Ok(header)
}

/// Whether every palette (`PLTE` chunk) before a PNG's image data holds whole RGB entries, as
/// the PNG specification requires. The `png` decoder (0.18) panics on a palette whose length is
/// not a multiple of three (found by fuzzing: `fuzz/regressions/upload_image/`), so such a file
/// is refused before it is decoded.
fn png_palette_whole(bytes: &[u8]) -> bool {
    let mut at = 8usize;
    while let Some(head) = bytes.get(at..at + 8) {
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        match &head[4..8] {
            b"PLTE" if len == 0 || !len.is_multiple_of(3) || len > 3 * 256 => return false,
            b"IDAT" | b"IEND" => return true,
            _ => {}
        }
        at = at.saturating_add(12).saturating_add(len);
    }
    true
}

/// Checks an upload and makes its variants: [`inspect`], then [`decode`]. Blocking and
/// CPU-heavy; the server goes through [`process_gated`].
pub fn process(bytes: &[u8]) -> Result<Processed, Refusal> {
    let header = inspect(bytes)?;
    decode(bytes, &header)
}

/// [`process`] on tokio's blocking pool, the decode only once `gate` has room for it. The
/// headers are read first (cheap), so a bomb is refused without waiting for room.
pub async fn process_gated(bytes: Arc<Vec<u8>>, gate: &Gate) -> Result<Processed, Refusal> {
    // A panic in a decoder is the file's doing: refuse it like any undecodable file.
    let shared = bytes.clone();
    let header =
        tokio::task::spawn_blocking(move || inspect(&shared)).await.unwrap_or(Err(Refusal::Undecodable))?;
    let pass = gate.enter(header.decode_bytes).await?;
    tokio::task::spawn_blocking(move || {
        let _pass = pass;
        decode(&bytes, &header)
    })
    .await
    .unwrap_or(Err(Refusal::Undecodable))
}

/// Decodes an upload [`inspect`] accepted, under [`image::Limits`], with every decoding error
/// surfaced, and makes its variants. Blocking and CPU-heavy.
pub fn decode(bytes: &[u8], header: &Header) -> Result<Processed, Refusal> {
    let too_big = header.too_big(MAX_PIXELS / 1_000_000);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), header.kind.format());
    reader.limits(limits());
    let classify = |e: ImageError| match e {
        ImageError::Limits(_) => too_big.clone(),
        _ => Refusal::Undecodable,
    };
    let mut decoder = reader.into_decoder().map_err(classify)?;
    if decoder.dimensions() != (header.width, header.height) {
        return Err(Refusal::Undecodable);
    }
    if decoder.total_bytes() > MAX_DECODE_BYTES {
        return Err(too_big.clone());
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(classify)?;

    // Sizes as readers see the photo (a portrait shot from a phone is stored sideways with
    // an EXIF note); resizing happens before rotating, on the smaller image.
    let (raw_w, raw_h) = (header.width, header.height);
    let swap = swaps(orientation);
    let (width, height) = if swap { (raw_h, raw_w) } else { (raw_w, raw_h) };
    let mut variants = Vec::new();
    let mut source = image;
    for vw in variant_widths(width).into_iter().rev() {
        let vh = variant_height(width, height, vw);
        let (tw, th) = if swap { (vh, vw) } else { (vw, vh) };
        // The next, smaller variant is made from this one: far less work, same quality. The
        // original's pixels are let go as soon as the largest variant exists.
        source = resize(source, tw, th);
        let bytes = if orientation == Orientation::NoTransforms {
            encode_jpeg(&source)?
        } else {
            let mut oriented = source.clone();
            oriented.apply_orientation(orientation);
            encode_jpeg(&oriented)?
        };
        variants.push(Variant { width: vw, height: vh, bytes });
    }
    Ok(Processed { kind: header.kind, width, height, variants })
}

/// The limits every decode runs under: [`MAX_SIDE`] and [`MAX_DECODE_BYTES`].
fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits
}

fn swaps(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

fn format_name(format: ImageFormat) -> String {
    format!("{format:?}").to_uppercase()
}

/// Downscales to exactly `w` × `h`, taking the image so an unchanged one is not copied. A large
/// reduction first averages down to twice the target (fast, little memory), then a Catmull-Rom
/// filter makes the final size sharp.
fn resize(image: DynamicImage, w: u32, h: u32) -> DynamicImage {
    if image.width() == w && image.height() == h {
        return image;
    }
    if image.width() > w.saturating_mul(2) && image.height() > h.saturating_mul(2) {
        let step = image.thumbnail_exact(w * 2, h * 2);
        drop(image);
        return step.resize_exact(w, h, FilterType::CatmullRom);
    }
    image.resize_exact(w, h, FilterType::CatmullRom)
}

/// JPEG at [`JPEG_QUALITY`]. Transparent parts (logos, charts) are laid on white, as they show
/// on the site's pages; JPEG has no transparency.
fn encode_jpeg(image: &DynamicImage) -> Result<Vec<u8>, Refusal> {
    if let DynamicImage::ImageRgb8(rgb) = image {
        return encode_rgb(rgb);
    }
    let rgb = if image.color().has_alpha() {
        let rgba = image.to_rgba8();
        let mut rgb = image::RgbImage::new(rgba.width(), rgba.height());
        for (out, px) in rgb.pixels_mut().zip(rgba.pixels()) {
            let [r, g, b, a] = px.0;
            let over_white =
                |c: u8| ((u16::from(c) * u16::from(a) + 255 * u16::from(255 - a) + 127) / 255) as u8;
            *out = image::Rgb([over_white(r), over_white(g), over_white(b)]);
        }
        rgb
    } else {
        image.to_rgb8()
    };
    encode_rgb(&rgb)
}

fn encode_rgb(rgb: &image::RgbImage) -> Result<Vec<u8>, Refusal> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode(rgb.as_raw(), rgb.width(), rgb.height(), image::ExtendedColorType::Rgb8)
        .map_err(|_| Refusal::Undecodable)?;
    Ok(out)
}

/// A new random file key: 32 lowercase hex digits.
pub fn new_key() -> String {
    let mut bytes = [0u8; KEY_LEN / 2];
    getrandom::fill(&mut bytes).expect("the system's random source failed");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a string is a file key as [`new_key`] makes them.
pub fn is_key(s: &str) -> bool {
    s.len() == KEY_LEN && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The stored original's file name.
pub fn original_name(key: &str, kind: Kind) -> String {
    format!("{key}.{}", kind.ext())
}

/// A variant's file name, as made now.
pub fn variant_name(key: &str, width: u32) -> String {
    format!("{key}-{width}.{}", VARIANT_KIND.ext())
}

/// A requested media file name, understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileName<'a> {
    Original {
        key: &'a str,
        kind: Kind,
    },
    /// `kind` is [`VARIANT_KIND`], or WebP for variants made by earlier versions.
    Variant {
        key: &'a str,
        width: u32,
        kind: Kind,
    },
}

impl FileName<'_> {
    pub fn key(&self) -> &str {
        match self {
            FileName::Original { key, .. } | FileName::Variant { key, .. } => key,
        }
    }

    /// The file's format.
    pub fn kind(&self) -> Kind {
        match self {
            FileName::Original { kind, .. } | FileName::Variant { kind, .. } => *kind,
        }
    }
}

/// Parses `KEY.EXT` or `KEY-WIDTH.jpg` (or `.webp`), exactly as this module writes them; anything else
/// (other characters, dots, slashes, upper case, leading zeros) is `None`.
pub fn parse_file_name(name: &str) -> Option<FileName<'_>> {
    let (stem, ext) = name.split_once('.')?;
    let kind = Kind::from_ext(ext)?;
    if is_key(stem) {
        return Some(FileName::Original { key: stem, kind });
    }
    let (key, width) = stem.split_once('-')?;
    if kind == Kind::Png || !is_key(key) || width.is_empty() || width.len() > 5 || width.starts_with('0') {
        return None;
    }
    if !width.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(FileName::Variant { key, width: width.parse().ok()?, kind })
}

/// The type a stored file is served as, by its name: a photo's by its kind, a document's by
/// its extension (see [`crate::newsroom::documents`]).
pub fn content_type(name: &str) -> &'static str {
    if let Some(n) = parse_file_name(name) {
        return n.kind().mime();
    }
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("pdf") => "application/pdf",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

/// Media settings of one site.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `DATA/media`.
    pub dir: PathBuf,
    /// The largest upload accepted, in bytes.
    pub max_upload_bytes: u64,
    /// Where the files are kept.
    pub store: Arc<MediaStore>,
}

/// The store of each site (by data directory) that said where its photos live; a site not
/// listed keeps them in `DATA/media`.
static STORES: LazyLock<RwLock<HashMap<PathBuf, Arc<MediaStore>>>> = LazyLock::new(Default::default);

/// Sets where the photos of the site in `data_dir` live, from its `[media]` settings. Called
/// once when the settings are loaded.
pub fn configure(data_dir: &Path, config: &StoreConfig) -> Result<(), StoreSetupError> {
    let store = Arc::new(MediaStore::new(data_dir, config)?);
    STORES.write().unwrap_or_else(|e| e.into_inner()).insert(data_dir.to_path_buf(), store);
    Ok(())
}

/// Upload limits set for one data directory, over the environment's (see [`set_max_upload`]).
static LIMIT_OVERRIDES: LazyLock<RwLock<HashMap<PathBuf, u64>>> = LazyLock::new(Default::default);

/// `NEWSDESK_MAX_UPLOAD_MB`, read once: changing the environment of a running process is racy.
static ENV_LIMIT: LazyLock<u64> = LazyLock::new(|| {
    std::env::var(MAX_UPLOAD_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|mb| *mb > 0)
        .unwrap_or(DEFAULT_MAX_UPLOAD_MB)
        .saturating_mul(1024 * 1024)
});

/// Sets (or with `None` clears) the upload limit for the site whose data directory this is,
/// read at every upload. Several sites in one process (tests) each keep their own.
pub fn set_max_upload(data_dir: &Path, bytes: Option<u64>) {
    let mut map = LIMIT_OVERRIDES.write().unwrap_or_else(|e| e.into_inner());
    match bytes {
        Some(b) => map.insert(data_dir.to_path_buf(), b),
        None => map.remove(data_dir),
    };
}

/// The media settings for a data directory.
pub fn settings(data_dir: &Path) -> Settings {
    let overridden = LIMIT_OVERRIDES.read().unwrap_or_else(|e| e.into_inner()).get(data_dir).copied();
    let store = STORES.read().unwrap_or_else(|e| e.into_inner()).get(data_dir).cloned();
    let dir = data_dir.join("media");
    let store = store.unwrap_or_else(|| Arc::new(MediaStore::Local { dir: dir.clone() }));
    Settings { dir, max_upload_bytes: overridden.unwrap_or(*ENV_LIMIT), store }
}

/// Writes an accepted upload's original and variants into `store`; each file appears whole
/// and on any failure none is left behind.
pub async fn save(
    store: &MediaStore,
    key: &str,
    original: &[u8],
    processed: &Processed,
) -> std::io::Result<()> {
    let mut files: Vec<(String, &[u8], &str)> =
        vec![(original_name(key, processed.kind), original, processed.kind.mime())];
    files.extend(
        processed
            .variants
            .iter()
            .map(|v| (variant_name(key, v.width), v.bytes.as_slice(), VARIANT_KIND.mime())),
    );
    let mut written: Vec<String> = Vec::new();
    for (name, bytes, mime) in files {
        if let Err(e) = store.put(&name, bytes, mime).await {
            for done in &written {
                let _ = store.delete(done).await;
            }
            return Err(e);
        }
        written.push(name);
    }
    Ok(())
}

/// Each variant's width and size in bytes, as the media table keeps them:
/// `"480:31337 960:90210"`.
pub fn variant_bytes(processed: &Processed) -> String {
    let mut pairs: Vec<String> =
        processed.variants.iter().map(|v| format!("{}:{}", v.width, v.bytes.len())).collect();
    pairs.sort();
    pairs.join(" ")
}

/// The size of the variant `width` wide in a [`variant_bytes`] text.
pub fn variant_size(variant_bytes: &str, width: u32) -> Option<u64> {
    variant_bytes.split_whitespace().find_map(|pair| {
        let (w, n) = pair.split_once(':')?;
        (w.parse::<u32>().ok()? == width).then(|| n.parse().ok())?
    })
}

/// Every file name of a media item: its original and its variants.
pub fn file_names(key: &str, kind: Kind, width: u32) -> Vec<String> {
    let mut names = vec![original_name(key, kind)];
    names.extend(variant_widths(width).into_iter().map(|w| variant_name(key, w)));
    names
}

/// Removes every file of a media item (after a failed database insert).
pub async fn remove(store: &MediaStore, key: &str, kind: Kind, width: u32) {
    for name in file_names(key, kind, width) {
        let _ = store.delete(&name).await;
    }
}

/// Images made for tests, here so the unit and the integration tests share one maker.
#[doc(hidden)]
pub mod test_images {
    /// A PNG of `w` × `h` black pixels (`color` and `depth` as in its IHDR chunk), compressed
    /// as a bomb is: every row the same, so a few hundred bytes per megabyte of pixels.
    pub fn bomb_png(w: u32, h: u32, color: u8, depth: u8) -> Vec<u8> {
        use std::io::Write;
        let channels = match color {
            0 => 1,
            2 => 3,
            4 => 2,
            6 => 4,
            _ => panic!("color type {color}"),
        };
        let row_bytes = 1 + (w as usize * channels * depth as usize).div_ceil(8);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let row = vec![0u8; row_bytes];
        for _ in 0..h {
            z.write_all(&row).unwrap();
        }
        let idat = z.finish().unwrap();
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut chunk = |kind: &[u8], data: &[u8]| {
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let mut crc = flate2::Crc::new();
            crc.update(kind);
            crc.update(data);
            png.extend_from_slice(kind);
            png.extend_from_slice(data);
            png.extend_from_slice(&crc.sum().to_be_bytes());
        };
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&w.to_be_bytes());
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[depth, color, 0, 0, 0]);
        chunk(b"IHDR", &ihdr);
        chunk(b"IDAT", &idat);
        chunk(b"IEND", &[]);
        png
    }
}

#[cfg(test)]
mod tests {
    use super::test_images::bomb_png;
    use super::*;

    #[test]
    fn a_png_whose_palette_holds_part_of_an_entry_is_refused_not_a_panic() {
        // fuzz/regressions/upload_image/png-palette-of-seven-bytes.png: a PLTE chunk of 7 bytes.
        let crash = include_bytes!("../../fuzz/regressions/upload_image/png-palette-of-seven-bytes.png");
        assert!(matches!(process(crash), Err(Refusal::Undecodable)));
        assert!(png_palette_whole(&crash[..8]), "no chunks: nothing to refuse here");
    }

    #[test]
    fn variant_sizes_are_read_back_by_width() {
        assert_eq!(variant_size("480:31337 960:90210", 960), Some(90210));
        assert_eq!(variant_size("480:31337", 1600), None);
        assert_eq!(variant_size("", 480), None);
        assert_eq!(variant_size("x:1 480:oops", 480), None);
    }
    use image::{ImageBuffer, Rgb, Rgba};

    fn encode(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    fn photo(w: u32, h: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(ImageBuffer::from_fn(w, h, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        }))
    }

    #[test]
    fn widths_never_upscale() {
        assert_eq!(variant_widths(4000), vec![480, 960, 1600]);
        assert_eq!(variant_widths(1600), vec![480, 960, 1600]);
        assert_eq!(variant_widths(1000), vec![480, 960, 1000]);
        assert_eq!(variant_widths(960), vec![480, 960]);
        assert_eq!(variant_widths(300), vec![300]);
        assert_eq!(variant_height(2000, 1000, 960), 480);
        assert_eq!(variant_height(3, 2, 1), 1);
        assert_eq!(variant_height(1000, 1, 480), 1);
    }

    #[test]
    fn names_are_strict() {
        let key = new_key();
        assert!(is_key(&key));
        assert_ne!(key, new_key());
        assert_eq!(
            parse_file_name(&format!("{key}.jpg")),
            Some(FileName::Original { key: &key, kind: Kind::Jpeg })
        );
        assert_eq!(
            parse_file_name(&format!("{key}-960.jpg")),
            Some(FileName::Variant { key: &key, width: 960, kind: Kind::Jpeg })
        );
        assert_eq!(
            parse_file_name(&format!("{key}-960.webp")),
            Some(FileName::Variant { key: &key, width: 960, kind: Kind::Webp }),
            "made by earlier versions"
        );
        for bad in [
            format!("{key}.JPG"),
            format!("{key}.jpeg"),
            format!("{key}-960.png"),
            format!("{key}-0960.webp"),
            format!("{key}-.webp"),
            format!("{key}-96x.webp"),
            format!("{key}.jpg.part"),
            format!("../{key}.jpg"),
            format!("{}.jpg", key.to_uppercase()),
            format!("{}.jpg", &key[1..]),
            "..".to_string(),
            String::new(),
            "a.jpg".to_string(),
        ] {
            assert_eq!(parse_file_name(&bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_are_sniffed_and_variants_made() {
        for (format, kind) in [(ImageFormat::Jpeg, Kind::Jpeg), (ImageFormat::Png, Kind::Png)] {
            let p = process(&encode(photo(1200, 800), format)).unwrap();
            assert_eq!((p.kind, p.width, p.height), (kind, 1200, 800));
            let sizes: Vec<(u32, u32)> = p.variants.iter().map(|v| (v.width, v.height)).collect();
            assert_eq!(sizes, vec![(1200, 800), (960, 640), (480, 320)]);
            for v in &p.variants {
                let decoded = image::load_from_memory_with_format(&v.bytes, ImageFormat::Jpeg).unwrap();
                assert_eq!((decoded.width(), decoded.height()), (v.width, v.height));
            }
        }
        // Transparent parts are laid on white: a fully transparent pixel becomes white, a
        // half-transparent black one mid-grey.
        let mut rgba = ImageBuffer::from_pixel(100, 50, Rgba([0, 0, 0, 0]));
        for x in 50..100 {
            for y in 0..50 {
                rgba.put_pixel(x, y, Rgba([0, 0, 0, 128]));
            }
        }
        let p = process(&encode(DynamicImage::ImageRgba8(rgba), ImageFormat::WebP)).unwrap();
        assert_eq!((p.kind, p.width, p.height, p.variants.len()), (Kind::Webp, 100, 50, 1));
        let v =
            image::load_from_memory_with_format(&p.variants[0].bytes, ImageFormat::Jpeg).unwrap().to_rgb8();
        assert!(v.get_pixel(10, 25).0.iter().all(|c| *c > 245), "{:?}", v.get_pixel(10, 25));
        assert!(v.get_pixel(90, 25).0.iter().all(|c| (115..=140).contains(c)), "{:?}", v.get_pixel(90, 25));
    }

    #[test]
    fn variants_of_a_photo_are_lighter_than_the_photo() {
        // As a camera saves it: JPEG at quality 90.
        let mut original = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut original, 90)
            .encode_image(&photo(2000, 1333))
            .unwrap();
        let p = process(&original).unwrap();
        let largest = &p.variants[0];
        assert_eq!((largest.width, largest.height), (1600, 1066));
        assert!(largest.bytes.len() < original.len(), "{} >= {}", largest.bytes.len(), original.len());
        let raw = 1600 * 1066 * 3;
        assert!(
            largest.bytes.len() < raw / 10,
            "lossy: {} bytes for {raw} bytes of pixels",
            largest.bytes.len()
        );
    }

    #[test]
    fn refusals() {
        assert_eq!(process(b"").unwrap_err(), Refusal::NoFile);
        assert_eq!(process(b"hello, I am text pretending to be a photo").unwrap_err(), Refusal::NotAnImage);
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
        assert_eq!(process(&gif).unwrap_err(), Refusal::WrongFormat("GIF".into()));
        let mut jpeg = encode(photo(64, 64), ImageFormat::Jpeg);
        jpeg.truncate(40);
        assert_eq!(process(&jpeg).unwrap_err(), Refusal::Undecodable);
        // A PNG header that claims 20,000 × 20,000 pixels: refused before any decoding.
        let mut png = encode(photo(8, 8), ImageFormat::Png);
        png[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(&png[12..29]);
        png[29..33].copy_from_slice(&crc.sum().to_be_bytes());
        assert_eq!(
            process(&png).unwrap_err(),
            Refusal::TooBig { width: 20_000, height: 20_000, megapixels: 40 }
        );
        assert_eq!(
            Refusal::TooLarge { limit: 20 * 1024 * 1024 }.message_args(),
            vec![("mb", "20".to_string())]
        );
        assert_eq!(format_mb(512 * 1024), "0.5");
        assert_eq!((Refusal::Busy.status(), Refusal::Busy.retry_after()), (503, Some(RETRY_AFTER_SECS)));
    }

    #[test]
    fn decompression_bombs_are_refused_from_their_headers() {
        let started = std::time::Instant::now();
        // 10,000 × 10,000 RGB: 300 MB of pixels in about 300 KB.
        let bomb = bomb_png(10_000, 10_000, 2, 8);
        assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
        // 40,000 × 40,000 grey at one bit a pixel: 1.6 GB once decoded (to 8 bits a pixel).
        let giant = bomb_png(40_000, 40_000, 0, 1);
        assert!(giant.len() < 1024 * 1024, "{} bytes", giant.len());
        let made = started.elapsed();
        for (png, w, h) in [(&bomb, 10_000, 10_000), (&giant, 40_000, 40_000)] {
            let started = std::time::Instant::now();
            assert_eq!(process(png).unwrap_err(), Refusal::TooBig { width: w, height: h, megapixels: 40 });
            assert!(started.elapsed() < std::time::Duration::from_millis(500), "{:?}", started.elapsed());
        }
        assert!(made < std::time::Duration::from_secs(20), "the bombs took {made:?} to make");
    }

    #[test]
    fn memory_not_pixels_alone_decides() {
        // 40 megapixels of RGB is 114 MiB decoded: accepted.
        let rgb = inspect(&header_only_png(8_000, 5_000, 2, 8)).unwrap();
        assert_eq!((rgb.width, rgb.height, rgb.decode_bytes), (8_000, 5_000, 120_000_000));
        // The same with alpha is 153 MiB, and 16-bit RGBA four times the bytes of RGB at 8
        // bits: refused, saying how many megapixels of such a file would be accepted.
        assert_eq!(
            inspect(&header_only_png(8_000, 5_000, 6, 8)).unwrap_err(),
            Refusal::TooBig { width: 8_000, height: 5_000, megapixels: 33 }
        );
        assert_eq!(
            inspect(&header_only_png(6_000, 4_000, 6, 16)).unwrap_err(),
            Refusal::TooBig { width: 6_000, height: 4_000, megapixels: 16 }
        );
        // More than the sides allow, however few the pixels.
        assert_eq!(
            inspect(&header_only_png(13_000, 10, 2, 8)).unwrap_err(),
            Refusal::TooBig { width: 13_000, height: 10, megapixels: 40 }
        );
    }

    /// A PNG whose header claims `w` × `h` and whose pixel data is missing: enough for
    /// [`inspect`], which reads no further.
    fn header_only_png(w: u32, h: u32, color: u8, depth: u8) -> Vec<u8> {
        let mut png = bomb_png(1, 1, color, depth);
        png[16..20].copy_from_slice(&w.to_be_bytes());
        png[20..24].copy_from_slice(&h.to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(&png[12..29]);
        png[29..33].copy_from_slice(&crc.sum().to_be_bytes());
        png
    }

    #[test]
    fn cut_or_damaged_files_are_refused() {
        let mut camera = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut camera, 90)
            .encode_image(&photo(800, 600))
            .unwrap();
        assert!(process(&camera).is_ok());
        let half = &camera[..camera.len() / 2];
        assert_eq!(process(half).unwrap_err(), Refusal::Undecodable, "a JPEG cut in half");
        let almost = &camera[..camera.len() - 2];
        assert_eq!(process(almost).unwrap_err(), Refusal::Undecodable, "no end-of-image marker");

        for format in [ImageFormat::Png, ImageFormat::WebP] {
            let whole = encode(photo(400, 300), format);
            assert!(process(&whole).is_ok(), "{format:?}");
            let half = &whole[..whole.len() / 2];
            assert_eq!(process(half).unwrap_err(), Refusal::Undecodable, "{format:?} cut in half");
        }
        // Damage inside a PNG's compressed pixels is caught by its checksums.
        let mut png = encode(photo(400, 300), ImageFormat::Png);
        let middle = png.len() / 2;
        for b in &mut png[middle..middle + 16] {
            *b ^= 0x5A;
        }
        assert_eq!(process(&png).unwrap_err(), Refusal::Undecodable, "damaged PNG");
    }

    #[test]
    fn file_names_lose_what_hides_or_reorders_text() {
        assert_eq!(clean_file_name("C:\\Users\\me\\Photos\\shot 1.JPG"), "shot 1.JPG");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\u{0}b\nc\u{7F}\u{85}.png"), "abc.png");
        // Shown as "invoice_exe.jpg" though it ends in "gpj.exe".
        assert_eq!(clean_file_name("invoice_\u{202E}gpj.exe"), "invoice_gpj.exe");
        let hidden = "\u{202A}\u{202B}\u{202C}\u{202D}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{061C}\u{200B}\u{FEFF}\u{2028}\u{E0041}";
        assert_eq!(clean_file_name(&format!("{hidden}Фото{hidden} 1.jpg{hidden}")), "Фото 1.jpg");
        assert_eq!(clean_file_name("\u{202E}\u{202E}"), "");
        assert_eq!(clean_file_name(&"x".repeat(500)).len(), MAX_NAME_CHARS);
        assert_eq!(clean_file_name("مرحبا.jpg"), "مرحبا.jpg", "right-to-left letters are letters");
    }

    #[test]
    fn limits_are_per_site() {
        let a = Path::new("/tmp/newsdesk-media-test-a");
        let b = Path::new("/tmp/newsdesk-media-test-b");
        set_max_upload(a, Some(1000));
        assert_eq!(settings(a).max_upload_bytes, 1000);
        assert_eq!(settings(a).dir, a.join("media"));
        assert_ne!(settings(b).max_upload_bytes, 1000);
        set_max_upload(a, None);
        assert_ne!(settings(a).max_upload_bytes, 1000);
    }
}

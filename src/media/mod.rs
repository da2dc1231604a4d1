//! Photos: checking an upload, making its resized variants, naming and storing the files.
//!
//! Nothing here speaks HTTP or SQL. An upload is judged by its bytes alone (the format is
//! sniffed, never taken from the client's file name or content type), decoded under
//! [`image::Limits`] so a decompression bomb cannot take the server's memory, and turned into
//! JPEG variants [`VARIANT_WIDTHS`] wide (never wider than the original, aspect ratio kept):
//! lossy at [`JPEG_QUALITY`], a tenth of the size of a lossless copy, and understood by every
//! browser, feed reader and social network that shows a shared link's picture.
//!
//! Files live in `DATA/media/` under names the server makes up: a random 32-hex-digit key
//! plus an extension for the original (`3f…a1.jpg`), and `KEY-WIDTH.jpg` for each variant
//! (earlier versions made lossless `KEY-WIDTH.webp` variants; those are still served).
//! The name a user gave the file is kept as text in the database only; it never becomes a
//! path. [`parse_file_name`] is the strict gate every requested name passes before any file
//! is opened.
//!
//! [`process`] is CPU-bound and blocking: call it from `tokio::task::spawn_blocking`.

use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, RwLock};

/// The widths of the resized variants, in pixels. An original narrower than one of them gets
/// a variant at its own width instead (never upscaled).
pub const VARIANT_WIDTHS: [u32; 3] = [480, 960, 1600];
/// The format of the variants made now.
pub const VARIANT_KIND: Kind = Kind::Jpeg;
/// JPEG quality of the variants: no visible loss in news photos at a fraction of the bytes.
pub const JPEG_QUALITY: u8 = 82;
/// The longest side accepted, in pixels.
pub const MAX_SIDE: u32 = 12_000;
/// The most pixels accepted in all (a 12,000 × 8,333 photo).
pub const MAX_PIXELS: u64 = 100_000_000;
/// The most memory the decoder may take for one image.
pub const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;
/// The largest upload accepted unless `NEWSDESK_MAX_UPLOAD_MB` says otherwise.
pub const DEFAULT_MAX_UPLOAD_MB: u64 = 20;
/// The environment variable that overrides [`DEFAULT_MAX_UPLOAD_MB`] (read once, at first use).
pub const MAX_UPLOAD_ENV: &str = "NEWSDESK_MAX_UPLOAD_MB";
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
    /// Looks like JPEG, PNG or WebP but cannot be decoded (truncated, damaged).
    #[error("the image cannot be decoded")]
    Undecodable,
    /// Absurd dimensions, or more pixels than we decode.
    #[error("the image is {width}×{height} pixels, more than accepted")]
    TooBig { width: u32, height: u32 },
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
        }
    }

    /// The placeholders of [`Refusal::message_key`]'s string.
    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        match self {
            Refusal::TooLarge { limit } => vec![("mb", format_mb(*limit))],
            Refusal::WrongFormat(name) => vec![("format", name.clone())],
            Refusal::TooBig { width, height } => vec![
                ("width", width.to_string()),
                ("height", height.to_string()),
                ("max", MAX_SIDE.to_string()),
                ("megapixels", (MAX_PIXELS / 1_000_000).to_string()),
            ],
            _ => Vec::new(),
        }
    }

    /// The HTTP status that fits: 413 for too large, 415 for not a (JPEG, PNG, WebP) image,
    /// 422 for an image we cannot or will not decode, 400 for no file.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::NoFile => 400,
            Refusal::TooLarge { .. } => 413,
            Refusal::NotAnImage | Refusal::WrongFormat(_) => 415,
            Refusal::Undecodable | Refusal::TooBig { .. } => 422,
        }
    }
}

/// Megabytes for messages: `20`, `0.5`.
pub fn format_mb(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if (mb - mb.round()).abs() < 0.05 { format!("{}", mb.round() as u64) } else { format!("{mb:.1}") }
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

/// Checks an upload and makes its variants. Blocking and CPU-heavy.
pub fn process(bytes: &[u8]) -> Result<Processed, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::NoFile);
    }
    let format = image::guess_format(bytes).map_err(|_| Refusal::NotAnImage)?;
    let kind = Kind::from_format(format).ok_or_else(|| Refusal::WrongFormat(format_name(format)))?;

    // The header alone first, to refuse absurd sizes with a clear message before decoding.
    let mut probe = ImageReader::with_format(Cursor::new(bytes), format);
    probe.no_limits();
    let (raw_w, raw_h) = probe.into_dimensions().map_err(|_| Refusal::Undecodable)?;
    let too_big = Refusal::TooBig { width: raw_w, height: raw_h };
    if raw_w == 0 || raw_h == 0 {
        return Err(Refusal::Undecodable);
    }
    if raw_w > MAX_SIDE || raw_h > MAX_SIDE || u64::from(raw_w) * u64::from(raw_h) > MAX_PIXELS {
        return Err(too_big);
    }

    // Then decode, under limits all the same (the header may lie about what follows).
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let classify = |e: ImageError| match e {
        ImageError::Limits(_) => too_big.clone(),
        _ => Refusal::Undecodable,
    };
    let mut decoder = reader.into_decoder().map_err(classify)?;
    if decoder.total_bytes() > MAX_DECODE_BYTES {
        return Err(too_big.clone());
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(classify)?;

    // Sizes as readers see the photo (a portrait shot from a phone is stored sideways with
    // an EXIF note); resizing happens before rotating, on the smaller image.
    let swap = swaps(orientation);
    let (width, height) = if swap { (raw_h, raw_w) } else { (raw_w, raw_h) };
    let mut variants = Vec::new();
    let mut source = image;
    for vw in variant_widths(width).into_iter().rev() {
        let vh = variant_height(width, height, vw);
        let (tw, th) = if swap { (vh, vw) } else { (vw, vh) };
        let resized = resize(&source, tw, th);
        let mut oriented = resized.clone();
        oriented.apply_orientation(orientation);
        variants.push(Variant { width: vw, height: vh, bytes: encode_jpeg(&oriented)? });
        // The next, smaller variant is made from this one: far less work, same quality.
        source = resized;
    }
    Ok(Processed { kind, width, height, variants })
}

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

/// Downscales to exactly `w` × `h`. A large reduction first averages down to twice the
/// target (fast, little memory), then a Catmull-Rom filter makes the final size sharp.
fn resize(image: &DynamicImage, w: u32, h: u32) -> DynamicImage {
    if image.width() == w && image.height() == h {
        return image.clone();
    }
    if image.width() > w.saturating_mul(2) && image.height() > h.saturating_mul(2) {
        let step = image.thumbnail_exact(w * 2, h * 2);
        return step.resize_exact(w, h, FilterType::CatmullRom);
    }
    image.resize_exact(w, h, FilterType::CatmullRom)
}

/// JPEG at [`JPEG_QUALITY`]. Transparent parts (logos, charts) are laid on white, as they show
/// on the site's pages; JPEG has no transparency.
fn encode_jpeg(image: &DynamicImage) -> Result<Vec<u8>, Refusal> {
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

/// Media settings of one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `DATA/media`.
    pub dir: PathBuf,
    /// The largest upload accepted, in bytes.
    pub max_upload_bytes: u64,
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
    Settings { dir: data_dir.join("media"), max_upload_bytes: overridden.unwrap_or(*ENV_LIMIT) }
}

/// Writes an accepted upload's original and variants into `dir`; each file appears whole
/// (written under a temporary name, then renamed) and on any failure none is left behind.
pub async fn save(dir: &Path, key: &str, original: &[u8], processed: &Processed) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let mut files: Vec<(String, &[u8])> = vec![(original_name(key, processed.kind), original)];
    files.extend(processed.variants.iter().map(|v| (variant_name(key, v.width), v.bytes.as_slice())));
    let mut written: Vec<PathBuf> = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(&name);
        let part = dir.join(format!("{name}.part"));
        let result = async {
            tokio::fs::write(&part, bytes).await?;
            tokio::fs::rename(&part, &path).await
        }
        .await;
        if let Err(e) = result {
            let _ = tokio::fs::remove_file(&part).await;
            for p in &written {
                let _ = tokio::fs::remove_file(p).await;
            }
            return Err(e);
        }
        written.push(path);
    }
    Ok(())
}

/// Removes every file of a media item (after a failed database insert).
pub async fn remove(dir: &Path, key: &str, kind: Kind, width: u32) {
    let _ = tokio::fs::remove_file(dir.join(original_name(key, kind))).await;
    for w in variant_widths(width) {
        let _ = tokio::fs::remove_file(dir.join(variant_name(key, w))).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        assert_eq!(process(&png).unwrap_err(), Refusal::TooBig { width: 20_000, height: 20_000 });
        assert_eq!(
            Refusal::TooLarge { limit: 20 * 1024 * 1024 }.message_args(),
            vec![("mb", "20".to_string())]
        );
        assert_eq!(format_mb(512 * 1024), "0.5");
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

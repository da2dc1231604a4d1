//! Whether an upload may be decoded at all, judged from its headers before any pixel is
//! allocated, and the reasons an upload is refused.

#[cfg(doc)]
use super::Gate;
use super::{Kind, MAX_DECODE_BYTES, MAX_PIXELS, MAX_SIDE, RETRY_AFTER_SECS, jpeg};
use image::{ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

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
    pub(super) fn too_big(&self, megapixels: u64) -> Refusal {
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

fn format_name(format: ImageFormat) -> String {
    format!("{format:?}").to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::process;
    use crate::media::test_images::bomb_png;
    use crate::media::test_photos::{encode, photo};

    #[test]
    fn a_png_whose_palette_holds_part_of_an_entry_is_refused_not_a_panic() {
        // fuzz/regressions/upload_image/png-palette-of-seven-bytes.png: a PLTE chunk of 7 bytes.
        let crash = include_bytes!("../../fuzz/regressions/upload_image/png-palette-of-seven-bytes.png");
        assert!(matches!(process(crash), Err(Refusal::Undecodable)));
        assert!(png_palette_whole(&crash[..8]), "no chunks: nothing to refuse here");
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
}

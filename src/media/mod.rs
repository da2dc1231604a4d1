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
//!
//! The upload checks (the reasons for refusal and the header inspection) are in `checks.rs`,
//! decoding and making the variants in `variants.rs`, file keys and names in `names.rs`, and
//! each site's settings with the writing and removal of a photo's files in `site.rs`.

mod checks;
mod gate;
pub mod jpeg;
mod names;
mod site;
pub mod store;
pub mod sweep;
mod variants;

pub use checks::{Header, Refusal, format_mb, inspect};
pub use gate::{GATE_BYTES, GATE_LEAST_BYTES, GATE_WAIT, Gate, Pass, RETRY_AFTER_SECS, gate, set_gate};
pub use names::{
    FileName, MAX_NAME_CHARS, clean_file_name, content_type, file_names, is_key, new_key, original_name,
    parse_file_name, variant_name,
};
pub use site::{
    DEFAULT_MAX_UPLOAD_MB, MAX_UPLOAD_ENV, Settings, configure, remove, save, set_max_upload, settings,
};
pub use store::{Fetched, Listed, MediaStore, PART_BYTES, S3Config, StoreConfig, StoreSetupError};
pub use variants::{
    JPEG_QUALITY, Processed, VARIANT_KIND, VARIANT_WIDTHS, Variant, decode, process, process_gated,
    variant_bytes, variant_height, variant_size, variant_widths,
};

use image::ImageFormat;

/// The longest side accepted, in pixels.
pub const MAX_SIDE: u32 = 12_000;
/// The most pixels accepted in all: 40 megapixels (a 7,750 × 5,160 photo, more than news
/// cameras make). Decoded as RGB that is 114 MiB, within [`MAX_DECODE_BYTES`].
pub const MAX_PIXELS: u64 = 40_000_000;
/// The most memory one decode may take: the decoded pixels plus the decoder's own buffers
/// (the coefficients of a progressive JPEG, the planes of a WebP). Larger pixels (alpha,
/// 16-bit PNG) or a progressive JPEG therefore lower the pixel count accepted for that file.
pub const MAX_DECODE_BYTES: u64 = 128 * 1024 * 1024;

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

/// Photos made in memory for the unit tests of `checks.rs` and `variants.rs`.
#[cfg(test)]
mod test_photos {
    use image::{DynamicImage, ImageBuffer, ImageFormat, Rgb};
    use std::io::Cursor;

    pub(super) fn encode(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    pub(super) fn photo(w: u32, h: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(ImageBuffer::from_fn(w, h, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        }))
    }
}

//! Decoding an accepted upload and making its resized JPEG variants, and what the media table
//! keeps of them.

use super::{Gate, Header, Kind, MAX_DECODE_BYTES, MAX_PIXELS, MAX_SIDE, Refusal, inspect};
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageReader, Limits};
use std::io::Cursor;
use std::sync::Arc;

/// The widths of the resized variants, in pixels. An original narrower than one of them gets
/// a variant at its own width instead (never upscaled).
pub const VARIANT_WIDTHS: [u32; 3] = [480, 960, 1600];
/// The format of the variants made now.
pub const VARIANT_KIND: Kind = Kind::Jpeg;
/// JPEG quality of the variants: no visible loss in news photos at a fraction of the bytes.
pub const JPEG_QUALITY: u8 = 82;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::test_photos::{encode, photo};
    use image::{ImageBuffer, ImageFormat, Rgba};

    #[test]
    fn variant_sizes_are_read_back_by_width() {
        assert_eq!(variant_size("480:31337 960:90210", 960), Some(90210));
        assert_eq!(variant_size("480:31337", 1600), None);
        assert_eq!(variant_size("", 480), None);
        assert_eq!(variant_size("x:1 480:oops", 480), None);
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
}

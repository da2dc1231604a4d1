//! A walk over a JPEG's markers, without decoding it: is the file whole, and how much memory
//! will decoding it take?
//!
//! The JPEG decoder behind `image` (zune-jpeg, which `image` runs in its lenient mode) fills
//! whatever a truncated file lacks with grey and reports success, so a photo cut off during a
//! transfer would be stored and published as if it were whole. This walk asks for what every
//! complete JPEG has: the start-of-image marker, segments whose lengths fit in the file, a frame
//! header before the first scan, entropy-coded data that ends in a marker, and the end-of-image
//! marker after the last scan. Bytes after the end-of-image marker are allowed (some phones
//! append data there); stray bytes between segments are skipped, as libjpeg and browsers do.
//!
//! It also reads what the decoder's memory depends on besides the pixels: a progressive file
//! (or one whose components come in separate scans) is decoded by keeping every DCT coefficient
//! of the whole image, two bytes per sample, until the last scan has been read.

/// What the markers say about a whole JPEG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    pub progressive: bool,
    /// Bytes the decoder keeps for coefficients of the whole image (0 when it decodes as it
    /// reads: a baseline file with all components in one scan).
    pub coefficient_bytes: u64,
}

/// Why a file that starts like a JPEG is not a whole one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    #[error("the file does not start with a JPEG start-of-image marker")]
    NoStart,
    /// The usual damage: a transfer cut short.
    #[error("the file ends before its end-of-image marker")]
    Truncated,
    #[error("the end-of-image marker comes before any image data")]
    NoImage,
    #[error("a scan comes before the frame header")]
    ScanBeforeFrame,
    #[error("a segment's length or contents are invalid")]
    BadSegment,
}

/// One component of the frame: its horizontal and vertical sampling factors.
#[derive(Debug, Clone, Copy)]
struct Component {
    h: u64,
    v: u64,
}

#[derive(Debug)]
struct Frame {
    width: u32,
    height: u32,
    progressive: bool,
    components: Vec<Component>,
}

/// Walks the markers of `bytes` up to the end-of-image marker.
pub fn layout(bytes: &[u8]) -> Result<Layout, Broken> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err(Broken::NoStart);
    }
    let mut pos = 2;
    let mut frame: Option<Frame> = None;
    let mut scans = 0u32;
    // A scan that carries only some of the components: the decoder keeps the whole image's
    // coefficients, as for a progressive file.
    let mut separate_scans = false;
    loop {
        // The next marker: 0xFF, any number of 0xFF fill bytes, then its code.
        let Some(at) = bytes[pos..].iter().position(|b| *b == 0xFF) else {
            return Err(Broken::Truncated);
        };
        pos += at;
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&code) = bytes.get(pos) else {
            return Err(Broken::Truncated);
        };
        pos += 1;
        match code {
            0xD9 => break,
            // Markers without a length (TEM, restarts outside a scan) and a stray stuffed zero.
            0x00 | 0x01 | 0xD0..=0xD7 => continue,
            0xD8 => return Err(Broken::BadSegment),
            _ => {}
        }
        let Some(len) = bytes.get(pos..pos + 2).map(|b| usize::from(u16::from_be_bytes([b[0], b[1]]))) else {
            return Err(Broken::Truncated);
        };
        if len < 2 {
            return Err(Broken::BadSegment);
        }
        let end = pos + len;
        let Some(segment) = bytes.get(pos + 2..end) else {
            return Err(Broken::Truncated);
        };
        pos = end;
        match code {
            // Start-of-frame markers; 0xC4 (DHT), 0xC8 (JPG) and 0xCC (DAC) share the range.
            0xC0..=0xCF if !matches!(code, 0xC4 | 0xC8 | 0xCC) => {
                if frame.is_some() {
                    return Err(Broken::BadSegment);
                }
                frame = Some(parse_frame(code, segment)?);
            }
            0xDA => {
                let f = frame.as_ref().ok_or(Broken::ScanBeforeFrame)?;
                let in_scan = usize::from(*segment.first().ok_or(Broken::BadSegment)?);
                if in_scan == 0 || segment.len() < 1 + 2 * in_scan + 3 {
                    return Err(Broken::BadSegment);
                }
                separate_scans |= in_scan < f.components.len();
                scans += 1;
                pos = skip_entropy_coded(bytes, pos)?;
            }
            _ => {}
        }
    }
    let frame = frame.ok_or(Broken::NoImage)?;
    if scans == 0 {
        return Err(Broken::NoImage);
    }
    let coefficient_bytes = if frame.progressive || separate_scans { coefficients(&frame) } else { 0 };
    Ok(Layout { width: frame.width, height: frame.height, progressive: frame.progressive, coefficient_bytes })
}

/// A start-of-frame segment: precision, height, width, then three bytes per component.
fn parse_frame(code: u8, segment: &[u8]) -> Result<Frame, Broken> {
    if segment.len() < 6 {
        return Err(Broken::BadSegment);
    }
    let height = u32::from(u16::from_be_bytes([segment[1], segment[2]]));
    let width = u32::from(u16::from_be_bytes([segment[3], segment[4]]));
    let count = usize::from(segment[5]);
    let specs = segment.get(6..6 + 3 * count).ok_or(Broken::BadSegment)?;
    if count == 0 {
        return Err(Broken::BadSegment);
    }
    let mut components = Vec::with_capacity(count);
    for spec in specs.chunks_exact(3) {
        let (h, v) = (u64::from(spec[1] >> 4), u64::from(spec[1] & 0x0F));
        if !(1..=4).contains(&h) || !(1..=4).contains(&v) {
            return Err(Broken::BadSegment);
        }
        components.push(Component { h, v });
    }
    Ok(Frame { width, height, progressive: matches!(code, 0xC2 | 0xC6 | 0xCA | 0xCE), components })
}

/// Two bytes per sample of every component, padded to whole MCUs, as the decoder keeps them.
fn coefficients(frame: &Frame) -> u64 {
    let h_max = frame.components.iter().map(|c| c.h).max().unwrap_or(1);
    let v_max = frame.components.iter().map(|c| c.v).max().unwrap_or(1);
    let mcus_across = u64::from(frame.width).div_ceil(8 * h_max);
    let mcus_down = u64::from(frame.height).div_ceil(8 * v_max);
    frame.components.iter().map(|c| (mcus_across * 8 * c.h) * (mcus_down * 8 * c.v) * 2).sum()
}

/// Skips the entropy-coded data of a scan starting at `pos`; returns the position of the marker
/// that ends it. Inside the data, 0xFF is followed by a stuffed zero or a restart marker.
fn skip_entropy_coded(bytes: &[u8], mut pos: usize) -> Result<usize, Broken> {
    loop {
        let at = bytes[pos..].iter().position(|b| *b == 0xFF).ok_or(Broken::Truncated)?;
        pos += at;
        match bytes.get(pos + 1) {
            None => return Err(Broken::Truncated),
            Some(0x00 | 0xD0..=0xD7) => pos += 2,
            Some(0xFF) => pos += 1,
            Some(_) => return Ok(pos),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, ImageBuffer, Rgb};

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(ImageBuffer::from_fn(w, h, |x, y| {
            Rgb([(x * 7 % 256) as u8, (y * 3 % 256) as u8, ((x ^ y) % 256) as u8])
        }));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90).encode_image(&image).unwrap();
        out
    }

    #[test]
    fn a_whole_file_is_read_and_any_cut_is_seen() {
        let whole = jpeg(300, 200);
        let l = layout(&whole).unwrap();
        assert_eq!((l.width, l.height, l.progressive, l.coefficient_bytes), (300, 200, false, 0));
        // Cut anywhere: before the data, in the middle of it, or just before the last marker.
        for cut in [1, 2, 3, 20, whole.len() / 3, whole.len() / 2, whole.len() - 2, whole.len() - 1] {
            assert!(layout(&whole[..cut]).is_err(), "cut at {cut} of {}", whole.len());
        }
        // Bytes after the end-of-image marker are someone else's business.
        let mut trailing = whole.clone();
        trailing.extend_from_slice(b"\x00\x00ftypmp42 appended video");
        assert!(layout(&trailing).is_ok());
        assert_eq!(layout(b"\xFF\xD8\xFF\xD9"), Err(Broken::NoImage));
        assert_eq!(layout(b"GIF89a"), Err(Broken::NoStart));
    }

    #[test]
    fn progressive_files_count_their_coefficients() {
        // A progressive frame header, 4:2:0, 1000 × 1000, and one scan of the luma component.
        let mut f = vec![0xFF, 0xD8];
        f.extend_from_slice(&[0xFF, 0xC2, 0, 17, 8, 0x03, 0xE8, 0x03, 0xE8, 3]);
        f.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        f.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0, 0]);
        f.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        f.extend_from_slice(&[0xFF, 0xD9]);
        let l = layout(&f).unwrap();
        assert!(l.progressive);
        // Luma 1008 × 1008 (whole 16-pixel MCUs), chroma 504 × 504 twice, two bytes each.
        assert_eq!(l.coefficient_bytes, (1008 * 1008 + 2 * 504 * 504) * 2);
        let cut = &f[..f.len() - 2];
        assert_eq!(layout(cut), Err(Broken::Truncated));
    }
}

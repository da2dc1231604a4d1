//! The site's emblem as raster images, drawn when first needed: a square logo (the publisher's
//! logo in structured data) and a 1200×630 card, the picture shared links and search results
//! show for an article without a photo of its own. Link previews and structured data want PNG
//! or JPEG, not the SVG icon, so the icon's shape is filled here, with anti-aliased edges,
//! instead of shipping a rasterizer.

use image::{ImageFormat, Rgb, RgbImage};
use std::io::Cursor;

/// The icon's colours (`static/icon.svg`).
const BLUE: [u8; 3] = [0x0b, 0x4f, 0x8a];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];

/// The letter of `static/icon.svg`, in its 64-unit square.
const LETTER: &[(f32, f32)] = &[
    (16.0, 46.0),
    (16.0, 18.0),
    (22.0, 18.0),
    (36.0, 36.0),
    (36.0, 18.0),
    (42.0, 18.0),
    (42.0, 46.0),
    (36.0, 46.0),
    (22.0, 28.0),
    (22.0, 46.0),
];

/// Width and height of the shared card, as Open Graph recommends.
pub const CARD: (u32, u32) = (1200, 630);
/// Side of the square logo.
pub const LOGO: u32 = 512;

/// The card: the letter, white, centred on the site's blue.
pub fn card_png() -> Vec<u8> {
    let (w, h) = CARD;
    // The letter's 64-unit square, scaled so the letter is half the card's height.
    let scale = h as f32 / 2.0 / 28.0;
    let (dx, dy) = (w as f32 / 2.0 - 29.0 * scale, h as f32 / 2.0 - 32.0 * scale);
    png(w, h, &|x, y| letter_coverage((x - dx) / scale, (y - dy) / scale, scale))
}

/// The square logo: the icon itself, full-bleed.
pub fn logo_png() -> Vec<u8> {
    let scale = LOGO as f32 / 64.0;
    png(LOGO, LOGO, &|x, y| letter_coverage(x / scale, y / scale, scale))
}

/// Paints every pixel between blue and white by the letter's coverage of it.
fn png(w: u32, h: u32, coverage: &dyn Fn(f32, f32) -> f32) -> Vec<u8> {
    let image = RgbImage::from_fn(w, h, |x, y| {
        let c = coverage(x as f32, y as f32);
        let mix =
            |i: usize| (f32::from(BLUE[i]) + (f32::from(WHITE[i]) - f32::from(BLUE[i])) * c).round() as u8;
        Rgb([mix(0), mix(1), mix(2)])
    });
    let mut out = Cursor::new(Vec::new());
    // Encoding an in-memory RGB image to PNG cannot fail but for memory.
    if image.write_to(&mut out, ImageFormat::Png).is_err() {
        return Vec::new();
    }
    out.into_inner()
}

/// How much of the pixel whose top-left corner is at (`x`, `y`) in icon units (a pixel being
/// `1/scale` units wide) the letter covers, from 4×4 samples.
fn letter_coverage(x: f32, y: f32, scale: f32) -> f32 {
    let step = 1.0 / scale / 4.0;
    if !(15.0..=43.0).contains(&x) || !(17.0..=47.0).contains(&y) {
        return 0.0;
    }
    let mut inside = 0;
    for i in 0..4 {
        for j in 0..4 {
            if contains(x + (i as f32 + 0.5) * step, y + (j as f32 + 0.5) * step) {
                inside += 1;
            }
        }
    }
    inside as f32 / 16.0
}

/// Even-odd point-in-polygon test against [`LETTER`].
fn contains(x: f32, y: f32) -> bool {
    let mut inside = false;
    let mut j = LETTER.len() - 1;
    for (i, &(xi, yi)) in LETTER.iter().enumerate() {
        let (xj, yj) = LETTER[j];
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_card_and_logo_are_pngs_of_their_size_with_the_letter_drawn() {
        let card = image::load_from_memory(&card_png()).expect("a PNG").to_rgb8();
        assert_eq!(card.dimensions(), CARD);
        assert_eq!(card.get_pixel(5, 5).0, BLUE, "the background");
        assert_eq!(card.get_pixel(600, 315).0, WHITE, "the letter's diagonal crosses the centre");
        let logo = image::load_from_memory(&logo_png()).expect("a PNG").to_rgb8();
        assert_eq!(logo.dimensions(), (LOGO, LOGO));
        assert_eq!(logo.get_pixel(19 * 8, 30 * 8).0, WHITE, "the left stroke");
        assert_eq!(logo.get_pixel(30 * 8, 20 * 8).0, BLUE, "beside the diagonal");
    }
}

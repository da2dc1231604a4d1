//! Photos for the demo site, drawn at run time (nothing is downloaded): calm abstract scenes
//! (a sky, hills, a row of flags or buildings) in each story's colours, so a first run looks like
//! a press site with photos and the whole media pipeline (variants, `srcset`, lead photos,
//! feeds' enclosures) is exercised.

use image::{Rgb, RgbImage};

/// Width and height of a demo photo (3:2, like a press photo).
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 800;

type Colour = [u8; 3];

/// Colour schemes: sky top, sky bottom, ground, accents.
const SCHEMES: [(Colour, Colour, Colour, [Colour; 3]); 6] = [
    ([22, 60, 120], [150, 190, 230], [46, 88, 60], [[200, 40, 50], [250, 250, 250], [30, 90, 170]]),
    ([240, 140, 80], [250, 215, 160], [90, 70, 60], [[40, 60, 90], [230, 190, 60], [160, 40, 40]]),
    ([70, 110, 160], [210, 225, 240], [120, 120, 125], [[0, 120, 110], [240, 200, 40], [220, 90, 40]]),
    ([30, 30, 70], [120, 100, 160], [40, 40, 55], [[240, 200, 90], [200, 220, 255], [250, 150, 80]]),
    ([100, 170, 210], [230, 240, 245], [150, 130, 90], [[20, 100, 60], [200, 30, 40], [30, 60, 140]]),
    ([160, 190, 200], [240, 235, 220], [80, 110, 80], [[120, 60, 40], [60, 90, 140], [210, 170, 60]]),
];

/// A demo photo as JPEG bytes; `n` picks the scheme and the scene.
pub fn photo(n: usize) -> Vec<u8> {
    let (top, bottom, ground, accents) = SCHEMES[n % SCHEMES.len()];
    let mix = |a: [u8; 3], b: [u8; 3], t: f32| {
        Rgb([0, 1, 2].map(|i| (f32::from(a[i]) * (1.0 - t) + f32::from(b[i]) * t).round() as u8))
    };
    let horizon = HEIGHT * 5 / 8;
    let mut img = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        // Rolling hills: the ground line rises and falls across the picture.
        let phase = (x as f32 / WIDTH as f32) * std::f32::consts::TAU * (1.0 + (n % 3) as f32 * 0.5);
        let hill = horizon as f32 - 30.0 * (phase + n as f32).sin() - 15.0 * (phase * 2.3).cos();
        if (y as f32) < hill {
            mix(top, bottom, y as f32 / hill)
        } else {
            mix(ground, [20, 20, 20], ((y as f32 - hill) / (HEIGHT as f32 - hill)) * 0.5)
        }
    });
    // A row of flags on poles (even scenes) or of buildings with windows (odd ones).
    let count = 3 + n % 3;
    for i in 0..count {
        let x0 = WIDTH / (count as u32 + 1) * (i as u32 + 1);
        let colour = Rgb(accents[i % accents.len()]);
        if n.is_multiple_of(2) {
            fill(&mut img, x0, horizon - 260, 6, 300, Rgb([70, 70, 75]));
            fill(&mut img, x0 + 6, horizon - 258, 110, 70, colour);
            fill(&mut img, x0 + 6, horizon - 258 + 23, 110, 24, Rgb(accents[(i + 1) % accents.len()]));
        } else {
            let (w, h) = (120, 160 + (i as u32 * 57) % 140);
            fill(&mut img, x0 - w / 2, horizon - h + 20, w, h, Rgb([235, 232, 225]));
            for row in 0..h / 40 {
                for col in 0..3 {
                    fill(&mut img, x0 - w / 2 + 14 + col * 36, horizon - h + 36 + row * 40, 20, 22, colour);
                }
            }
        }
    }
    // A sun or moon.
    let (cx, cy, r) = (WIDTH as i64 * (2 + n as i64 % 5) / 8, HEIGHT as i64 / 5, 48i64);
    for y in (cy - r).max(0)..(cy + r) {
        for x in (cx - r).max(0)..(cx + r) {
            if (x - cx).pow(2) + (y - cy).pow(2) <= r * r {
                img.put_pixel(x as u32, y as u32, Rgb([255, 244, 214]));
            }
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("a drawn image encodes as JPEG");
    out.into_inner()
}

fn fill(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, colour: Rgb<u8>) {
    for yy in y..(y + h).min(HEIGHT) {
        for xx in x..(x + w).min(WIDTH) {
            img.put_pixel(xx, yy, colour);
        }
    }
}

/// What each demo photo shows, for its alt text (photos are shared by a story's languages).
pub fn describe(n: usize) -> &'static str {
    if n.is_multiple_of(2) {
        "Illustration: a row of flags on poles against the sky"
    } else {
        "Illustration: a row of office buildings under the sky"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_photos_are_images_the_library_accepts() {
        let bytes = super::photo(1);
        let processed = crate::media::process(&bytes).expect("accepted");
        assert_eq!((processed.width, processed.height), (super::WIDTH, super::HEIGHT));
        assert_ne!(super::photo(0), super::photo(1), "each story its own picture");
    }
}

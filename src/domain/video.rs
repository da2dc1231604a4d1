//! Videos from the hosts press offices publish on (YouTube, VK Video, Rutube), recognised from
//! the address an editor pastes. An article's text keeps the plain link; pages show it as a
//! placeholder that loads the host's player only when a reader asks, so no reader's visit is
//! reported to the host before that.

use url::Url;

/// Where a video is hosted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    YouTube,
    VkVideo,
    Rutube,
}

impl Host {
    /// The host's name as readers know it.
    pub fn name(self) -> &'static str {
        match self {
            Host::YouTube => "YouTube",
            Host::VkVideo => "VK Video",
            Host::Rutube => "Rutube",
        }
    }
}

/// A recognised video: where readers watch it on its host, and the player to frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Video {
    pub host: Host,
    /// The address on the host's own site (the link readers without JavaScript follow).
    pub watch_url: String,
    /// The player to frame once a reader asks (YouTube's privacy-enhanced domain).
    pub player_url: String,
}

/// The video an address shows, if it is one of a known host's video pages.
pub fn recognise(address: &str) -> Option<Video> {
    let url = Url::parse(address.trim()).ok()?;
    if !matches!(url.scheme(), "https" | "http") {
        return None;
    }
    let host = url.host_str()?.trim_start_matches("www.").trim_start_matches("m.");
    let segments: Vec<&str> =
        url.path_segments().map(|s| s.filter(|p| !p.is_empty()).collect()).unwrap_or_default();
    let query = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    match host {
        "youtube.com" | "youtube-nocookie.com" => {
            let id = match segments.as_slice() {
                ["watch"] => query("v")?,
                ["embed" | "shorts" | "live", id] => (*id).to_string(),
                _ => return None,
            };
            youtube(&id)
        }
        "youtu.be" => match segments.as_slice() {
            [id] => youtube(id),
            _ => None,
        },
        "vk.com" | "vkvideo.ru" | "vk.ru" => {
            let (owner, id) = match segments.as_slice() {
                ["video_ext.php"] => (query("oid")?, query("id")?),
                [video] => {
                    let pair = video.strip_prefix("video")?;
                    let (owner, id) = pair.split_once('_')?;
                    (owner.to_string(), id.to_string())
                }
                _ => return None,
            };
            let hash = query("hash").filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric()));
            vk(&owner, &id, hash.as_deref())
        }
        "rutube.ru" => match segments.as_slice() {
            ["video", id] | ["play", "embed", id] => rutube(id),
            _ => None,
        },
        _ => None,
    }
}

fn youtube(id: &str) -> Option<Video> {
    let valid = id.len() == 11 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid.then(|| Video {
        host: Host::YouTube,
        watch_url: format!("https://www.youtube.com/watch?v={id}"),
        player_url: format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"),
    })
}

fn vk(owner: &str, id: &str, hash: Option<&str>) -> Option<Video> {
    let digits = |s: &str| !s.is_empty() && s.len() < 20 && s.chars().all(|c| c.is_ascii_digit());
    if !digits(owner.trim_start_matches('-')) || !digits(id) {
        return None;
    }
    let hash = hash.map(|h| format!("&hash={h}")).unwrap_or_default();
    Some(Video {
        host: Host::VkVideo,
        watch_url: format!("https://vkvideo.ru/video{owner}_{id}"),
        player_url: format!("https://vkvideo.ru/video_ext.php?oid={owner}&id={id}{hash}&autoplay=1"),
    })
}

fn rutube(id: &str) -> Option<Video> {
    let valid = id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit());
    valid.then(|| Video {
        host: Host::Rutube,
        watch_url: format!("https://rutube.ru/video/{id}/"),
        player_url: format!("https://rutube.ru/play/embed/{id}?autoplay=1"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn youtube_addresses_in_every_shape() {
        for address in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ?si=abc",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
        ] {
            let v = recognise(address).unwrap_or_else(|| panic!("{address}"));
            assert_eq!(v.host, Host::YouTube);
            assert_eq!(v.watch_url, "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
            assert_eq!(v.player_url, "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1");
        }
    }

    #[test]
    fn vk_and_rutube_addresses() {
        let v = recognise("https://vk.com/video-22822305_456241864").unwrap();
        assert_eq!(v.host, Host::VkVideo);
        assert_eq!(v.watch_url, "https://vkvideo.ru/video-22822305_456241864");
        assert_eq!(v.player_url, "https://vkvideo.ru/video_ext.php?oid=-22822305&id=456241864&autoplay=1");
        let v = recognise("https://vk.com/video_ext.php?oid=-1&id=2&hash=ab12cd").unwrap();
        assert_eq!(v.player_url, "https://vkvideo.ru/video_ext.php?oid=-1&id=2&hash=ab12cd&autoplay=1");
        let v = recognise("https://rutube.ru/video/0123456789abcdef0123456789abcdef/").unwrap();
        assert_eq!(v.host, Host::Rutube);
        assert_eq!(v.player_url, "https://rutube.ru/play/embed/0123456789abcdef0123456789abcdef?autoplay=1");
    }

    #[test]
    fn anything_else_is_not_a_video() {
        for address in [
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ\"onload=x",
            "https://www.youtube.com/channel/UC123",
            "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
            "javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ",
            "https://vk.com/video-1_2x",
            "https://vk.com/id1",
            "https://rutube.ru/video/not-an-id/",
            "https://example.org/video/0123456789abcdef0123456789abcdef/",
            "not a url",
        ] {
            assert_eq!(recognise(address), None, "{address}");
        }
        // A hash that is not alphanumeric is left out, not passed on.
        let v = recognise("https://vk.com/video_ext.php?oid=-1&id=2&hash=a%22b").unwrap();
        assert!(!v.player_url.contains("hash"), "{}", v.player_url);
    }
}

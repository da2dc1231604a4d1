//! Where webhooks may go. A subscription makes the server send requests to a URL someone typed;
//! without a guard that is a way into the server's own network (server-side request forgery:
//! the cloud metadata service, an admin port on localhost, a database on 10.x).
//!
//! So only http and https URLs are accepted, and every address the host resolves to must be a
//! public one. The check runs when a subscription is made (a clear error) and again on every
//! delivery, inside the HTTP client's resolver ([`GuardedResolver`]): the client connects only
//! to addresses that passed, so a name that resolves to something else the second time (DNS
//! rebinding) cannot slip through. Redirects are not followed. `allow_private_targets` turns
//! the address check off, for tests and intranet receivers.

use reqwest::Url;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Longest URL accepted.
pub const MAX_URL: usize = 2_000;

/// Why a target is refused. Each has a UI string (`message_key`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("not an http or https URL")]
    NotHttp,
    #[error("the URL has no host")]
    NoHost,
    #[error("the URL carries a user name or password")]
    Credentials,
    #[error("the URL is too long")]
    TooLong,
    #[error("{host} cannot be resolved")]
    Unresolvable { host: String },
    #[error("{host} leads to {address}, an internal address")]
    Internal { host: String, address: IpAddr },
}

impl TargetError {
    /// The key of the UI string that explains the refusal.
    pub fn message_key(&self) -> &'static str {
        match self {
            TargetError::NotHttp | TargetError::NoHost | TargetError::TooLong => "webhooks_bad_url",
            TargetError::Credentials => "webhooks_url_credentials",
            TargetError::Unresolvable { .. } => "webhooks_url_unresolvable",
            TargetError::Internal { .. } => "webhooks_url_internal",
        }
    }
}

/// Parses and checks the shape of a target URL (scheme, host, no credentials). The address
/// check needs the network: see [`check_target`].
pub fn parse_url(raw: &str) -> Result<Url, TargetError> {
    let raw = raw.trim();
    if raw.len() > MAX_URL {
        return Err(TargetError::TooLong);
    }
    let url = Url::parse(raw).map_err(|_| TargetError::NotHttp)?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(TargetError::NotHttp);
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(TargetError::NoHost);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(TargetError::Credentials);
    }
    Ok(url)
}

/// Checks a target fully: its shape, then every address its host resolves to now.
pub async fn check_target(raw: &str, allow_private: bool) -> Result<Url, TargetError> {
    let url = parse_url(raw)?;
    let host = url.host_str().unwrap_or_default().to_string();
    match literal_ip(&url) {
        Some(ip) => check_address(&host, ip, allow_private)?,
        None => {
            resolve(&host, allow_private).await?;
        }
    }
    Ok(url)
}

/// Checks the host of a URL when it is an IP literal, which the client connects to without
/// asking the resolver. Names are checked by [`GuardedResolver`] as they are resolved.
pub fn check_literal(url: &Url, allow_private: bool) -> Result<(), TargetError> {
    let host = url.host_str().ok_or(TargetError::NoHost)?;
    match literal_ip(url) {
        Some(ip) => check_address(host, ip, allow_private),
        None => Ok(()),
    }
}

/// The address a URL names directly, if its host is an IP literal. The URL parser has already
/// normalized the odd spellings (`0x7f.1`, `2130706433`) to dotted IPv4.
fn literal_ip(url: &Url) -> Option<IpAddr> {
    let host = url.host_str()?;
    host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host).parse().ok()
}

fn check_address(host: &str, address: IpAddr, allow_private: bool) -> Result<(), TargetError> {
    if allow_private || is_public(address) {
        Ok(())
    } else {
        Err(TargetError::Internal { host: host.to_string(), address })
    }
}

/// Resolves `host` and checks every address; all must pass, so a name cannot hide an internal
/// address behind a public one.
async fn resolve(host: &str, allow_private: bool) -> Result<Vec<SocketAddr>, TargetError> {
    let unresolvable = || TargetError::Unresolvable { host: host.to_string() };
    // Bounded: a resolver that does not answer must not hold a request or the worker.
    let lookup = tokio::time::timeout(RESOLVE_TIMEOUT, tokio::net::lookup_host((host, 0)));
    let addresses: Vec<SocketAddr> =
        lookup.await.map_err(|_| unresolvable())?.map_err(|_| unresolvable())?.collect();
    if addresses.is_empty() {
        return Err(unresolvable());
    }
    for a in &addresses {
        check_address(host, a.ip(), allow_private)?;
    }
    Ok(addresses)
}

/// The longest a name lookup may take.
pub const RESOLVE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The HTTP client's resolver: resolves as usual, then refuses the whole answer if any
/// address is internal (unless allowed). What it returns is what the client connects to.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let addresses = resolve(name.as_str(), allow_private).await?;
            let addrs: reqwest::dns::Addrs = Box::new(addresses.into_iter());
            Ok(addrs)
        })
    }
}

/// Whether an address is an ordinary public unicast address: not loopback, private, link-local,
/// shared (CGNAT), unique-local, multicast, unspecified, broadcast, documentation, benchmarking
/// or reserved, and not one of those inside an IPv6 form (mapped, compatible, NAT64, 6to4).
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let internal = a == 0                                   // "this network", unspecified
        || a == 10                                          // private
        || a == 127                                         // loopback
        || (a == 100 && (64..128).contains(&b))             // shared address space (CGNAT)
        || (a == 169 && b == 254)                           // link-local (cloud metadata)
        || (a == 172 && (16..32).contains(&b))              // private
        || (a == 192 && b == 0 && c == 0)                   // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2)                   // documentation (TEST-NET-1)
        || (a == 192 && b == 88 && c == 99)                 // 6to4 relay anycast
        || (a == 192 && b == 168)                           // private
        || (a == 198 && (18..20).contains(&b))              // benchmarking
        || (a == 198 && b == 51 && c == 100)                // documentation (TEST-NET-2)
        || (a == 203 && b == 0 && c == 113)                 // documentation (TEST-NET-3)
        || a >= 224; // multicast, reserved, broadcast
    !internal
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    // IPv4 inside IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d, deprecated), NAT64
    // (64:ff9b::a.b.c.d) and 6to4 (2002:AABB:CCDD::) are judged by the IPv4 address.
    let embedded = |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if s[..5] == [0, 0, 0, 0, 0] && (s[5] == 0xffff || s[5] == 0) {
        if ip.is_unspecified() || ip.is_loopback() {
            return false;
        }
        return is_public_v4(embedded(s[6], s[7]));
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return is_public_v4(embedded(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return is_public_v4(embedded(s[1], s[2]));
    }
    let internal = (s[0] & 0xfe00) == 0xfc00        // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80                // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0                // site-local (deprecated) fec0::/10
        || (s[0] & 0xff00) == 0xff00                // multicast ff00::/8
        || (s[0] == 0x2001 && s[1] == 0x0db8)       // documentation 2001:db8::/32
        || (s[0] == 0x2001 && s[1] == 0)            // Teredo 2001::/32 (tunnels to anywhere)
        || (s[0] == 0x0100 && s[1..4] == [0, 0, 0]) // discard-only 100::/64
        || (s[0] & 0xe000) != 0x2000; // outside global unicast 2000::/3
    !internal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_refused() {
        let table = [
            ("0.0.0.0", false),
            ("0.1.2.3", false),
            ("10.0.0.1", false),
            ("10.255.255.255", false),
            ("100.63.255.255", true),
            ("100.64.0.1", false),
            ("100.127.255.255", false),
            ("100.128.0.1", true),
            ("127.0.0.1", false),
            ("127.1.2.3", false),
            ("169.254.169.254", false),
            ("172.15.255.255", true),
            ("172.16.0.1", false),
            ("172.31.255.255", false),
            ("172.32.0.1", true),
            ("192.0.0.8", false),
            ("192.0.2.1", false),
            ("192.168.1.1", false),
            ("192.169.0.1", true),
            ("198.18.0.1", false),
            ("198.51.100.7", false),
            ("203.0.113.9", false),
            ("224.0.0.1", false),
            ("239.255.255.250", false),
            ("240.0.0.1", false),
            ("255.255.255.255", false),
            ("8.8.8.8", true),
            ("93.184.216.34", true),
            ("1.1.1.1", true),
            ("::", false),
            ("::1", false),
            ("::ffff:127.0.0.1", false),
            ("::ffff:10.1.2.3", false),
            ("::ffff:169.254.169.254", false),
            ("::ffff:8.8.8.8", true),
            ("::127.0.0.1", false),
            ("64:ff9b::10.0.0.1", false),
            ("64:ff9b::808:808", true),
            ("2002:7f00:1::", false),
            ("2002:808:808::", true),
            ("fc00::1", false),
            ("fd12:3456::1", false),
            ("fe80::1", false),
            ("fec0::1", false),
            ("ff02::1", false),
            ("2001:db8::1", false),
            ("2001:0:4136:e378::1", false),
            ("100::1", false),
            ("2606:4700:4700::1111", true),
            ("2a00:1450:4001:80b::200e", true),
        ];
        for (text, public) in table {
            let ip: IpAddr = text.parse().unwrap();
            assert_eq!(is_public(ip), public, "{text}");
        }
    }

    #[test]
    fn only_plain_http_urls() {
        assert!(parse_url("https://hooks.example.org/in?x=1").is_ok());
        assert!(parse_url(" http://hooks.example.org:8080/ ").is_ok());
        assert_eq!(parse_url("ftp://hooks.example.org/"), Err(TargetError::NotHttp));
        assert_eq!(parse_url("file:///etc/passwd"), Err(TargetError::NotHttp));
        assert_eq!(parse_url("hooks.example.org"), Err(TargetError::NotHttp));
        assert_eq!(parse_url("https://user:pw@hooks.example.org/"), Err(TargetError::Credentials));
        assert_eq!(
            parse_url(&format!("https://h.example/{}", "a".repeat(MAX_URL))),
            Err(TargetError::TooLong)
        );
    }

    #[tokio::test]
    async fn literals_and_names_are_checked() {
        for url in [
            "http://127.0.0.1:9/",
            "http://[::1]/",
            "http://[::ffff:7f00:1]/",
            "http://169.254.169.254/latest",
        ] {
            assert!(matches!(check_target(url, false).await, Err(TargetError::Internal { .. })), "{url}");
            assert!(check_target(url, true).await.is_ok(), "{url} when allowed");
        }
        // `localhost` resolves without the network.
        assert!(matches!(
            check_target("http://localhost:8080/", false).await,
            Err(TargetError::Internal { .. })
        ));
        // Decimal and hexadecimal spellings of 127.0.0.1 are normalized by the URL parser.
        assert!(matches!(check_target("http://2130706433/", false).await, Err(TargetError::Internal { .. })));
        assert!(matches!(check_target("http://0x7f.1/", false).await, Err(TargetError::Internal { .. })));
        let url = parse_url("http://10.0.0.1/").unwrap();
        assert!(check_literal(&url, false).is_err() && check_literal(&url, true).is_ok());
    }
}

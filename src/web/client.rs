//! Who is asking: the client's address, seen through the load balancers the operator trusts.
//!
//! Behind a proxy every connection comes from the proxy, so the sign-in throttle, the audit log
//! and the per-client limits would see one address for the whole newsroom. The proxy names the
//! client in `Forwarded` (RFC 7239) or `X-Forwarded-For`; those headers are believed only when
//! the connection comes from a trusted proxy (`[server] trusted_proxies`), since anyone else
//! could write any address there. The chain is read from the right (the hop nearest to us) and
//! the first address that is not a trusted proxy is the client's: a client cannot hide behind
//! an address it prepends itself.

use crate::config::{TrustedProxies, canonical};
use axum::http::HeaderMap;
use std::net::IpAddr;

/// The client's address for a request that arrived from `peer`.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
    let peer = canonical(peer);
    if trusted.is_empty() || !trusted.trusts(peer) {
        return peer;
    }
    let chain = forwarded_for(headers).unwrap_or_else(|| x_forwarded_for(headers));
    let mut client = peer;
    for hop in chain.iter().rev() {
        // A hop the proxy could not name ("unknown", an obfuscated id) ends what can be known.
        let Some(ip) = hop.map(canonical) else { return client };
        client = ip;
        if !trusted.trusts(ip) {
            return ip;
        }
    }
    client
}

/// The `for=` addresses of every `Forwarded` header, in order; `None` when there is no such
/// header. An address that cannot be read is kept as `None`.
fn forwarded_for(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let mut found = false;
    let mut out = Vec::new();
    for value in headers.get_all("forwarded") {
        found = true;
        let Ok(text) = value.to_str() else {
            out.push(None);
            continue;
        };
        for element in text.split(',') {
            let node = element.split(';').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                key.trim().eq_ignore_ascii_case("for").then(|| value.trim().trim_matches('"').to_string())
            });
            if let Some(node) = node {
                out.push(parse_node(&node));
            }
        }
    }
    found.then_some(out)
}

/// The addresses of every `X-Forwarded-For` header, in order.
fn x_forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("").split(',').map(|s| parse_node(s.trim())).collect::<Vec<_>>())
        .collect()
}

/// `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]`, `[2001:db8::1]:4711` or `2001:db8::1`.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = node.parse() {
        return Some(ip);
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    let (host, port) = node.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trusted(nets: &[&str]) -> TrustedProxies {
        TrustedProxies(nets.iter().map(|n| n.parse().unwrap()).collect())
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn headers_from_strangers_are_ignored() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(resolve(ip("203.0.113.9"), &h, &TrustedProxies::default()), ip("203.0.113.9"));
        assert_eq!(resolve(ip("203.0.113.9"), &h, &trusted(&["10.0.0.0/8"])), ip("203.0.113.9"));
    }

    #[test]
    fn the_first_untrusted_hop_from_the_right_is_the_client() {
        let t = trusted(&["10.0.0.0/8"]);
        // The client wrote "6.6.6.6" itself; the proxy appended what it saw.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.0.0.3")]);
        assert_eq!(resolve(ip("10.0.0.2"), &h, &t), ip("198.51.100.7"));
        let h = headers(&[("x-forwarded-for", "6.6.6.6"), ("x-forwarded-for", "198.51.100.7")]);
        assert_eq!(resolve(ip("10.0.0.2"), &h, &t), ip("198.51.100.7"), "several header lines");
        assert_eq!(resolve(ip("10.0.0.2"), &HeaderMap::new(), &t), ip("10.0.0.2"), "no header");
        let h = headers(&[("x-forwarded-for", "10.0.0.9")]);
        assert_eq!(resolve(ip("10.0.0.2"), &h, &t), ip("10.0.0.9"), "all trusted: the farthest");
        let h = headers(&[("x-forwarded-for", "unknown, 10.0.0.9")]);
        assert_eq!(resolve(ip("10.0.0.2"), &h, &t), ip("10.0.0.9"), "an unnamed hop ends the chain");
    }

    #[test]
    fn forwarded_is_read_and_preferred() {
        let t = trusted(&["127.0.0.1/32", "::1/128"]);
        let h = headers(&[
            ("forwarded", r#"for=192.0.2.60;proto=https, For="[2001:db8:cafe::17]:4711""#),
            ("x-forwarded-for", "6.6.6.6"),
        ]);
        assert_eq!(resolve(ip("::ffff:127.0.0.1"), &h, &t), ip("2001:db8:cafe::17"));
        let h = headers(&[("forwarded", "for=192.0.2.60:8080;by=10.1.1.1")]);
        assert_eq!(resolve(ip("::1"), &h, &t), ip("192.0.2.60"));
    }
}

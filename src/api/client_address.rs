//! The client's address: the peer of the connection, unless that peer is a proxy
//! the operator trusts (`--trusted-proxies`), in which case X-Forwarded-For says
//! who the proxy served. Anyone can send X-Forwarded-For, so it is read only from
//! trusted peers, and only as far back as the chain of trusted proxies reaches:
//! the first address from the right that is not a trusted proxy is the client.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;

/// An address or a network (`10.0.0.0/8`, `::1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddressRange {
    network: IpAddr,
    prefix: u8,
}

impl AddressRange {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, canonical_ip(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                same_prefix(u32::from(net).into(), u32::from(ip).into(), 32, self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => same_prefix(net.into(), ip.into(), 128, self.prefix),
            _ => false,
        }
    }
}

/// Whether the first `prefix` of `bits` bits of `a` and `b` agree.
fn same_prefix(a: u128, b: u128, bits: u8, prefix: u8) -> bool {
    prefix == 0 || (a ^ b) >> (bits - prefix) == 0
}

impl FromStr for AddressRange {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network = canonical_ip(address.parse().map_err(|_| format!("{text} is not an address or network"))?);
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) => {
                p.parse().ok().filter(|p| *p <= bits).ok_or_else(|| format!("{text}: the prefix is 0 to {bits}"))?
            }
        };
        Ok(AddressRange { network, prefix })
    }
}

impl fmt::Display for AddressRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// The proxies whose X-Forwarded-For is believed; empty by default.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Arc<[AddressRange]>);

impl TrustedProxies {
    pub fn new(ranges: Vec<AddressRange>) -> Self {
        TrustedProxies(ranges.into())
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|range| range.contains(ip))
    }

    /// Who sent the request that `peer` delivered with `headers`.
    pub fn client_of(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = canonical_ip(peer);
        if !self.trusts(client) {
            return client;
        }
        let forwarded: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        for hop in forwarded.iter().rev() {
            // A hop that is not an address ends what the trusted chain vouches for.
            let Some(hop) = parse_hop(hop) else {
                break;
            };
            client = hop;
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>().or_else(|_| hop.parse::<SocketAddr>().map(|s| s.ip())).ok().map(canonical_ip)
}

/// IPv4 clients reaching an IPv6 socket arrive as `::ffff:a.b.c.d`.
pub fn canonical_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// The client address of a request, resolved once by [`resolve`].
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub IpAddr);

/// Middleware: puts the request's [`ClientAddress`] in its extensions.
pub async fn resolve(State(trusted): State<TrustedProxies>, mut request: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let client = trusted.client_of(peer.ip(), request.headers());
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", v.parse().unwrap());
        }
        headers
    }

    #[test]
    fn ranges_hold_their_addresses_only() {
        let net: AddressRange = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains(ip("10.1.255.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(net.contains(ip("::ffff:10.1.0.9")), "an IPv4 peer on an IPv6 socket");
        let one: AddressRange = "::1".parse().unwrap();
        assert!(one.contains(ip("::1")) && !one.contains(ip("::2")) && !one.contains(ip("0.0.0.1")));
        assert!("0.0.0.0/0".parse::<AddressRange>().unwrap().contains(ip("192.0.2.1")));
        assert!("10.0.0.0/33".parse::<AddressRange>().is_err());
        assert!("proxy.local".parse::<AddressRange>().is_err());
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies_and_only_as_far_as_they_reach() {
        let trusted = TrustedProxies::new(vec!["127.0.0.1".parse().unwrap(), "10.0.0.0/8".parse().unwrap()]);
        let headers = forwarded(&["198.51.100.9, 203.0.113.7", "10.0.0.2"]);
        assert_eq!(trusted.client_of(ip("127.0.0.1"), &headers), ip("203.0.113.7"), "the first untrusted hop");
        assert_eq!(trusted.client_of(ip("192.0.2.1"), &headers), ip("192.0.2.1"), "an untrusted peer's header");
        assert_eq!(trusted.client_of(ip("127.0.0.1"), &HeaderMap::new()), ip("127.0.0.1"), "no header");
        assert_eq!(
            trusted.client_of(ip("127.0.0.1"), &forwarded(&["garbage, 203.0.113.7:4711"])),
            ip("203.0.113.7"),
            "a port is not part of the address"
        );
        assert_eq!(
            trusted.client_of(ip("127.0.0.1"), &forwarded(&["203.0.113.7, garbage"])),
            ip("127.0.0.1"),
            "a hop that is no address stops the walk at the last trusted one"
        );
        assert_eq!(TrustedProxies::default().client_of(ip("127.0.0.1"), &headers), ip("127.0.0.1"));
    }
}

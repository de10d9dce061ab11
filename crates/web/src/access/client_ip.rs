//! The address of the client behind the connection. Behind a reverse proxy every TCP peer is the
//! proxy, so the login throttle and the audit log would see one address for everyone; the proxy
//! says who the client is in `X-Forwarded-For`. Anyone can send that header, so it is believed
//! only from configured proxies (`--trusted-proxy`, `AMBITO_TRUSTED_PROXIES`), and only as far
//! as the chain of trusted hops goes: the client is the right-most address that is not one of
//! our proxies (everything to its left was written by the client itself).

use std::net::IpAddr;
use std::str::FromStr;

/// An address or a network (`10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Cidr, String> {
        let s = s.trim();
        let bad = || format!("indirizzo o rete non valida: «{s}» (esempi: 10.0.0.1, 10.0.0.0/8, fd00::/8)");
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let network = canonical(addr.parse::<IpAddr>().map_err(|_| bad())?);
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
            None => max,
        };
        Ok(Cidr { network, prefix })
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, canonical(ip)) {
            (IpAddr::V4(n), IpAddr::V4(a)) => same_prefix(&n.octets(), &a.octets(), self.prefix),
            (IpAddr::V6(n), IpAddr::V6(a)) => same_prefix(&n.octets(), &a.octets(), self.prefix),
            _ => false,
        }
    }
}

/// An IPv4 address written as IPv6 (`::ffff:10.0.0.1`, what a dual-stack socket reports) is
/// the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

fn same_prefix(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let (full, rest) = (usize::from(prefix / 8), prefix % 8);
    if a[..full] != b[..full] {
        return false;
    }
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        a[full] & mask == b[full] & mask
    }
}

/// A comma-separated list of addresses and networks; empty means no proxy is trusted.
pub fn parse_list(s: &str) -> Result<Vec<Cidr>, String> {
    s.split(',').filter(|p| !p.trim().is_empty()).map(str::parse).collect()
}

/// One `X-Forwarded-For` element: a bare address, or one with a port (`1.2.3.4:5678`,
/// `[2001:db8::1]:443`) as some proxies write it.
fn forwarded_addr(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    if let Ok(ip) = s.parse() {
        return Some(ip);
    }
    if let Some(rest) = s.strip_prefix('[') {
        return rest.split_once(']').and_then(|(a, _)| a.parse().ok());
    }
    s.rsplit_once(':').and_then(|(a, _)| a.parse::<std::net::Ipv4Addr>().ok()).map(IpAddr::V4)
}

/// The client's address: the peer itself unless it is a trusted proxy; then, walking the
/// `X-Forwarded-For` values (all headers, in order) from the right, the first address that is
/// not a trusted proxy. An element that is not an address stops the walk at the hop that wrote it.
pub fn client_ip<'a>(peer: IpAddr, forwarded_for: impl IntoIterator<Item = &'a str>, trusted: &[Cidr]) -> IpAddr {
    let peer = canonical(peer);
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded_for.into_iter().flat_map(|v| v.split(',')).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = forwarded_addr(hop).map(canonical) else { break };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test address")
    }

    #[test]
    fn addresses_and_networks_parse() {
        let list = parse_list("10.0.0.1, 192.168.0.0/16,fd00::/8,::1").expect("parses");
        assert_eq!(list.len(), 4);
        assert!(list[0].contains(ip("10.0.0.1")) && !list[0].contains(ip("10.0.0.2")));
        assert!(list[1].contains(ip("192.168.44.3")) && !list[1].contains(ip("192.169.0.1")));
        assert!(list[2].contains(ip("fd12::1")) && !list[2].contains(ip("fe80::1")));
        assert!(list[3].contains(ip("::1")));
        assert!("10.0.0.0/12".parse::<Cidr>().expect("cidr").contains(ip("10.15.255.255")));
        assert!(!"10.0.0.0/12".parse::<Cidr>().expect("cidr").contains(ip("10.16.0.0")));
        assert!("0.0.0.0/0".parse::<Cidr>().expect("cidr").contains(ip("8.8.8.8")));
        // A dual-stack socket reports IPv4 peers as mapped IPv6.
        assert!(list[0].contains(ip("::ffff:10.0.0.1")));
        assert_eq!(parse_list(""), Ok(vec![]));
        for bad in ["10.0.0.0/33", "fd00::/129", "proxy.example", "10.0.0.0/", "10.0.0.1/x"] {
            assert!(parse_list(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_peer() {
        let trusted = parse_list("10.0.0.0/8").expect("parses");
        // Not from our proxy: the header is the client's own claim.
        assert_eq!(client_ip(ip("203.0.113.9"), ["198.51.100.1"], &trusted), ip("203.0.113.9"));
        // No proxy configured: never believed.
        assert_eq!(client_ip(ip("10.0.0.5"), ["198.51.100.1"], &[]), ip("10.0.0.5"));
        // From our proxy, no header: the proxy itself.
        assert_eq!(client_ip(ip("10.0.0.5"), [], &trusted), ip("10.0.0.5"));
    }

    #[test]
    fn the_right_most_untrusted_address_is_the_client() {
        let trusted = parse_list("10.0.0.0/8").expect("parses");
        // The client forged a left-most entry; our proxies appended the real one.
        assert_eq!(client_ip(ip("10.0.0.5"), ["1.1.1.1, 198.51.100.7, 10.0.0.9"], &trusted), ip("198.51.100.7"));
        // Several headers are one list, in order.
        assert_eq!(client_ip(ip("10.0.0.5"), ["1.1.1.1", "198.51.100.7"], &trusted), ip("198.51.100.7"));
        // Every hop ours: the left-most.
        assert_eq!(client_ip(ip("10.0.0.5"), ["10.1.1.1, 10.2.2.2"], &trusted), ip("10.1.1.1"));
        // Ports and brackets as some proxies write them.
        assert_eq!(client_ip(ip("10.0.0.5"), ["198.51.100.7:5123"], &trusted), ip("198.51.100.7"));
        assert_eq!(client_ip(ip("10.0.0.5"), ["[2001:db8::7]:443"], &trusted), ip("2001:db8::7"));
        // Garbage stops the walk at the hop that wrote it.
        assert_eq!(client_ip(ip("10.0.0.5"), ["198.51.100.7, unknown"], &trusted), ip("10.0.0.5"));
        assert_eq!(client_ip(ip("10.0.0.5"), ["garbage, 10.3.3.3"], &trusted), ip("10.3.3.3"));
    }
}

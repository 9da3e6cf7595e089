//! Which `Host` a request may name. A web page elsewhere can make the browser send requests to the preview
//! under a name of its own that resolves to this machine (DNS rebinding), and read the answers; refusing every
//! name but this machine's own stops that. A server bound to another address on purpose answers any name.

use std::net::{IpAddr, SocketAddr};

#[derive(Clone, Debug)]
pub enum Hosts {
    Any,
    /// `localhost` (and `*.localhost`), `127.0.0.1`, `[::1]` and the bound address, with any port.
    Local {
        bound: IpAddr,
    },
}

impl Hosts {
    pub fn for_bind(bound: IpAddr) -> Hosts {
        if bound.is_loopback() { Hosts::Local { bound } } else { Hosts::Any }
    }

    /// Whether to answer a request that names `host`. A request without a `Host` header cannot come from a
    /// browser, so it is answered.
    pub fn allows(&self, host: Option<&str>) -> bool {
        let (Hosts::Local { bound }, Some(host)) = (self, host) else { return true };
        let name = without_port(host).trim_end_matches('.').to_ascii_lowercase();
        let bound = match bound {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        name == "localhost" || name.ends_with(".localhost") || name == "127.0.0.1" || name == "[::1]" || name == bound
    }
}

/// `localhost:8000` → `localhost`, `[::1]:80` → `[::1]`.
fn without_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// The URL that reaches a server listening on `address`: one bound to every address is reached on this
/// machine through the loopback address of its family, never through `0.0.0.0`.
pub fn url(address: SocketAddr, base_path: &str) -> String {
    let host = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) if ip.is_unspecified() => "[::1]".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}{base_path}", address.port())
}

/// A warning when the preview can be reached from other machines.
pub fn network_warning(bind: IpAddr) -> Option<String> {
    if bind.is_loopback() {
        return None;
    }
    let reach = if bind.is_unspecified() { "every network this machine is on" } else { "the network" };
    Some(format!(
        "--bind {bind} makes the preview reachable from {reach}, by anyone, with no password; \
         leave --bind out (127.0.0.1) to keep it on this machine"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loopback_server_answers_only_its_own_names() {
        let hosts = Hosts::for_bind("127.0.0.1".parse().unwrap());
        for host in ["localhost", "localhost:8000", "LOCALHOST.", "app.localhost:1", "127.0.0.1:9", "[::1]:8000"] {
            assert!(hosts.allows(Some(host)), "{host}");
        }
        for host in ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil", "[::2]", ""] {
            assert!(!hosts.allows(Some(host)), "{host}");
        }
        assert!(hosts.allows(None));
        assert!(Hosts::for_bind("127.0.0.7".parse().unwrap()).allows(Some("127.0.0.7:80")), "the bound address");
        assert!(Hosts::for_bind("0.0.0.0".parse().unwrap()).allows(Some("laptop.local:8000")), "bound on purpose");
    }

    #[test]
    fn the_url_printed_is_one_that_works() {
        let url = |a: &str| url(a.parse().unwrap(), "/guide/");
        assert_eq!(url("0.0.0.0:8000"), "http://127.0.0.1:8000/guide/");
        assert_eq!(url("[::]:8000"), "http://[::1]:8000/guide/");
        assert_eq!(url("192.168.1.5:80"), "http://192.168.1.5:80/guide/");
        assert!(network_warning("127.0.0.1".parse().unwrap()).is_none());
        assert!(network_warning("0.0.0.0".parse().unwrap()).unwrap().starts_with("--bind 0.0.0.0 makes the preview"));
    }
}

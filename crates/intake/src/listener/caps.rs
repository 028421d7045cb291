//! Counting open connections, in total and per client, so one client cannot take every descriptor.
//!
//! IPv4 clients are counted per address, IPv6 clients per /64 network (one subscriber usually holds a
//! whole /64, so counting single IPv6 addresses would be no limit at all). IPv4-mapped IPv6 peers
//! count as their IPv4 address.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex, MutexGuard};

/// Why a connection was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The listener already holds `max_connections`.
    Total,
    /// This client already holds `max_connections_per_ip`.
    PerClient,
}

#[derive(Default)]
struct Counts {
    total: usize,
    per_client: HashMap<IpAddr, usize>,
}

/// The shared counters of one listener.
pub struct ConnectionCaps {
    max_total: usize,
    max_per_client: usize,
    counts: Mutex<Counts>,
}

/// Held for as long as a connection is open; dropping it frees the connection's slots.
pub struct ConnectionPermit {
    caps: Arc<ConnectionCaps>,
    client: IpAddr,
}

impl ConnectionCaps {
    /// Caps of `max_total` connections, at most `max_per_client` of them from one client.
    pub fn new(max_total: usize, max_per_client: usize) -> Arc<ConnectionCaps> {
        Arc::new(ConnectionCaps {
            max_total,
            max_per_client,
            counts: Mutex::new(Counts::default()),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Counts> {
        // Counters stay consistent even if a holder panicked: every update is a single step.
        self.counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Admits a connection from `peer`, or says which cap it would exceed.
    pub fn try_admit(self: &Arc<Self>, peer: IpAddr) -> Result<ConnectionPermit, Refusal> {
        let client = client_key(peer);
        let mut counts = self.lock();
        if counts.total >= self.max_total {
            return Err(Refusal::Total);
        }
        let held = counts.per_client.get(&client).copied().unwrap_or(0);
        if held >= self.max_per_client {
            return Err(Refusal::PerClient);
        }
        counts.total += 1;
        counts.per_client.insert(client, held + 1);
        Ok(ConnectionPermit {
            caps: self.clone(),
            client,
        })
    }

    /// Connections currently open.
    pub fn open(&self) -> usize {
        self.lock().total
    }
}

impl Drop for ConnectionPermit {
    fn drop(&mut self) {
        let mut counts = self.caps.lock();
        counts.total = counts.total.saturating_sub(1);
        if let Some(held) = counts.per_client.get_mut(&self.client) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                counts.per_client.remove(&self.client);
            }
        }
    }
}

/// The address a connection is counted under.
pub fn client_key(peer: IpAddr) -> IpAddr {
    match peer {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_total_and_per_client_and_frees_on_drop() {
        let caps = ConnectionCaps::new(3, 2);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let c: IpAddr = "192.0.2.3".parse().unwrap();
        let a1 = caps.try_admit(a).unwrap();
        let _a2 = caps.try_admit(a).unwrap();
        assert_eq!(caps.try_admit(a).err(), Some(Refusal::PerClient));
        let _b1 = caps.try_admit(b).unwrap();
        assert_eq!(caps.try_admit(c).err(), Some(Refusal::Total));
        drop(a1);
        assert_eq!(caps.open(), 2);
        assert!(caps.try_admit(c).is_ok());
    }

    #[test]
    fn ipv6_counts_per_64_and_mapped_as_ipv4() {
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let same_net: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(client_key(one), client_key(same_net));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }
}

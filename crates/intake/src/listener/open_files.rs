//! The open-file limit: raised from the soft to the hard limit at start-up, so the connection cap
//! rather than the descriptor table decides when connections are refused.

use super::limits::ListenerLimits;

/// Descriptors kept free for the database, the documents being served, logs and outgoing calls.
pub const RESERVED_DESCRIPTORS: u64 = 64;

/// Raises the soft `RLIMIT_NOFILE` to the hard limit and returns the limit now in force (`None`
/// where the platform has no such limit or it cannot be read). Logs the outcome.
pub fn raise_to_hard_limit() -> Option<u64> {
    if !rlimit::Resource::NOFILE.is_supported() {
        return None;
    }
    let before = rlimit::getrlimit(rlimit::Resource::NOFILE).ok();
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(now) => {
            let (soft, hard) = before.unwrap_or((now, now));
            crate::redact::log(&format!(
                "open-file limit {now} (soft limit was {soft}, hard limit {hard})"
            ));
            Some(now)
        }
        Err(error) => {
            let soft = before.map(|(soft, _)| soft);
            crate::redact::log(&format!(
                "cannot raise the open-file limit ({error}); it stays at {}",
                soft.map_or_else(|| "an unknown value".to_string(), |s| s.to_string())
            ));
            soft
        }
    }
}

/// The connection cap that fits in `open_file_limit` descriptors, keeping [`RESERVED_DESCRIPTORS`].
pub fn connections_that_fit(configured: usize, open_file_limit: Option<u64>) -> usize {
    match open_file_limit {
        Some(limit) => {
            let room = limit.saturating_sub(RESERVED_DESCRIPTORS).max(1);
            configured.min(usize::try_from(room).unwrap_or(usize::MAX))
        }
        None => configured,
    }
}

/// `limits` with the connection caps lowered (and the change logged) when `open_file_limit`
/// descriptors cannot hold `max_connections` plus [`RESERVED_DESCRIPTORS`]. Every listener calls
/// this with the limit [`raise_to_hard_limit`] returned.
pub fn fit(limits: &ListenerLimits, open_file_limit: Option<u64>) -> ListenerLimits {
    let mut fitted = limits.clone();
    let total = connections_that_fit(limits.max_connections, open_file_limit);
    if total < limits.max_connections {
        fitted.max_connections = total;
        fitted.max_connections_per_ip =
            per_client_share(limits.max_connections_per_ip, limits.max_connections, total);
        crate::redact::log(&format!(
            "listener.max_connections lowered from {} to {total} and max_connections_per_ip from {} to {} to fit the open-file limit",
            limits.max_connections, limits.max_connections_per_ip, fitted.max_connections_per_ip
        ));
    }
    fitted
}

/// The per-client cap after the total cap was lowered from `configured_total` to `fitting`: the
/// same share of the total (at least 1), so one client still cannot take every slot.
pub fn per_client_share(per_client: usize, configured_total: usize, fitting: usize) -> usize {
    if fitting >= configured_total || configured_total == 0 {
        return per_client;
    }
    let scaled = (per_client as u128 * fitting as u128) / configured_total as u128;
    usize::try_from(scaled).unwrap_or(fitting).clamp(1, fitting)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cap_is_lowered_to_what_the_descriptor_table_holds() {
        assert_eq!(super::connections_that_fit(1024, Some(1024)), 960);
        assert_eq!(super::connections_that_fit(1024, Some(1_048_576)), 1024);
        assert_eq!(super::connections_that_fit(1024, None), 1024);
        assert_eq!(super::connections_that_fit(1024, Some(10)), 1);
    }

    #[test]
    fn per_client_cap_keeps_its_share() {
        assert_eq!(super::per_client_share(64, 1024, 960), 60);
        assert_eq!(super::per_client_share(64, 1024, 1024), 64);
        assert_eq!(super::per_client_share(64, 1024, 16), 1);
        assert_eq!(super::per_client_share(1024, 1024, 16), 16);
    }
}

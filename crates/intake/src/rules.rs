//! Vendor rules by e-mail domain: deny, refuse free-mail, auto-approve, or leave for manual review.

use crate::config::RulesConfig;
use crate::free_mail::is_free_mail;

/// What the rules decide for a new request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleOutcome {
    /// Store and wait for a person to decide.
    Pending,
    /// Store as approved and issue a download link.
    AutoApprove,
    /// Store as denied (the domain is on the deny list).
    Deny,
    /// Do not store: the address is a free-mail address and those are blocked.
    RejectFreeMail,
}

/// True if `domain` equals `rule` or is a subdomain of it.
fn matches(domain: &str, rule: &str) -> bool {
    domain == rule
        || domain
            .strip_suffix(rule)
            .is_some_and(|head| head.ends_with('.'))
}

/// Applies the rules in order: deny list, free-mail block, auto-approve list, otherwise pending.
pub fn evaluate(rules: &RulesConfig, email_domain: &str) -> RuleOutcome {
    if rules
        .deny_domains
        .iter()
        .any(|rule| matches(email_domain, rule))
    {
        return RuleOutcome::Deny;
    }
    if rules.block_free_mail && is_free_mail(email_domain, &rules.extra_free_mail_domains) {
        return RuleOutcome::RejectFreeMail;
    }
    if rules
        .auto_approve_domains
        .iter()
        .any(|rule| matches(email_domain, rule))
    {
        return RuleOutcome::AutoApprove;
    }
    RuleOutcome::Pending
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_subdomains() {
        let rules = RulesConfig {
            auto_approve_domains: vec!["partner.com".into()],
            deny_domains: vec!["rival.com".into()],
            ..RulesConfig::default()
        };
        assert_eq!(evaluate(&rules, "eu.partner.com"), RuleOutcome::AutoApprove);
        assert_eq!(evaluate(&rules, "notpartner.com"), RuleOutcome::Pending);
        assert_eq!(evaluate(&rules, "rival.com"), RuleOutcome::Deny);
        assert_eq!(evaluate(&rules, "gmail.com"), RuleOutcome::RejectFreeMail);
    }
}

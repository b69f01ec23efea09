"""Partner organisations: members, referrals, priority tiers, the portfolio page."""

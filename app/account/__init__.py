"""Your own account: download your data, close the account (contributions stay, anonymised)."""

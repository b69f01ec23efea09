"""Organisations (a campaign or a partner): what each may read, keys, webhooks, exports."""

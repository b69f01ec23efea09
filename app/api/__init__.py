"""The organisations' API: /api/v1, HAL+JSON following OSDI, authenticated by API key only."""

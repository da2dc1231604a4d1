//! Queries for feeds and sitemaps (placeholder).

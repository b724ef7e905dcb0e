"""Lead field names: which source fields mean what (first non-empty alias wins).

`sql/staging/leads/fields.sql` spells these aliases out in its `coalesce(...)` calls (a test keeps
the two in step); the ingest step uses the identity aliases to reject files that cannot describe a
business at all ("missing columns"). Apify's Google-Places names (`title`, `totalScore`,
`reviewsCount`, `categoryName`, `placeId`, ...) are first-class aliases, and the actor's `url` (a
Google-Maps link) is deliberately NOT a website alias.
"""

from __future__ import annotations

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "lead_id": ("lead_id",),
    "business_name": ("business_name", "name", "title", "company_name", "clinic_name"),
    "phone": ("phone", "phone_number", "phoneUnformatted", "mainPhone", "phoneE164", "clinic_phone"),
    "website": ("website", "domain", "website_url", "main_website"),
    "email": ("email", "clinic_email", "business_email"),
    "category": ("category", "industry", "vertical", "categoryName"),
    "city": ("city",),
    "state": ("state", "region", "province"),
    "tags": ("services", "keywords", "tags", "categories"),
    "pain": ("pain_signals", "notes", "review_snippets"),
    "employees": ("employee_count", "staff_count"),
    "revenue": ("annual_revenue", "revenue"),
    "reviews": ("reviews_count", "google_reviews", "reviewsCount"),
    "locations": ("locations_count", "num_locations"),
    "rating": ("rating", "totalScore"),
    "ad_flags": ("ad_active", "google_ads_active", "meta_ads_active", "facebook_ads_active", "ads_running"),
    "ad_spend": ("ad_spend_monthly", "google_ads_monthly", "meta_ads_monthly"),
    "place_id": ("placeId", "place_id"),
}

# A record must carry at least one of these to be a lead at all.
IDENTITY_FIELDS: frozenset[str] = frozenset(
    FIELD_ALIASES["business_name"] + FIELD_ALIASES["phone"] + FIELD_ALIASES["website"]
)

# Numeric fields: a value that is present but not a number is a "wrong type" reject.
NUMERIC_FIELDS: tuple[str, ...] = (
    FIELD_ALIASES["employees"]
    + FIELD_ALIASES["revenue"]
    + FIELD_ALIASES["reviews"]
    + FIELD_ALIASES["locations"]
    + FIELD_ALIASES["rating"]
    + FIELD_ALIASES["ad_spend"]
)

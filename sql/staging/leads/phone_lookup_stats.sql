-- How many distinct phone inputs took the fast path of the E.164 lookup, out of all (metadata).
SELECT count(*) FILTER (WHERE fast_path), count(*) FROM phone_lookup;

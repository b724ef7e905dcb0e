-- raw.synthetic_clinics: the synthetic world's clinics (group `synthetic`), replaced whole on every
-- generation. Reads the frame `synthetic_clinics_frame` registered by the asset. Phones are
-- fictional NANP 555-01xx numbers; nothing here may ever be dialled.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE OR REPLACE TABLE raw.synthetic_clinics AS
SELECT
    CAST(clinic_no AS INTEGER)      AS clinic_no,
    CAST(clinic_id AS VARCHAR)      AS clinic_id,
    CAST(lead_id AS VARCHAR)        AS lead_id,
    CAST(name AS VARCHAR)           AS name,
    CAST(vertical AS VARCHAR)       AS vertical,
    CAST(category AS VARCHAR)       AS category,
    CAST(city AS VARCHAR)           AS city,
    CAST(state AS VARCHAR)          AS state,
    CAST(timezone AS VARCHAR)       AS timezone,
    CAST(phone_e164 AS VARCHAR)     AS phone_e164,
    CAST(website AS VARCHAR)        AS website,
    CAST(domain AS VARCHAR)         AS domain,
    CAST(generic_email AS VARCHAR)  AS generic_email,
    CAST(direct_email AS VARCHAR)   AS direct_email,
    CAST(contact_name AS VARCHAR)   AS contact_name,
    CAST(contact_title AS VARCHAR)  AS contact_title,
    TRUE                            AS is_synthetic
FROM synthetic_clinics_frame
ORDER BY clinic_no;

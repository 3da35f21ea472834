-- 0008: attachments (issue #6): evidence photos. The bytes live outside the
-- database, under DATA/attachments/ab/cdef... named by the SHA-256 of the
-- cleaned file (domain/attach/attach.h); a row here says what the file is.
-- The same photo uploaded twice is one file and one row; every upload of it is
-- a row of attachment_uploads, which is what access is judged by (an
-- attachment belongs to each region it was uploaded in, and to each uploader).
CREATE TABLE attachments (
    sha256      TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    mime        TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
    bytes       BIGINT NOT NULL CHECK (bytes > 0),
    width       INTEGER NOT NULL,                   -- pixels as displayed
    height      INTEGER NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users (id),  -- the first uploader
    region_code TEXT NOT NULL REFERENCES regions (code), -- the first uploader's scope
    created_at  BIGINT NOT NULL
) WITHOUT ROWID;

CREATE TABLE attachment_uploads (
    sha256      TEXT NOT NULL REFERENCES attachments (sha256),
    uploaded_by INTEGER NOT NULL REFERENCES users (id),
    region_code TEXT NOT NULL REFERENCES regions (code),
    created_at  BIGINT NOT NULL,                     -- the first such upload
    PRIMARY KEY (sha256, uploaded_by, region_code)
) WITHOUT ROWID;
CREATE INDEX attachment_uploads_region ON attachment_uploads (region_code);

-- Secrets in resources (a KafkaCluster's spec.adminApi.password) are encrypted with a key kept in a file
-- outside the database (Store/StoreKey.cs). This one row holds a known text encrypted with that key, so a
-- console started with the wrong or a missing key file refuses the store at once instead of failing at
-- the first secret it reads. A console older than this migration refuses the store (newer schema), so
-- it never misreads encrypted values as passwords.
CREATE TABLE store_key (
    id         INTEGER NOT NULL PRIMARY KEY,  -- always 1
    key_check  TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);

-- Usage belongs to a zone's id, not its name. Gateways count traffic by zone name since they started, so a
-- zone created under the name of a deleted one would inherit its figures. Before the console first deploys
-- a zone (by id) to a gateway that does not hold it yet, the reconciler records what that gateway has
-- counted for the name so far; the pages show the figures less this baseline (Usage/UsageBaselines.cs).
CREATE TABLE usage_baselines (
    zone_id      TEXT   NOT NULL,  -- resources.id of the PartnerZone
    cluster      TEXT   NOT NULL,  -- the KafkaCluster whose gateway was read
    requests     BIGINT NOT NULL,
    bytes_in     BIGINT NOT NULL,
    bytes_out    BIGINT NOT NULL,
    last_seen_at BIGINT NULL,      -- Unix milliseconds; NULL when the gateway had seen no request for the name
    taken_at     BIGINT NOT NULL,
    PRIMARY KEY (zone_id, cluster)
);

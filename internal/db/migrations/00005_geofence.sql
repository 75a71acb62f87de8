-- An optional geofence per shift: check-in by QR code must then come from
-- within the radius. The scanner's location is checked, never stored.

-- +goose Up
ALTER TABLE shifts ADD COLUMN geofence_lat_e6 BIGINT;
ALTER TABLE shifts ADD COLUMN geofence_lng_e6 BIGINT;
ALTER TABLE shifts ADD COLUMN geofence_m INTEGER NOT NULL DEFAULT 0;

-- +goose Down
-- Forward-only.

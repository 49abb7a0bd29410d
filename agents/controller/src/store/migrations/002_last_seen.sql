-- When a device last sent an authenticated request (ms since the epoch): each controller process keeps
-- it in memory and writes what changed every few seconds (DeviceApi), so every process can show it.
alter table devices add column last_seen_ms bigint;

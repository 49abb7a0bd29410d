-- The controller's records (store/types.ts). Report tables carry no foreign key to devices: a device's
-- reports are removed with it in one transaction (PgStore.removeDevice), and the store tests write
-- reports for devices they never registered, as the LMDB store allows.
create table onboarding (
  id text primary key,
  rec jsonb not null
);

create table devices (
  uuid text primary key,
  cert_hash text not null,
  onboarding_id text not null,
  serial text not null,
  rec jsonb not null,
  constraint devices_cert_hash unique (cert_hash)
);
-- One registration per serial and onboarding certificate (an empty serial is not checked).
create unique index devices_serial on devices (onboarding_id, serial) where serial <> '';

create table configs (
  uuid text primary key,
  version integer not null,
  config_hash text not null,
  signed bytea not null,
  doc jsonb not null,
  object_versions jsonb not null,
  set_at text not null
);

-- Latest info per object of a device.
create table info (
  uuid text not null,
  key text not null,
  at text not null,
  value jsonb not null,
  primary key (uuid, key)
);

create table metrics (
  id bigserial primary key,
  uuid text not null,
  at text not null,
  value jsonb not null
);
create index metrics_device on metrics (uuid, id);

create table logs (
  id bigserial primary key,
  uuid text not null,
  at text not null,
  key text not null,
  value jsonb not null,
  -- what the line counts against the device's log budget (recordBytes)
  bytes integer not null
);
create index logs_device on logs (uuid, id);

-- Per device: bytes and lines of logs kept, lines dropped for the budget. Its row is locked while a
-- process appends, so two processes appending for one device keep it exact.
create table log_usage (
  uuid text primary key,
  bytes bigint not null default 0,
  lines bigint not null default 0,
  dropped bigint not null default 0
);

-- Work one process at a time must drive (store acquireLease).
create table leases (
  name text primary key,
  holder text not null,
  expires_at timestamptz not null
);

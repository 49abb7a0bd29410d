-- Users, teams, roles, personal API tokens and the audit trail of the admin API (store/types.ts).
create table users (
  name text primary key,
  rec jsonb not null
);

create table teams (
  name text primary key,
  rec jsonb not null
);

create table roles (
  username text not null,
  team text not null,
  role text not null check (role in ('viewer', 'operator', 'admin')),
  primary key (username, team)
);

-- Only the token's sha256 is kept.
create table tokens (
  id text primary key,
  username text not null,
  hash text not null unique,
  rec jsonb not null
);
create index tokens_user on tokens (username);

-- Append-only: rows are inserted, and the oldest removed past the retention (audit_state counts them).
create table audit (
  id bigserial primary key,
  at timestamptz not null,
  actor text not null,
  device text,
  team text,
  rec jsonb not null
);
create index audit_actor on audit (actor, id);
create index audit_device on audit (device, id);
create index audit_at on audit (at);

create table audit_state (
  one boolean primary key default true check (one),
  removed bigint not null default 0
);
insert into audit_state (removed) values (0);

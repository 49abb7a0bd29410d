-- Small JSON documents by kind and id for modules above the core (inventory: "device-labels" per device
-- uuid, removed with the device; "report" per saved report name; rollouts).
create table docs (
  kind text not null,
  id text not null,
  value jsonb not null,
  primary key (kind, id)
);

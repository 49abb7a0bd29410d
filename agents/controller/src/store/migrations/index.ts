// The PostgreSQL schema, as SQL files applied in order (PgStore.open applies the ones a database has
// not had yet, under an advisory lock, each in the transaction that records it). A migration is never
// edited once released: a change is a new file with the next number.
import init from "./001_init.sql";
import lastSeen from "./002_last_seen.sql";
import docs from "./003_docs.sql";
import auth from "./004_auth.sql";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  { version: 1, name: "001_init", sql: init },
  { version: 2, name: "002_last_seen", sql: lastSeen },
  { version: 3, name: "003_docs", sql: docs },
  { version: 4, name: "004_auth", sql: auth },
];

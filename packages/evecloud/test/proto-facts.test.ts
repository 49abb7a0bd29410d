// types/proto/*.proto against the EVE wire facts (test/data/wire-facts.txt, format in docs/eve-api.md):
// every message, field and enum value Outpost defines must have EVE's name, number and type.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "@outpost/testkit";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";

const FACTS = join(REPO, "packages/evecloud/test/data/wire-facts.txt");
const PROTO_DIR = join(REPO, "types/proto");
const SCALARS = new Set(
  "double float int32 int64 uint32 uint64 sint32 sint64 fixed32 fixed64 sfixed32 sfixed64 bool string bytes".split(
    " ",
  ),
);

interface FactField {
  number: number;
  type: string;
  repeated: boolean;
  map?: [string, string];
}

function parseFacts(text: string) {
  const messages = new Map<string, Map<string, FactField>>();
  const enums = new Map<string, Map<string, number>>();
  for (const line of text.split("\n")) {
    const m = /^(message|enum) (\S+) \{ ?(.*?) ?\}$/.exec(line);
    if (!m) continue;
    const [, kind, name = "", body = ""] = m;
    const pkg = name.split(".").slice(0, 4).join(".");
    const qualify = (t: string) => (SCALARS.has(t) || t.includes(".") ? t : `${pkg}.${t}`);
    if (kind === "enum") {
      const values = new Map<string, number>();
      for (const v of body
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)) {
        const [k = "", n = ""] = v.split("=");
        values.set(k, Number(n));
      }
      enums.set(name, values);
      continue;
    }
    const fields = new Map<string, FactField>();
    for (const f of body
      .split(";")
      .map((x) => x.trim())
      .filter(Boolean)) {
      const fm = /^(\w+)=(\d+):(\[\])?(?:map<(\w+),([\w.]+)>|([\w.]+))/.exec(f);
      if (!fm) throw new Error(`cannot read fact ${f}`);
      const [, fname = "", num, rep, mk, mv, t] = fm;
      fields.set(fname, {
        number: Number(num),
        type: mv ? qualify(mv) : qualify(t ?? ""),
        repeated: Boolean(rep),
        ...(mk && mv ? { map: [mk, qualify(mv)] as [string, string] } : {}),
      });
    }
    messages.set(name, fields);
  }
  return { messages, enums };
}

describe("types/proto against the EVE wire facts", () => {
  const facts = parseFacts(readFileSync(FACTS, "utf8"));
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) =>
    target.startsWith("google/") ? target : join(PROTO_DIR, target.split("/").pop() ?? target);
  root.loadSync(
    readdirSync(PROTO_DIR)
      .filter((f) => f.endsWith(".proto"))
      .map((f) => join(PROTO_DIR, f)),
    { keepCase: true },
  );
  root.resolveAll();

  const all: protobuf.ReflectionObject[] = [];
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const o of ns.nestedArray) {
      all.push(o);
      if (o instanceof protobuf.Namespace) walk(o);
    }
  };
  walk(root);
  const full = (o: protobuf.ReflectionObject) => o.fullName.replace(/^\./, "");

  it("every message field has EVE's name, number and type", () => {
    const types = all.filter(
      (o): o is protobuf.Type => o instanceof protobuf.Type && !full(o).startsWith("google."),
    );
    expect(types.length).toBeGreaterThan(70);
    for (const t of types) {
      const fact = facts.messages.get(full(t));
      expect(fact, `message ${full(t)} in the facts`).toBeDefined();
      for (const f of t.fieldsArray) {
        const ff = fact?.get(f.name);
        const where = `${full(t)}.${f.name}`;
        expect(ff, `${where} in the facts`).toBeDefined();
        expect(f.id, where).toBe(ff?.number);
        const type = f.resolvedType ? full(f.resolvedType) : f.type;
        if (f instanceof protobuf.MapField) {
          expect([f.keyType, type], where).toEqual(ff?.map);
        } else {
          expect(type, where).toBe(ff?.type);
          expect(f.repeated, `${where} repeated`).toBe(ff?.repeated);
        }
      }
    }
  });

  it("every enum value has EVE's number", () => {
    const list = all.filter((o): o is protobuf.Enum => o instanceof protobuf.Enum);
    expect(list.length).toBeGreaterThan(20);
    for (const e of list) {
      const fact = facts.enums.get(full(e));
      expect(fact, `enum ${full(e)}`).toBeDefined();
      expect(Object.entries(e.values), full(e)).toEqual([...(fact ?? new Map()).entries()]);
    }
  });
});

// Validate an AsyncAPI document with the official parser; print its diagnostics as JSON lines.
// Usage: node validate-asyncapi.mjs path/to/asyncapi.yaml  (exit 0 when it parsed without errors)
import { readFileSync } from "node:fs";
import { Parser } from "@asyncapi/parser";

const path = process.argv[2];
const parser = new Parser();
const { document, diagnostics } = await parser.parse(readFileSync(path, "utf8"), { source: path });
const severities = ["error", "warning", "information", "hint"];
for (const d of diagnostics) {
  console.log(JSON.stringify({ severity: severities[d.severity], code: d.code, path: d.path.join("."), message: d.message }));
}
process.exit(document === undefined ? 1 : 0);

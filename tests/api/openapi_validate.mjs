// Validates api/openapi.json as an OpenAPI 3 document with
// @apidevtools/swagger-parser (schema validation and $ref resolution), and
// checks that it describes every route of SPEC 5.
// Usage: node openapi_validate.mjs <openapi.json>   (NODE_PATH: contrib/node/node_modules)
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.join(process.env.NODE_PATH ?? ".", "noop.js"));
const SwaggerParser = require("@apidevtools/swagger-parser");

const file = process.argv[2];
const routes = [
  "/v1/access/{address}", "/v1/tier/{address}", "/v1/requirements/{action}", "/v1/ledger/{address}",
  "/v1/discount/{wallet}", "/v1/discount-tiers", "/v1/payouts/{payout_id}", "/v1/payouts",
  "/v1/payouts/batch/{batch_id}", "/v1/payouts/stats", "/v1/status", "/health", "/metrics", "/openapi.json",
];

try {
  const api = await SwaggerParser.validate(file);
  const missing = routes.filter((r) => !(r in api.paths) || !api.paths[r].get);
  if (missing.length > 0) throw new Error(`routes not described: ${missing.join(", ")}`);
  const extra = Object.keys(api.paths).filter((p) => !routes.includes(p));
  if (extra.length > 0) throw new Error(`paths the router does not serve: ${extra.join(", ")}`);
  for (const [p, item] of Object.entries(api.paths)) {
    const responses = item.get.responses;
    if (!responses["200"] || !responses.default) throw new Error(`${p}: needs 200 and default responses`);
  }
  console.log(`${file}: valid OpenAPI ${api.openapi}, ${routes.length} routes`);
} catch (err) {
  console.error(`${file}: ${err.message}`);
  process.exit(1);
}

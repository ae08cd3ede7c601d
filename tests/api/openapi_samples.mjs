// Checks every response the api tests recorded (tests/api/routes_test_support.hpp
// writes {path, route, status, content_type, body} samples to a directory)
// against the response schema /openapi.json gives for that route and status,
// with ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses). A 404 on an unmatched
// path is checked against the Error schema.
// Usage: node openapi_samples.mjs <openapi.json> <samples dir>   (NODE_PATH: contrib/node/node_modules)
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(path.join(process.env.NODE_PATH ?? ".", "noop.js"));
const SwaggerParser = require("@apidevtools/swagger-parser");
const Ajv2020 = require("ajv/dist/2020").default;

const [file, dir] = process.argv.slice(2);
const api = await SwaggerParser.dereference(file);
const ajv = new Ajv2020({ strict: false, allErrors: true });
// RFC 3339 UTC with seconds, as SPEC 5 prints every time.
ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
const validators = new Map();
function validator(key, schema) {
  if (!validators.has(key)) validators.set(key, ajv.compile(schema));
  return validators.get(key);
}

const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
if (files.length === 0) {
  console.error(`${dir}: no samples (run api_tests first)`);
  process.exit(1);
}
let checked = 0;
const failures = [];
const statuses = new Set();
for (const name of files.sort()) {
  const samples = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
  for (const s of samples) {
    const where = `${name}: ${s.path} -> ${s.status} (${s.route})`;
    let schema;
    let key;
    if (s.route === "unmatched") {
      schema = api.components.schemas.Error;
      key = "Error";
    } else {
      const op = api.paths[s.route]?.get;
      if (!op) {
        failures.push(`${where}: route not in the document`);
        continue;
      }
      const response = op.responses[String(s.status)] ?? op.responses.default;
      const type = s.content_type.split(";")[0].trim();
      const content = response.content?.[type];
      if (!content) {
        failures.push(`${where}: no ${type} content documented for ${s.status}`);
        continue;
      }
      schema = content.schema;
      key = `${s.route} ${s.status} ${type}`;
      if (type !== "application/json") {
        checked++;
        continue;  // text/plain: a string
      }
    }
    let body;
    try {
      body = JSON.parse(s.body);
    } catch (err) {
      failures.push(`${where}: body is not JSON: ${err.message}`);
      continue;
    }
    const validate = validator(key, schema);
    if (!validate(body)) {
      failures.push(`${where}: ${ajv.errorsText(validate.errors, { separator: "; " })}`);
    }
    statuses.add(`${s.route} ${s.status}`);
    checked++;
  }
}
if (failures.length > 0) {
  console.error(failures.slice(0, 50).join("\n"));
  console.error(`${failures.length} of ${checked} samples do not match /openapi.json`);
  process.exit(1);
}
console.log(`${checked} samples from ${files.length} tests match /openapi.json (${statuses.size} route/status pairs)`);

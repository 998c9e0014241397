import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { ROUTES } from '../../src/rest/routes.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { API_KEYS_ENV, bearer, KEYS } from '../support/keys.ts';

/** The endpoints issue 8 names from seed 004: each must be served and described. */
const SEED_ENDPOINTS = [
  'POST /evaluations', 'GET /evaluations', 'GET /evaluations/{id}', 'PUT /evaluations/{id}', 'DELETE /evaluations/{id}',
  'GET /evaluations/running', 'GET /evaluations/{id}/running', 'POST /evaluations/{id}/logs', 'GET /evaluations/{id}/logs',
  'POST /evaluations/{id}/events', 'GET /evaluations/{id}/events', 'POST /evaluations/{id}/celery-update', 'GET /evaluations/{id}/complete',
  'GET /storage-info', 'GET /storage/overview', 'GET /storage/{backend}/details', 'GET /statistics', 'GET /health', 'GET /openapi.yaml',
];

describe('GET /openapi.yaml', () => {
  let app: TestApp;
  let document: any;
  before(async () => {
    app = await createTestApp('memory', {}, undefined, { STRATA_API_KEYS: API_KEYS_ENV });
    const res = await app.yoga.fetch('http://yoga/openapi.yaml', { headers: bearer(KEYS.read) });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/yaml/);
    document = parse(await res.text());
  });
  after(() => app.close());

  it('is a valid OpenAPI 3 document (@apidevtools/swagger-parser)', async () => {
    assert.match(document.openapi, /^3\.0\./);
    await SwaggerParser.validate(structuredClone(document));
  });

  it('describes every route of the table and nothing else, each seed endpoint included', () => {
    const described = Object.entries(document.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${path}`));
    const table = ROUTES.map((r) => `${r.method} ${r.path}`);
    assert.deepEqual([...described].sort(), [...table].sort());
    for (const endpoint of SEED_ENDPOINTS) assert.ok(described.includes(endpoint), `${endpoint} is described`);
  });

  it('names the GraphQL operation behind each route, and every one exists in operations.graphql', async () => {
    const { loadRestOperations } = await import('../../src/rest/documents.ts');
    const operations = loadRestOperations();
    for (const [path, ops] of Object.entries(document.paths) as [string, Record<string, any>][]) {
      for (const [method, op] of Object.entries(ops)) {
        const name = op['x-graphql-operation'];
        if (name === undefined) {
          assert.ok(op['x-served-by'], `${method} ${path} says what serves it`);
          continue;
        }
        assert.ok(operations.has(name), `${method} ${path}: ${name}`);
      }
    }
  });

  it('declares every path parameter', () => {
    for (const [path, ops] of Object.entries(document.paths) as [string, Record<string, any>][]) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(ops)) {
        assert.deepEqual(op.parameters.filter((p: any) => p.in === 'path').map((p: any) => p.name), names, `${method} ${path}`);
      }
    }
  });

  it('describes what the routes answer: each answer of a lifecycle validates against its schema', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const defs = toJsonSchema(document.components.schemas);
    const check = async (method: string, path: string, template: string, body?: unknown) => {
      const res = await app.yoga.fetch(`http://yoga${path}`, { method, headers: { 'content-type': 'application/json', ...bearer(KEYS.admin) }, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = await res.json();
      const responses = document.paths[template][method.toLowerCase()].responses;
      const described = responses[res.status];
      assert.ok(described, `${method} ${path} answered ${res.status}, which the document does not list`);
      const schema = described.content?.['application/json']?.schema;
      assert.ok(schema, `${method} ${path} ${res.status} has a JSON schema`);
      const validate = ajv.compile({ ...toJsonSchema(schema), $defs: defs });
      assert.ok(validate(json), `${method} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(json)}`);
      return json;
    };
    await check('POST', '/evaluations', '/evaluations', { id: 'oa-1', code: 'x', metadata: { a: 1 } });
    await check('PUT', '/evaluations/oa-1', '/evaluations/{id}', { status: 'running' });
    await check('GET', '/evaluations/running', '/evaluations/running');
    await check('GET', '/evaluations/oa-1/running', '/evaluations/{id}/running');
    await check('POST', '/evaluations/oa-1/logs', '/evaluations/{id}/logs', { lines: ['a', 'b'] });
    await check('GET', '/evaluations/oa-1/logs?tail=1', '/evaluations/{id}/logs');
    await check('POST', '/evaluations/oa-1/events', '/evaluations/{id}/events', { type: 'x', message: 'm' });
    await check('GET', '/evaluations/oa-1/events', '/evaluations/{id}/events');
    await check('PUT', '/evaluations/oa-1', '/evaluations/{id}', { status: 'completed', output: 'o'.repeat(200_000), runtime_ms: 3 });
    await check('GET', '/evaluations/oa-1?include_storage_info=true', '/evaluations/{id}');
    await check('GET', '/evaluations?limit=1', '/evaluations');
    await check('GET', '/evaluations/oa-1/complete', '/evaluations/{id}/complete');
    await check('POST', '/evaluations', '/evaluations', { id: 'oa-2', code: 'y' });
    await check('POST', '/evaluations/oa-2/celery-update', '/evaluations/{id}/celery-update', { celery_task_id: 't', task_state: 'FAILURE', error: 'boom' });
    await check('GET', '/storage-info', '/storage-info');
    await check('GET', '/storage/overview', '/storage/overview');
    await check('GET', '/storage/database/details', '/storage/{backend}/details');
    await check('GET', '/statistics', '/statistics');
    await check('DELETE', '/evaluations/oa-2', '/evaluations/{id}');
    // Errors, too.
    await check('GET', '/evaluations/nope', '/evaluations/{id}');
    await check('PUT', '/evaluations/oa-1', '/evaluations/{id}', { status: 'running' });
    await check('PUT', '/evaluations/oa-1', '/evaluations/{id}', { bogus: true });
    await check('GET', '/storage/nope/details', '/storage/{backend}/details');
  });

  it('needs a read key like every other GET route when keys are set', async () => {
    assert.equal((await app.yoga.fetch('http://yoga/openapi.yaml')).status, 401);
  });
});

/** OpenAPI 3.0 schemas as JSON Schema for ajv: `nullable` as a null alternative, component refs as $defs. */
function toJsonSchema(value: any): any {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (value === null || typeof value !== 'object') return value;
  const { nullable, ...rest } = value;
  const converted = Object.fromEntries(
    Object.entries(rest).map(([k, v]) => [k, k === '$ref' ? String(v).replace('#/components/schemas/', '#/$defs/') : toJsonSchema(v)]),
  );
  return nullable ? { anyOf: [converted, { type: 'null' }] } : converted;
}

// Fails when the committed generated files (schema.graphql, test/generated/graphql.ts) differ from
// what codegen.ts produces from the current Pothos schema and test documents.
import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import config from '../codegen.ts';

const outputs = (await generate({ ...config, silent: true }, false)) as { filename: string; content: string }[];
const stale = outputs.filter((o) => {
  try {
    return readFileSync(o.filename, 'utf8') !== o.content;
  } catch {
    return true;
  }
});
if (stale.length > 0) {
  console.error(`Generated files are out of date: ${stale.map((o) => o.filename).join(', ')}. Run \`npm run codegen\` and commit the result.`);
  process.exit(1);
}
console.log(`Generated files match the schema (${outputs.map((o) => o.filename).join(', ')}).`);

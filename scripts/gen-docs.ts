/**
 * `npm run docs`: writes docs/errors.md (from the error catalogue and the HTTP and gRPC status tables) and
 * .env.example (from configSpec). test/docs/docs.test.ts fails when either is out of date.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { GRPC_STATUS } from '../src/adapters/grpc/error-status.js';
import { definedCodesInSource, ENV_EXAMPLE, ERRORS_DOC, loadErrorCatalogue, renderEnvExample, renderErrorsDoc, ROOT } from './docs.js';

const catalogue = await loadErrorCatalogue();
const files: [string, string][] = [
  [ERRORS_DOC, renderErrorsDoc(catalogue, GRPC_STATUS, definedCodesInSource())],
  [ENV_EXAMPLE, renderEnvExample()],
];
for (const [path, text] of files) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${relative(ROOT, path)}`);
}
console.log(`${catalogue.length} error codes documented`);

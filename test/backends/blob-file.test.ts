import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createFileBlobStore } from '../../src/backends/file/blob-store.ts';
import { textBlobKey } from '../../src/domain/blob-keys.ts';
import { blobStoreContract, HOSTILE_KEYS } from '../contract/blob-store.ts';
import { rejectsWithCode } from '../support/assert.ts';

const fresh = () => {
  const parent = mkdtempSync(join(tmpdir(), 'strata-blobs-'));
  return { parent, root: join(parent, 'root') };
};

blobStoreContract('file', async () => {
  const { parent, root } = fresh();
  const store = createFileBlobStore({ root });
  return { store, close: async () => rmSync(parent, { recursive: true, force: true }) };
});

async function* body(text: string) {
  yield Buffer.from(text);
}

describe('file blob store: layout, metadata.json and the root', () => {
  it('lays files out by evaluation id with a metadata.json that lists size and sha256', async () => {
    const { parent, root } = fresh();
    try {
      const store = createFileBlobStore({ root });
      const out = textBlobKey('eval_20240701_120000_abc', 'output');
      const err = textBlobKey('eval_20240701_120000_abc', 'error');
      await Promise.all([
        store.put(out, body('hello'), { evaluationId: 'eval_20240701_120000_abc', which: 'output' }),
        store.put(err, body('boom'), { evaluationId: 'eval_20240701_120000_abc', which: 'error' }),
      ]);
      const dir = join(root, 'evaluations', 'eval_20240701_120000_abc');
      assert.deepEqual(readdirSync(dir).sort(), [out.split('/')[2], err.split('/')[2], 'metadata.json'].sort(), 'no temporary file is left');
      const meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));
      assert.equal(meta.evaluationId, 'eval_20240701_120000_abc');
      assert.deepEqual(meta.blobs[out.split('/')[2]!].sha256, '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
      assert.equal(meta.blobs[err.split('/')[2]!].which, 'error', 'two concurrent puts both recorded');
      await store.delete(out);
      await store.delete(err);
      assert.equal(existsSync(dir), false, 'an emptied evaluation directory goes away with its metadata.json');
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('writes nothing outside the root for any hostile key', async () => {
    const { parent, root } = fresh();
    try {
      const store = createFileBlobStore({ root });
      for (const key of HOSTILE_KEYS) await rejectsWithCode(store.put(key, body('x'), { evaluationId: 'e1', which: 'output' }), 'BAD_USER_INPUT');
      assert.deepEqual(readdirSync(parent), [], 'not even the root was created');
      await rejectsWithCode(Promise.resolve().then(() => textBlobKey('../../etc', 'output')), 'BAD_USER_INPUT');
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('sweeps temporary files a crash left behind, but not ones being written', async () => {
    const { parent, root } = fresh();
    try {
      const store = createFileBlobStore({ root });
      await store.put(textBlobKey('e1', 'output'), body('x'), { evaluationId: 'e1', which: 'output' });
      const dir = join(root, 'evaluations', 'e1');
      writeFileSync(join(dir, '.tmp-output.abc.txt.1'), 'half');
      writeFileSync(join(dir, '.tmp-output.def.txt.2'), 'in progress');
      utimesSync(join(dir, '.tmp-output.abc.txt.1'), new Date(0), new Date(0));
      assert.equal(await store.sweepTemporary(new Date(Date.now() - 3_600_000)), 1);
      assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.tmp-')), ['.tmp-output.def.txt.2']);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { validationError } from '../validation.js';

/** Where uploaded bytes live. Disk today; an object store would implement the same three calls. */
export interface BlobStorage {
  put(bytes: Uint8Array): Promise<{ key: string; sha256: string }>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
}

export function diskStorage(root: string): BlobStorage {
  const resolve = (key: string) => {
    if (!/^[0-9a-f]{2}\/[0-9a-f-]{36}$/.test(key)) throw new Error('bad storage key');
    return path.join(root, key);
  };
  return {
    async put(bytes) {
      const id = randomUUID();
      const key = `${id.slice(0, 2)}/${id}`;
      const file = resolve(key);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes, { flag: 'wx' });
      return { key, sha256: createHash('sha256').update(bytes).digest('hex') };
    },
    get: (key) => readFile(resolve(key)),
    delete: (key) => rm(resolve(key), { force: true }),
  };
}

/** Uploads we accept, recognised by their first bytes (the browser's claimed type is not trusted). */
const SIGNATURES: Array<{ type: string; test: (b: Uint8Array) => boolean }> = [
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    type: 'image/png',
    test: (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v),
  },
  {
    type: 'image/webp',
    test: (b) =>
      String.fromCharCode(...b.slice(0, 4)) === 'RIFF' && String.fromCharCode(...b.slice(8, 12)) === 'WEBP',
  },
  { type: 'application/pdf', test: (b) => String.fromCharCode(...b.slice(0, 5)) === '%PDF-' },
];

export const sniffContentType = (bytes: Uint8Array) => SIGNATURES.find((s) => s.test(bytes))?.type ?? null;

export const UPLOAD_RULES = {
  photo: { types: ['image/jpeg', 'image/png', 'image/webp'], maxBytes: 10 * 1024 * 1024 },
  judgment: { types: ['application/pdf', 'image/jpeg', 'image/png'], maxBytes: 20 * 1024 * 1024 },
  appraisal_report: { types: ['application/pdf', 'image/jpeg', 'image/png'], maxBytes: 20 * 1024 * 1024 },
  other: { types: ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'], maxBytes: 20 * 1024 * 1024 },
} as const;

/** Bytes that passed `checkUpload`, with the name they are stored under and their sniffed type. */
export interface CheckedUpload {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

/** The columns every upload's row records (an asset's file, an aid claim's document). */
export interface StoredUpload {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
}

/**
 * The one check every upload passes (case documents and aid claims alike): not empty, within the
 * rule's size, bytes of an allowed type whatever the name says; and the name made safe to store
 * and to serve back in a header. A refusal is a field error on `file`.
 */
export function checkUpload(
  rule: (typeof UPLOAD_RULES)[keyof typeof UPLOAD_RULES],
  file: { filename: string; bytes: Uint8Array },
): CheckedUpload {
  const { bytes } = file;
  if (bytes.byteLength === 0) throw validationError({ file: ['validation.fileEmpty'] });
  if (bytes.byteLength > rule.maxBytes) throw validationError({ file: ['validation.fileTooLarge'] });
  const contentType = sniffContentType(bytes);
  if (!contentType || !(rule.types as readonly string[]).includes(contentType))
    throw validationError({ file: ['validation.fileType'] });
  const filename = file.filename.replace(/[\\/\0\r\n"]/g, '_').slice(0, 200) || 'file';
  return { filename, contentType, bytes };
}

/**
 * Stores checked bytes, then `record`s them (the transaction that writes the upload's row) with the
 * row's columns. Should that fail, the bytes are deleted: none are left without a row.
 */
export async function storeUpload<T>(
  storage: BlobStorage,
  upload: CheckedUpload,
  record: (stored: StoredUpload) => Promise<T>,
): Promise<T> {
  const { key, sha256 } = await storage.put(upload.bytes);
  try {
    return await record({
      filename: upload.filename,
      contentType: upload.contentType,
      size: upload.bytes.byteLength,
      sha256,
      storageKey: key,
    });
  } catch (e) {
    await storage.delete(key);
    throw e;
  }
}

// Types for the tests that run the standalone verifier's own functions (it is plain JavaScript,
// so that anyone can run it with nothing but Node).
export function canonicalJson(value: unknown): string;
export function genesisHash(listingId: string): string;
export function recomputeChain(listingId: string, entries: unknown[]): string[];
export function leafData(l: { listingId: string; seq: number; headHash: string }): Buffer;
export function leafHash(data: Buffer): Buffer;
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Buffer,
  proof: Buffer[],
  root: Buffer,
): boolean;
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Buffer,
  root2: Buffer,
  proof: Buffer[],
): boolean;
export function checkpointBody(c: Record<string, unknown>): string;
export class Failure extends Error {}
export function verifyAuction(args: {
  base: string;
  listingId: string;
  state?: unknown;
  pinnedKey?: string;
  log?: (line: string) => void;
}): Promise<{ head: { seq: number; hash: string }; newState: Record<string, unknown> }>;

export * from './aid.js';
export * from './auctions.js';
export * from './audit.js';
export * from './cases.js';
export * from './identity.js';
export * from './jobs.js';
export * from './ledger.js';

export * from './audit.js';
export * from './identity.js';

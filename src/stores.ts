// `rollcall/stores`: the user-store contract and the reference stores (memory, PostgreSQL over pg or PGlite).
export * from './adapters/store/index.js';

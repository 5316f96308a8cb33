// `rollcall/mailers`: the mailer contract, the SMTP, outbox-directory and memory mailers, and sending
// introductions through them.
export * from './adapters/mailer/index.js';
export * from './notify/index.js';

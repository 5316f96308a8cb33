// The mailer adapters, listed by name: the contract, its error, and the SMTP, outbox-directory and memory mailers.
export type { IntroductionMessage, MailAddress, Mailer, SendReceipt } from './types.js';
export { MailerError, isTransientFailure } from './mailer-error.js';
export type { MailerErrorCode } from './mailer-error.js';
export { smtpFailure, smtpMailer } from './smtp.js';
export type { SmtpMailOptions, SmtpMailer, SmtpMailerOptions, SmtpSentInfo, SmtpTransport } from './smtp.js';
export { emlFileName, loadMailComposer, outboxDirMailer } from './outbox-dir.js';
export type { ComposerAddress, ComposerInput, MailComposerClass, OutboxDirMailerOptions } from './outbox-dir.js';
export { memoryMailer } from './memory.js';
export type { MemoryFailure, MemoryMailer } from './memory.js';

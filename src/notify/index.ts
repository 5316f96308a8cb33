// Sending introductions, listed by name: the sender, its options and results, the default template.
export { sendIntroductions } from './send-introductions.js';
export type { LeasedIntroductions, SendIntroductionsResult } from './send-introductions.js';
export type { IntroductionResult, SendIntroductionsOptions } from './send-options.js';
export type { Backoff } from './backoff.js';
export { defaultIntroductionTemplate } from './introduction-template.js';
export type {
  IntroductionContent,
  IntroductionContext,
  IntroductionCredential,
  IntroductionTemplate,
} from './introduction-template.js';
export { introductionMessageId, messageIdDomain } from './message-id.js';
export { escapeHtml } from './escape-html.js';
export { importCredentials } from './import-credentials.js';
export type { ImportCredentialsOptions } from './import-credentials.js';

// `rollcall/import`: plan and execute imports into a user store. Executing draws and hashes credentials with
// node:crypto, so this entry is for servers; the core `rollcall` entry stays browser-safe.
export { planImport } from './plan/plan-import.js';
export type { PlanOptions } from './plan/plan-import.js';
export type {
  ImportMode,
  ImportPlan,
  OnExisting,
  PlanAction,
  PlanColumn,
  PlanCounts,
  PlannedRow,
  PlanSettings,
} from './plan/import-plan.js';
export type { ActorOptions, Authorize } from './plan/authorize.js';
export { digestFile, planFingerprint } from './plan/fingerprint.js';
export type { FileDigest } from './plan/fingerprint.js';
export { executeImport } from './execute/execute-import.js';
export type { ExecuteOptions } from './execute/execute-import.js';
export type { ReplanOptions } from './execute/check-plan.js';
export { importUsers } from './execute/import-users.js';
export type { ImportProgress, ImportUsersOptions } from './execute/import-users.js';
export { resultsCsv } from './execute/import-result.js';
export type {
  CreatedEntry,
  CredentialKind,
  ImportCompleted,
  ImportNotDone,
  ImportReplayed,
  ImportResult,
  SkippedEntry,
} from './execute/import-result.js';
export { hashSecret } from './execute/hash-secret.js';
export { redeemInvite } from './execute/redeem-invite.js';
export type { RedeemInviteOptions } from './execute/redeem-invite.js';
export { minPasswordLength, secretGenerator } from './execute/secret-generator.js';
export type { RandomSource, SecretGenerator } from './execute/secret-generator.js';

import { z } from 'zod';
import { emailSchema, emailKey } from '../validate/email.js';
import { column } from './column.js';
import { defineSchema } from './define-schema.js';
import { nameSchema } from './name.js';

/**
 * The built-in users schema: First Name, Last Name and Email, all required. Hosts add their own optional
 * columns with `usersSchema.extend({...})`.
 *
 * @example
 * const schema = usersSchema.extend({
 *   department: column({ label: 'Department', example: 'Finance' }),
 * });
 */
export const usersSchema = defineSchema({
  firstName: column({
    label: 'First Name',
    aliases: ['First', 'Given Name', 'Forename', 'Firstname'],
    required: true,
    schema: nameSchema(100),
    example: 'Ada',
    description: "The user's first (given) name.",
  }),
  lastName: column({
    label: 'Last Name',
    aliases: ['Last', 'Surname', 'Family Name', 'Lastname'],
    required: true,
    schema: nameSchema(100),
    example: 'Lovelace',
    description: "The user's last (family) name.",
  }),
  email: column({
    label: 'Email',
    aliases: ['Email Address', 'E-mail Address', 'Mail', 'Work Email'],
    required: true,
    schema: emailSchema(),
    example: 'ada.lovelace@example.com',
    description: 'The address the user signs in with and receives the introduction email at. Each address once.',
    unique: true,
    uniqueKey: emailKey,
  }),
});

/** A row of the built-in users schema. */
export type UserRow = z.output<typeof usersSchema.columns.firstName.schema> extends string
  ? { firstName: string; lastName: string; email: string }
  : never;

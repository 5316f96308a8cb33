import { z } from 'zod';

const name = z.string().trim().min(1).max(100);
const optional = z.string().trim().max(1000).optional();

/** The row schema a developer writes by hand for the users file: the header labels as keys. */
export const handRowSchema = z.object({
  'First Name': name,
  'Last Name': name,
  Email: z.string().trim().pipe(z.email()),
  Department: optional,
  'Job Title': optional,
  'Employee ID': optional,
});

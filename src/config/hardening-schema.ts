import { z } from 'zod';

export const AlternateContactSchema = z
  .object({
    name: z.string().min(1).max(64),
    email: z.email().max(254),
    phone: z.string().regex(/^[\s0-9()+-]{1,25}$/, 'a phone number: digits, spaces, ()+-'),
    title: z.string().min(1).max(50),
  })
  .strict();

/** The account settings applied by API in every new account (the third baseline layer). */
export const HardeningSchema = z
  .object({
    /** IAM-4; the defaults follow CIS AWS Foundations 1.8-1.9 and the seeds (14+, reuse 24). */
    passwordPolicy: z
      .object({
        minimumLength: z.number().int().min(14).max(128).default(14),
        requireSymbols: z.boolean().default(true),
        requireNumbers: z.boolean().default(true),
        requireUppercase: z.boolean().default(true),
        requireLowercase: z.boolean().default(true),
        allowUsersToChange: z.boolean().default(true),
        reusePrevention: z.number().int().min(1).max(24).default(24),
        maxAgeDays: z.number().int().min(1).max(1095).default(90),
      })
      .strict()
      .prefault({}),
    /** set from the management account; A-1 fails while these are not configured. */
    alternateContacts: z
      .object({
        security: AlternateContactSchema,
        billing: AlternateContactSchema,
        operations: AlternateContactSchema,
      })
      .strict()
      .optional(),
    /** G-4: hop limit 2 lets containers on an instance reach IMDSv2. */
    imdsHopLimit: z.number().int().min(1).max(64).default(2),
    remediate: z
      .object({
        /** N-1: delete each region's default VPC (refused if anything runs in it). */
        deleteDefaultVpcs: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type HardeningConfig = z.infer<typeof HardeningSchema>;
export type AlternateContactConfig = z.infer<typeof AlternateContactSchema>;

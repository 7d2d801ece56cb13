// Prisma CLI configuration. Steward applies migrations itself (lib/db/migrate.ts); this file lets
// `prisma generate` (and `prisma migrate deploy` on machines that have Prisma's engine) find things.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/steward' },
});

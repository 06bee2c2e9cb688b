import { PrismaPg } from '@prisma/adapter-pg';
import { existsSync } from 'node:fs';
import { defineConfig } from 'prisma/config';

// The CLI skips .env loading when a config file exists: read it here, without overriding
// variables the caller set.
if (existsSync('.env')) process.loadEnvFile('.env');

// Prisma's native engines cannot be downloaded on every machine we support: the CLI runs its
// WebAssembly schema engine through the pg driver adapter instead.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  adapter: async () => {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error('DATABASE_URL is not set (see .env.example)');
    return new PrismaPg({ connectionString });
  },
});

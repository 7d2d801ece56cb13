export default function setup(): void {
  const target = process.env.TEST_DATABASE_URL ? `PostgreSQL (${new URL(process.env.TEST_DATABASE_URL).host}, a fresh database per file)` : 'embedded PGlite in memory (set TEST_DATABASE_URL to use PostgreSQL)';
  console.log(`integration tests run against ${target}`);
}

// Lint rules. The most important block is the engine boundary: lib/engine is pure TypeScript and
// may not reach for frameworks, the database, the filesystem, the environment or the clock.
import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const engineForbiddenImports = [
  { group: ['next', 'next/*', 'react', 'react/*', 'react-dom', 'react-dom/*'], message: 'The engine is framework-free.' },
  { group: ['@prisma/*', 'prisma', 'pg', '@electric-sql/*', 'pglite-prisma-adapter', '@/lib/db', '@/lib/db/*', '**/db/*'], message: 'The engine never touches the database; services do.' },
  { group: ['@/lib/services', '@/lib/services/*', '@/lib/auth/*', '@/lib/actions/*', '@/lib/env', '**/services/*', '**/env'], message: 'The engine never reaches back up into services, auth or env.' },
  { group: ['fs', 'node:fs', 'fs/*', 'node:fs/*', 'child_process', 'node:child_process', 'net', 'node:net', 'http', 'node:http'], message: 'The engine does no I/O; pass data in.' },
];

export default tseslint.config(
  { ignores: ['.next/**', '.stryker-tmp/**', 'reports/**', 'node_modules/**', 'lib/db/generated/**', '.data/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', 'native/*/build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The native addon's loader is CommonJS: it must require() the compiled .node file.
    files: ['native/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}'],
    plugins: { '@next/next': nextPlugin, 'react-hooks': reactHooks },
    rules: { ...nextPlugin.configs.recommended.rules, ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@/lib/db/*', '@/lib/db'], message: 'Components are fed typed data; pages and services read the database.' }] }],
    },
  },
  {
    files: ['lib/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: engineForbiddenImports }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process']", message: 'The engine does not read process (env, cwd, argv): take it as a parameter.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'The engine never reads the clock: take `now` as a parameter.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'The engine never reads the clock: take `now` as a parameter.' },
        { selector: "CallExpression[callee.object.name='performance'][callee.property.name='now']", message: 'The engine never reads the clock.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'The engine is deterministic: pass randomness in.' },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'The engine does no I/O.' }],
    },
  },
);

// typescript-eslint's recommended type-aware rules over the whole project.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'screenshots/**', 'appPackage/build/**', '**/*.tmp.*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      'no-control-regex': 'off',
      // The package index loads every prompt and the recognizers-text suites (about 250 ms of start-up and 30 MB of RSS);
      // the bot uses none of them, so its classes are imported from their own files.
      'no-restricted-imports': ['error', { paths: [{ name: 'botbuilder-dialogs', message: "Import from the class's own file, e.g. 'botbuilder-dialogs/lib/dialogSet' (the index loads the recognizers: ~250 ms and ~30 MB at start-up)." }] }],
    },
  },
  // chai's property assertions (`expect(x).to.exist`) are expressions by design.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-unused-expressions': 'off' } },
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
  // The benchmark scripts and the build script are plain Node ES modules: Node's globals, written out rather than pulled in as a package.
  {
    files: ['bench/**/*.mjs', 'scripts/**/*.mjs'],
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'console', 'performance', 'URL', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'fetch', 'AbortController', 'AbortSignal', 'structuredClone', 'global', 'globalThis'].map((g) => [g, 'readonly']),
      ),
    },
  },
);

// ESLint 9 flat config: the recommended JavaScript and typescript-eslint rules, plus a few that catch real bugs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Every `eslint-disable…` comment must say why after ` -- ` (the only way an `any` may stay). */
const disableNeedsReason = {
  meta: { type: 'problem', docs: { description: 'require a reason on eslint-disable comments' }, schema: [] },
  create(context) {
    return {
      Program() {
        for (const c of context.sourceCode.getAllComments()) {
          const text = c.value.trim();
          if (/^eslint-disable(-next-line|-line)?\b/.test(text) && !/\s--\s*\S/.test(text)) {
            context.report({ loc: c.loc, message: 'Say why after " -- " in this eslint-disable comment.' });
          }
        }
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/results/', 'scratch/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { kasir: { rules: { 'disable-needs-reason': disableNeedsReason } } },
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      // Only the plain .js files need these (TypeScript checks names in .ts files itself).
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `any` only with an inline `eslint-disable-next-line @typescript-eslint/no-explicit-any -- why` comment.
      '@typescript-eslint/no-explicit-any': 'error',
      'kasir/disable-needs-reason': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    // Promise rules need types. The project service reuses tsconfig.json, so this costs about as much as one
    // `tsc --noEmit` (seconds on this tree), and catches the lost rejection that would otherwise crash or hang a till.
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);

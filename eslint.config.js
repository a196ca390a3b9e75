// ESLint for hookcat (`npm run lint`): recommended JavaScript and TypeScript rules, tuned to what the code base relies on.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**', 'test-artifacts/**', 'data/**', '**/.*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Directives written for a stricter set of rules are harmless.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', URLSearchParams: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly',
        fetch: 'readonly', Response: 'readonly', Request: 'readonly', Headers: 'readonly', FormData: 'readonly', AbortSignal: 'readonly',
        TextEncoder: 'readonly', TextDecoder: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', performance: 'readonly',
        // The web UI's scripts run in the browser.
        window: 'readonly', document: 'readonly', localStorage: 'readonly', sessionStorage: 'readonly', EventSource: 'readonly', location: 'readonly', history: 'readonly', navigator: 'readonly', HTMLElement: 'readonly', Node: 'readonly', CSS: 'readonly',
      },
    },
    rules: {
      // Unused values are errors, except the deliberate `_name` ones.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' }],
      // Test helpers and JSON handling use `any` on purpose in a few places; tsc's strict mode guards the rest.
      '@typescript-eslint/no-explicit-any': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      // `if (x) (a.push(…), b.push(…))` is a deliberate idiom in the storage code.
      '@typescript-eslint/no-unused-expressions': 'off',
      // Regexes that match control characters are how the code refuses them in input.
      'no-control-regex': 'off',
      // `z.ZodObject<{}>` (an empty shape) is a real type, not a mistake.
      '@typescript-eslint/no-empty-object-type': ['error', { allowObjectTypes: 'always' }],
    },
  },
  // TypeScript checks names itself (and knows Node's and the DOM's types); no-undef only misfires there.
  { files: ['**/*.ts', '**/*.mts'], rules: { 'no-undef': 'off' } },
)

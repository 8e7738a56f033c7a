import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // In development the gateway serves the API; `npm run dev` proxies to it.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  // e2e/ holds node:test browser tests that run against a live platform (scripts/test.sh), not under Vitest.
  test: { environment: 'jsdom', globals: true, include: ['src/**/*.test.{ts,tsx}'] },
});

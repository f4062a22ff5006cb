module.exports = async function globalTeardown() {
  if (process.env.LANYARD_REPOSITORIES_DIR) {
    require('node:fs').rmSync(process.env.LANYARD_REPOSITORIES_DIR, { recursive: true, force: true });
  }
  if (globalThis.__LANYARD_EMBEDDED__) await globalThis.__LANYARD_EMBEDDED__.stop();
};

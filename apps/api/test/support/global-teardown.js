module.exports = async function globalTeardown() {
  if (globalThis.__LANYARD_EMBEDDED__) await globalThis.__LANYARD_EMBEDDED__.stop();
};
